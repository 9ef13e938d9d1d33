package dev.pcitimeline.projections.config;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The views processor's source: an idle wait lasts its whole timeout while the processor runs, and no longer once it stops. */
class PromptlyStoppingSourceTest {

    /** A stream that is empty until {@code arrivesAfterNanos} (nanoTime) has passed; waits like the event store's. */
    private static final class Idle implements BlockingStream<TrackedEventMessage<?>> {
        final AtomicLong arrival = new AtomicLong(Long.MAX_VALUE);
        final TrackedEventMessage<?> event = new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(1),
                GenericEventMessage.asEventMessage("payload"));

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (System.nanoTime() < arrival.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(1)));
            }
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return System.nanoTime() >= arrival.get() ? Optional.of(event) : Optional.empty();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() {
            return event;
        }

        @Override
        public void close() {
        }
    }

    private static StreamableMessageSource<TrackedEventMessage<?>> source(Idle stream) {
        return (TrackingToken token) -> stream;
    }

    @Test
    void a_running_processor_waits_the_whole_timeout_for_events() throws InterruptedException {
        Idle idle = new Idle();
        BlockingStream<TrackedEventMessage<?>> stream = new PromptlyStoppingSource(source(idle), () -> true)
                .openStream(null);
        long started = System.nanoTime();
        assertThat(stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void an_event_ends_the_wait_at_once() throws InterruptedException {
        Idle idle = new Idle();
        idle.arrival.set(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
        BlockingStream<TrackedEventMessage<?>> stream = new PromptlyStoppingSource(source(idle), () -> true)
                .openStream(null);
        long started = System.nanoTime();
        assertThat(stream.hasNextAvailable(60, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(30));
        assertThat(stream.nextAvailable()).isSameAs(idle.event);
    }

    @Test
    void a_stopped_processor_stops_waiting_within_a_slice() throws InterruptedException {
        Idle idle = new Idle();
        AtomicBoolean running = new AtomicBoolean(true);
        BlockingStream<TrackedEventMessage<?>> stream = new PromptlyStoppingSource(source(idle), running::get)
                .openStream(null);
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.set(false);
        });
        long started = System.nanoTime();
        stopper.start();
        // Axon's wait is its event availability timeout (1 s by default); a minute makes the difference plain.
        assertThat(stream.hasNextAvailable(60, TimeUnit.SECONDS)).isFalse();
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(30));
        stopper.join();
    }

    @Test
    void no_wait_asked_none_made() throws InterruptedException {
        BlockingStream<TrackedEventMessage<?>> stream = new PromptlyStoppingSource(source(new Idle()), () -> true)
                .openStream(null);
        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.hasNextAvailable()).isFalse();
    }
}
