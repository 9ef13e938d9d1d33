package dev.pcitimeline.projections.config;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The event store as a tracking processor reads it, except that an idle processor's wait for new events is cut into
 * slices of at most {@value #SLICE_MILLIS} ms, between which the wait ends early once the processor is no longer
 * running.
 *
 * <p>Why: a caught-up {@code TrackingEventProcessor} worker waits in {@code hasNextAvailable} for up to its event
 * availability timeout (1 s), and Axon's shutdown sets the processor's state and then only waits for the worker: it
 * neither wakes nor interrupts it. Every context close therefore waited for an idle processor to time out, about a
 * second of every {@code replay}, {@code audit} or test context, with nothing left to process. Ending the wait when the
 * processor stops changes nothing else: events that are there are returned at once as before, a worker that is handling
 * a batch finishes it and stores its token as before, and the worker still releases its claim on the way out. A
 * shorter availability timeout would have done the same at the price of a token-claim write per timeout while idle.
 */
final class PromptlyStoppingSource implements StreamableMessageSource<TrackedEventMessage<?>> {
    /** The longest a stopping processor's worker keeps waiting for events nobody will send. */
    static final int SLICE_MILLIS = 20;

    private final StreamableMessageSource<TrackedEventMessage<?>> delegate;
    private final BooleanSupplier running;

    /** {@code running}: whether the processor reading the streams still runs (false ends an idle wait early). */
    PromptlyStoppingSource(StreamableMessageSource<TrackedEventMessage<?>> delegate, BooleanSupplier running) {
        this.delegate = delegate;
        this.running = running;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new Stream(delegate.openStream(trackingToken));
    }

    @Override
    public TrackingToken createTailToken() {
        return delegate.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return delegate.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return delegate.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return delegate.createTokenSince(duration);
    }

    private final class Stream implements BlockingStream<TrackedEventMessage<?>> {
        private final BlockingStream<TrackedEventMessage<?>> stream;

        Stream(BlockingStream<TrackedEventMessage<?>> stream) {
            this.stream = stream;
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            long slice = Math.min(SLICE_MILLIS, unit.toMillis(timeout));
            while (true) {
                if (stream.hasNextAvailable((int) slice, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running.getAsBoolean()) {
                    return false;
                }
                slice = Math.min(SLICE_MILLIS, (left + 999_999) / 1_000_000); // the whole timeout, not a ms less
            }
        }

        @Override
        public boolean hasNextAvailable() {
            return stream.hasNextAvailable();
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return stream.setOnAvailableCallback(callback);
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
