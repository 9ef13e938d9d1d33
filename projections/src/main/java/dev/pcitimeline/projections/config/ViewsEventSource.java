package dev.pcitimeline.projections.config;

import dev.pcitimeline.projections.store.EventCommits;
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
 * The event store as the views processor reads it: Axon's streams, with a wait for new events that
 *
 * <ul>
 *   <li>ends within {@value #SLICE_MILLIS} ms once the processor no longer runs. A caught-up
 *       {@code TrackingEventProcessor} worker waits in {@code hasNextAvailable} for up to its event availability
 *       timeout (1 s), and Axon's shutdown sets the processor's state and then only waits for the worker: it neither
 *       wakes nor interrupts it. Every context close therefore waited for an idle processor to time out, about a
 *       second of every {@code replay}, {@code audit} or test context.</li>
 *   <li>given this JVM's {@link EventCommits}, looks at the store only when it committed since the last look, or
 *       once every {@code pollMillis} (for the commits of other nodes sharing the database). The store gives each
 *       processor a private stream (see {@code EmbeddedEventStoreConfiguration#eventStore}); a private stream looks
 *       at the table each time it is asked and has no signal of its own for new events, so without the count an
 *       idle processor would query the table every slice.</li>
 * </ul>
 *
 * Events that are there are returned at once as before; a worker that is handling a batch finishes it and stores its
 * token as before, and the worker still releases its claim on the way out. Without a count (another event bus) the
 * wait is the stream's own, in slices.
 */
final class ViewsEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {
    /** The longest a stopping processor's worker keeps waiting for events nobody will send. */
    static final int SLICE_MILLIS = 20;
    /** How often an idle stream looks for other nodes' events: Axon's own producer's fetch delay. */
    static final int POLL_MILLIS = 1_000;

    private final StreamableMessageSource<TrackedEventMessage<?>> delegate;
    private final BooleanSupplier running;
    private final EventCommits commits;
    private final long pollNanos;

    /**
     * {@code running}: whether the processor reading the streams still runs (false ends an idle wait early);
     * {@code commits}: the store's commits in this JVM, or null to wait on the streams themselves.
     */
    ViewsEventSource(StreamableMessageSource<TrackedEventMessage<?>> delegate, BooleanSupplier running,
                     EventCommits commits) {
        this(delegate, running, commits, POLL_MILLIS);
    }

    ViewsEventSource(StreamableMessageSource<TrackedEventMessage<?>> delegate, BooleanSupplier running,
                     EventCommits commits, int pollMillis) {
        if (pollMillis < 1) {
            throw new IllegalArgumentException("the poll interval must be at least 1 ms, not " + pollMillis);
        }
        this.delegate = delegate;
        this.running = running;
        this.commits = commits;
        this.pollNanos = TimeUnit.MILLISECONDS.toNanos(pollMillis);
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
            return commits == null ? waitInSlices(timeout, unit) : waitForCommits(unit.toNanos(timeout));
        }

        /** Looks now, then again after each commit of this JVM or poll interval, until the timeout or a stop. */
        private boolean waitForCommits(long timeoutNanos) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutNanos;
            while (true) {
                long seen = commits.count(); // before the look: a commit after it ends the wait below at once
                if (stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                long nextLook = System.nanoTime() + pollNanos;
                while (true) {
                    long now = System.nanoTime();
                    if (now - deadline >= 0 || !running.getAsBoolean()) {
                        return false;
                    }
                    long wait = Math.min(Math.min(deadline - now, nextLook - now),
                            TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS));
                    if (wait <= 0 || commits.awaitAfter(seen, wait)) {
                        break; // the poll interval is over, or this JVM committed: look again
                    }
                }
            }
        }

        private boolean waitInSlices(int timeout, TimeUnit unit) throws InterruptedException {
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
