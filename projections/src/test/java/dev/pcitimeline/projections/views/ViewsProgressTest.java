package dev.pcitimeline.projections.views;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A waiter wakes at the processor's next commit, not at its poll; a processor's pause ends when somebody starts to
 * wait. The waits here are a minute long: a test that passes does so because of the wake-up, whatever the load.
 */
class ViewsProgressTest {
    private static final Duration LONG = Duration.ofMinutes(1);

    @Test
    void a_commit_wakes_the_waiter() {
        ViewsProgress progress = new ViewsProgress();
        long seen = progress.commits();
        AtomicBoolean woke = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                progress.awaitCommitAfter(seen, LONG);
                woke.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        progress.committed();
        await().atMost(Duration.ofSeconds(20)).untilTrue(woke);
        assertThat(progress.commits()).isEqualTo(seen + 1);
    }

    @Test
    void a_commit_before_the_wait_is_not_missed() throws InterruptedException {
        ViewsProgress progress = new ViewsProgress();
        long seen = progress.commits();
        progress.committed(); // between reading the tables and waiting
        long start = System.nanoTime();
        progress.awaitCommitAfter(seen, LONG);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LONG);
    }

    @Test
    void a_waiter_ends_the_processors_pause() {
        ViewsProgress progress = new ViewsProgress();
        AtomicBoolean paused = new AtomicBoolean();
        Thread processor = new Thread(() -> {
            try {
                progress.pause(LONG.toMillis());
                paused.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        processor.start();
        Thread waiter = new Thread(() -> {
            try {
                progress.awaitCommitAfter(progress.commits(), LONG);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(20)).untilTrue(paused);
        progress.committed();
        await().atMost(Duration.ofSeconds(20)).until(() -> !waiter.isAlive());
    }
}
