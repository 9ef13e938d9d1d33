package dev.pcitimeline.projections.views;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Rebuilds the views from the event store without the "views" processor: empties the view tables
 * ({@link ViewsReset}), reads every stored event in the store's order straight from the event table
 * ({@link EventTableReader}), folds them
 * with the same {@link ViewFolder} the processor uses, writes a transaction per {@value #BATCH_EVENTS} events, and in
 * the last transaction stores the processor's tokens at the last event read and clears the reset flag. The processor,
 * started afterwards, carries on from there.
 *
 * <p>Why not Axon's replay (a token reset): the processor's path costs ~27 µs of CPU an event before any handler runs
 * (measured with a handler that does nothing: 34,000 events/s), the storage engine's stream ~9 µs, the event table
 * read with plain SQL ~6 µs. A second thread reads and deserializes while this one folds and writes.
 *
 * <p>The processor must not run meanwhile: callers stop it (or call this before it starts). A crash part way leaves
 * the flag set, and the next start rebuilds again.
 */
public class ViewsRebuild {
    /** Events per transaction: few commits, and a batch's rows stay a few MB at most. */
    static final int BATCH_EVENTS = 20_000;
    private static final Logger log = LoggerFactory.getLogger(ViewsRebuild.class);
    private static final Object END = new Object();
    /**
     * Events handed from the reader to the folder at a time. One at a time, the two threads (about as fast as each
     * other) met at an empty or full queue every few events and woke each other up through the kernel.
     */
    static final int HANDOFF_EVENTS = 512;

    private final EventTableReader events;
    private final TokenStore tokens;
    private final TransactionTemplate transactions;
    private final ViewFolder folder;
    private final ViewWriter writer;
    private final ViewsReset reset;
    private final String processorName;
    private final int segments;

    ViewsRebuild(EventTableReader events, TokenStore tokens, PlatformTransactionManager transactions,
                 ViewFolder folder, ViewWriter writer, ViewsReset reset, String processorName, int segments) {
        this.events = events;
        this.tokens = tokens;
        this.transactions = new TransactionTemplate(transactions);
        this.folder = folder;
        this.writer = writer;
        this.reset = reset;
        this.processorName = processorName;
        this.segments = segments;
    }

    /**
     * What a rebuild did: events folded, how long the reset and the fold took (wall clock), and the CPU time of the
     * reading thread (the event table's pages and the deserialization), of this thread (the fold), of this thread's
     * transactions (the writes) and of the thread that encodes the checkpoints (their JSON and deflate); -1 where the
     * JVM cannot tell a thread's CPU time.
     */
    public record Result(long events, long resetNanos, long foldNanos, long readerCpuNanos, long folderCpuNanos,
                         long writeCpuNanos, long encoderCpuNanos) {
        public double eventsPerSecond() {
            return foldNanos == 0 ? 0 : events / (foldNanos / 1e9);
        }
    }

    /** The same when a reset is pending (one interrupted, or the V5 migration): at start-up, before the processor. */
    public boolean rebuildIfPending(LongConsumer progress) {
        if (!reset.pending()) {
            return false;
        }
        log.info("views: a rebuild is pending (interrupted, or a store from an older build): rebuilding");
        Result r = rebuild(progress);
        log.info("views: rebuilt from {} events in {} ms", r.events(), (r.resetNanos() + r.foldNanos()) / 1_000_000);
        return true;
    }

    /**
     * Empties the views and folds every stored event into them; {@code progress} hears the events folded so far
     * after each transaction.
     */
    public Result rebuild(LongConsumer progress) {
        long t = System.nanoTime();
        folder.clear();
        reset.markAndEmpty();
        long resetNanos = System.nanoTime() - t;
        t = System.nanoTime();
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(8);
        Reader reader = new Reader(queue);
        Thread thread = new Thread(reader, "views-rebuild-reader");
        thread.setDaemon(true);
        thread.start();
        long events = 0;
        long cpuBefore = threadCpuNanos();
        long[] writeCpu = {0};
        long encoderCpu = -1;
        // The checkpoints' JSON and deflate (a fifth of this thread's time when done here) on a thread of their own:
        // the reader leaves most of the second core free.
        ExecutorService encoder = Executors.newSingleThreadExecutor(r -> {
            Thread encoding = new Thread(r, "views-rebuild-encoder");
            encoding.setDaemon(true);
            return encoding;
        });
        try {
            ViewBatch batch = new ViewBatch(encoder);
            while (true) {
                Object next = queue.poll(1, TimeUnit.SECONDS);
                if (next == null) {
                    if (!thread.isAlive() && queue.isEmpty()) {
                        throw new IllegalStateException("the views rebuild's reader stopped without finishing",
                                reader.failure);
                    }
                    continue;
                }
                if (next == END) {
                    break;
                }
                @SuppressWarnings("unchecked")
                List<EventTableReader.StoredEvent> handed = (List<EventTableReader.StoredEvent>) next;
                for (EventTableReader.StoredEvent stored : handed) {
                    Object payload = stored.payload();
                    long n = stored.sequenceNumber() + 1;
                    if (payload instanceof SystemCreated created) {
                        folder.created(created, n, stored.timestamp(), batch);
                    } else if (payload instanceof SegmentEvent event) {
                        folder.event(event, n, batch);
                    }
                    events++;
                    if (batch.events() >= BATCH_EVENTS) {
                        write(batch, false, null, writeCpu);
                        batch = new ViewBatch(encoder);
                        progress.accept(events);
                    }
                }
            }
            if (reader.failure != null) {
                throw new IllegalStateException("cannot read the event store: " + reader.failure.getMessage(),
                        reader.failure);
            }
            write(batch, true, reader.end, writeCpu);
            progress.accept(events);
            encoderCpu = CompletableFuture.supplyAsync(ViewsRebuild::threadCpuNanos, encoder).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rebuilding the views", e);
        } catch (RuntimeException e) {
            folder.clear();
            throw e;
        } finally {
            reader.stop = true;
            thread.interrupt();
            encoder.shutdownNow();
        }
        long foldNanos = System.nanoTime() - t;
        long cpu = threadCpuNanos();
        return new Result(events, resetNanos, foldNanos, reader.cpuNanos,
                cpuBefore < 0 || cpu < 0 ? -1 : cpu - cpuBefore, cpu < 0 ? -1 : writeCpu[0], encoderCpu);
    }

    /** This thread's CPU time so far, or -1. */
    private static long threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    }

    /**
     * One transaction: the batch's rows; with the {@code last} batch, the processor's tokens at {@code end} (null: the
     * store had no events) and the cleared flag.
     */
    private void write(ViewBatch batch, boolean last, TrackingToken end, long[] cpu) {
        long before = threadCpuNanos();
        transactions.executeWithoutResult(s -> {
            writer.flush(batch, folder::openVersions);
            if (last) {
                storeTokens(end);
                reset.finished();
            }
        });
        cpu[0] += threadCpuNanos() - before;
    }

    /**
     * Every segment of the processor at {@code end} (null: an empty store). A processor without tokens gets
     * {@code pcitimeline.views.segments} of them.
     */
    private void storeTokens(TrackingToken end) {
        int[] existing = tokens.fetchSegments(processorName);
        if (existing.length == 0) {
            if (end != null) {
                tokens.initializeTokenSegments(processorName, segments, end);
            }
            // an empty store and no tokens yet: the processor creates its own, as its configuration says
            return;
        }
        for (int segment : existing) {
            tokens.fetchToken(processorName, segment); // claims it: the processor is stopped, the claim is free
            tokens.storeToken(end, processorName, segment);
            tokens.releaseClaim(processorName, segment);
        }
    }

    /** Reads and deserializes the stored events on its own thread, in the store's order. */
    private final class Reader implements Runnable {
        private final BlockingQueue<Object> queue;
        private volatile boolean stop;
        private volatile Throwable failure;
        /** The token after the last event read, once done (null: the store had none). */
        private volatile TrackingToken end;
        /** Its CPU time when it finished; -1 until then (or when the JVM cannot tell). */
        private volatile long cpuNanos = -1;

        /** The events read since the last handoff. */
        private List<EventTableReader.StoredEvent> chunk = new ArrayList<>(HANDOFF_EVENTS);

        Reader(BlockingQueue<Object> queue) {
            this.queue = queue;
        }

        private void hand(EventTableReader.StoredEvent event) throws InterruptedException {
            chunk.add(event);
            if (chunk.size() == HANDOFF_EVENTS) {
                queue.put(chunk);
                chunk = new ArrayList<>(HANDOFF_EVENTS);
            }
        }

        @Override
        public void run() {
            try {
                end = events.read(this::hand, () -> stop);
                if (!chunk.isEmpty()) {
                    queue.put(chunk);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                failure = e;
            }
            cpuNanos = threadCpuNanos();
            try {
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
