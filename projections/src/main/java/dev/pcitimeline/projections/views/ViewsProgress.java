package dev.pcitimeline.projections.views;

import java.time.Duration;

/**
 * The views processor's commits in this JVM, and the threads waiting for them (a replay waits for the views after
 * every step). A waiter wakes at the next commit instead of at its next poll, and a processor pausing after a small
 * batch ({@link ViewProjection}) stops pausing as soon as someone waits: the pause is for commands that nobody waits
 * on. Another node's commits are not seen here, so waiters still poll the tables.
 */
public final class ViewsProgress {
    private final Object lock = new Object();
    private long commits;
    private int waiters;

    /** The commits so far: read before looking at the tables, then hand it to {@link #awaitCommitAfter}. */
    public long commits() {
        synchronized (lock) {
            return commits;
        }
    }

    /**
     * Waits until a commit after the {@code seen}-th (see {@link #commits()}) or until {@code timeout} passed.
     *
     * @throws InterruptedException when interrupted
     */
    public void awaitCommitAfter(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            waiters++;
            lock.notifyAll(); // a pausing processor goes on at once
            try {
                long left;
                while (commits == seen && (left = deadline - System.nanoTime()) > 0) {
                    lock.wait(Math.max(1, left / 1_000_000));
                }
            } finally {
                waiters--;
            }
        }
    }

    /** The processor committed a batch. */
    void committed() {
        synchronized (lock) {
            commits++;
            lock.notifyAll();
        }
    }

    /** The processor's pause after a small batch: up to {@code millis}, over as soon as somebody waits. */
    void pause(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (lock) {
            long left;
            while (waiters == 0 && (left = deadline - System.nanoTime()) > 0) {
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
