package dev.pcitimeline.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A sampling profile of one thread (the command thread of the ingest): every few milliseconds its stack is read,
 * and each labelled layer counts the samples whose stack passes through it (inclusive, so layers overlap: an H2
 * commit is inside the unit of work's commit). Coarse, but enough to say where a command's time goes besides the
 * insert: Axon's unit of work, serialization, the snapshot trigger, the copy of the machine.
 */
final class ThreadProfile extends Thread {
    private static final long EVERY_MILLIS = 10;

    /** The layers, in the order they are printed. */
    private static final Map<String, Predicate<StackTraceElement>> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("Axon unit of work commit", f -> f.getClassName().startsWith("org.axonframework.messaging.unitofwork")
                && f.getMethodName().equals("commit"));
        LAYERS.put("H2 (any)", f -> f.getClassName().startsWith("org.h2."));
        LAYERS.put("H2 commit", f -> f.getClassName().startsWith("org.h2.") && f.getMethodName().equals("commit"));
        LAYERS.put("event/snapshot serialization", f -> f.getClassName().startsWith("org.axonframework.serialization")
                || f.getClassName().startsWith("com.fasterxml.jackson"));
        LAYERS.put("aggregate load (cache, store)", f -> f.getClassName().startsWith("org.axonframework.modelling")
                && f.getMethodName().startsWith("load"));
        LAYERS.put("snapshot trigger", f -> f.getClassName().contains("SnapshotTrigger"));
        LAYERS.put("step on a copy (Machine.record)", f -> f.getClassName().equals("dev.pcitimeline.domain.machine.Machine")
                && f.getMethodName().equals("record"));
        LAYERS.put("  machine copy", f -> f.getClassName().equals("dev.pcitimeline.domain.machine.Machine")
                && f.getMethodName().equals("copy"));
        LAYERS.put("aggregate applies the events", f -> f.getClassName().equals("dev.pcitimeline.domain.machine.Machine")
                && f.getMethodName().equals("apply"));
    }

    private final long threadId;
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private volatile boolean running = true;
    private int samples;
    private int waiting;

    ThreadProfile(Thread profiled) {
        super("bench-profiler");
        setDaemon(true);
        this.threadId = profiled.getId();
        LAYERS.keySet().forEach(k -> counts.put(k, 0));
    }

    @Override
    public void run() {
        while (running) {
            ThreadInfo info = mx.getThreadInfo(threadId, Integer.MAX_VALUE);
            if (info != null) {
                record(info);
            }
            try {
                Thread.sleep(EVERY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void record(ThreadInfo info) {
        samples++;
        if (info.getThreadState() == Thread.State.WAITING || info.getThreadState() == Thread.State.TIMED_WAITING) {
            waiting++;
        }
        for (Map.Entry<String, Predicate<StackTraceElement>> layer : LAYERS.entrySet()) {
            for (StackTraceElement frame : info.getStackTrace()) {
                if (layer.getValue().test(frame)) {
                    counts.merge(layer.getKey(), 1, Integer::sum);
                    break;
                }
            }
        }
    }

    /** Stops sampling; each layer as "label NN%" of the samples, waiting included. */
    synchronized List<String> finish() throws InterruptedException {
        running = false;
        interrupt();
        List<String> out = new ArrayList<>();
        if (samples == 0) {
            return out;
        }
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            out.add(String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / samples));
        }
        out.add(String.format(Locale.ROOT, "waiting (blocked or parked) %.0f%%", 100.0 * waiting / samples));
        out.add(samples + " samples");
        return out;
    }
}
