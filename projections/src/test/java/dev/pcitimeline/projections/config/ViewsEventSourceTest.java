package dev.pcitimeline.projections.config;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import dev.pcitimeline.projections.store.EventCommits;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The views processor's source: an idle wait lasts its whole timeout while the processor runs, and no longer once it
 * stops; with the store's commit count it looks at the store after a commit of this JVM or once a poll interval.
 */
class ViewsEventSourceTest {

    /** A stream that is empty until {@code arrivesAfterNanos} (nanoTime) has passed; waits like the event store's. */
    private static final class Idle implements BlockingStream<TrackedEventMessage<?>> {
        final AtomicLong arrival = new AtomicLong(Long.MAX_VALUE);
        final TrackedEventMessage<?> event = new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(1),
                GenericEventMessage.asEventMessage("payload"));

        /** How many times somebody looked without waiting (a private stream queries the table each time). */
        final AtomicLong looks = new AtomicLong();

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (timeout == 0) {
                looks.incrementAndGet();
            }
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

    /** A started thread that runs {@code action} after {@code millis} ms (join it at the end of the test). */
    private static Thread after(long millis, Runnable action) {
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            action.run();
        });
        thread.start();
        return thread;
    }

    @Test
    void a_running_processor_waits_the_whole_timeout_for_events() throws InterruptedException {
        Idle idle = new Idle();
        BlockingStream<TrackedEventMessage<?>> stream = new ViewsEventSource(source(idle), () -> true, null)
                .openStream(null);
        long started = System.nanoTime();
        assertThat(stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void an_event_ends_the_wait_at_once() throws InterruptedException {
        Idle idle = new Idle();
        idle.arrival.set(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
        BlockingStream<TrackedEventMessage<?>> stream = new ViewsEventSource(source(idle), () -> true, null)
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
        BlockingStream<TrackedEventMessage<?>> stream = new ViewsEventSource(source(idle), running::get, null)
                .openStream(null);
        long started = System.nanoTime();
        Thread stopper = after(50, () -> running.set(false));
        // Axon's wait is its event availability timeout (1 s by default); a minute makes the difference plain.
        assertThat(stream.hasNextAvailable(60, TimeUnit.SECONDS)).isFalse();
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(30));
        stopper.join();
    }

    @Test
    void no_wait_asked_none_made() throws InterruptedException {
        BlockingStream<TrackedEventMessage<?>> stream = new ViewsEventSource(source(new Idle()), () -> true, null)
                .openStream(null);
        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.hasNextAvailable()).isFalse();
    }

    // ------------------------------------------------------------------ with the store's commit count

    @Test
    void with_commits_an_idle_wait_looks_once_per_poll_interval_and_lasts_its_timeout() throws InterruptedException {
        Idle idle = new Idle();
        BlockingStream<TrackedEventMessage<?>> stream = new ViewsEventSource(source(idle), () -> true,
                new EventCommits(), 60_000).openStream(null);
        long started = System.nanoTime();
        assertThat(stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(idle.looks.get()).isEqualTo(1); // at the start only: no commit, the poll interval far away
    }

    @Test
    void with_commits_a_commit_of_this_jvm_ends_the_wait_at_once() throws InterruptedException {
        Idle idle = new Idle();
        EventCommits commits = new EventCommits();
        BlockingStream<TrackedEventMessage<?>> stream = new ViewsEventSource(source(idle), () -> true, commits,
                60_000).openStream(null);
        long started = System.nanoTime();
        Thread committer = after(50, () -> {
            idle.arrival.set(System.nanoTime());
            commits.committed();
        });
        assertThat(stream.hasNextAvailable(60, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(30)); // not the poll's minute
        assertThat(stream.nextAvailable()).isSameAs(idle.event);
        committer.join();
    }

    @Test
    void with_commits_a_commit_between_the_look_and_the_wait_is_not_missed() throws InterruptedException {
        Idle idle = new Idle();
        EventCommits commits = new EventCommits();
        // the commit lands while the stream is being looked at: counted after the count was read
        BlockingStream<TrackedEventMessage<?>> racing = new BlockingStream<>() {
            @Override
            public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
                boolean found = idle.hasNextAvailable(timeout, unit);
                if (!found && idle.looks.get() == 1) {
                    idle.arrival.set(System.nanoTime());
                    commits.committed();
                }
                return found;
            }

            @Override
            public Optional<TrackedEventMessage<?>> peek() {
                return idle.peek();
            }

            @Override
            public TrackedEventMessage<?> nextAvailable() {
                return idle.nextAvailable();
            }

            @Override
            public void close() {
            }
        };
        BlockingStream<TrackedEventMessage<?>> stream = new ViewsEventSource(token -> racing, () -> true, commits,
                60_000).openStream(null);
        long started = System.nanoTime();
        assertThat(stream.hasNextAvailable(60, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(30));
        assertThat(idle.looks.get()).isEqualTo(2);
    }

    @Test
    void with_commits_another_nodes_events_are_found_at_the_next_poll() throws InterruptedException {
        Idle idle = new Idle();
        idle.arrival.set(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30)); // committed elsewhere: no count
        BlockingStream<TrackedEventMessage<?>> stream = new ViewsEventSource(source(idle), () -> true,
                new EventCommits(), 100).openStream(null);
        assertThat(stream.hasNextAvailable(60, TimeUnit.SECONDS)).isTrue();
        assertThat(idle.looks.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void with_commits_a_stopped_processor_stops_waiting_within_a_slice() throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        BlockingStream<TrackedEventMessage<?>> stream = new ViewsEventSource(source(new Idle()), running::get,
                new EventCommits(), 60_000).openStream(null);
        long started = System.nanoTime();
        Thread stopper = after(50, () -> running.set(false));
        assertThat(stream.hasNextAvailable(60, TimeUnit.SECONDS)).isFalse();
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(30));
        stopper.join();
    }
}
