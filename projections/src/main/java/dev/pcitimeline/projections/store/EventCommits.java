package dev.pcitimeline.projections.store;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many times the event store of this JVM has committed events, and a wait for the next time: what tells a
 * tracking processor's stream that a look at the event table will find something, so that it need not look
 * otherwise. Commits of other nodes sharing the database are not counted; a stream still looks now and then for them.
 */
public final class EventCommits {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private volatile long count;

    /** Commits so far. Read it before looking at the table: a commit after that look then ends the next wait. */
    public long count() {
        return count;
    }

    /** Events were committed: counts them and wakes every waiter. */
    public void committed() {
        lock.lock();
        try {
            count++;
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the count is no longer {@code seen}, at most {@code nanos} nanoseconds; true when it changed (at
     * once when it already had).
     */
    public boolean awaitAfter(long seen, long nanos) throws InterruptedException {
        if (count != seen) {
            return true;
        }
        lock.lock();
        try {
            long left = nanos;
            while (count == seen) {
                if (left <= 0) {
                    return false;
                }
                left = committed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
