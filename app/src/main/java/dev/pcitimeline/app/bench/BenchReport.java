package dev.pcitimeline.app.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one {@code bench} run measured, and each target met or missed. Rates are events (or
 * rows) per second of wall-clock time; latencies are milliseconds.
 *
 * @param events               the synthetic history's events (SystemCreated included; at least N)
 * @param steps                its steps: one command each
 * @param ingestWithViewsEventsPerSec events / time from the first command until the views had every event
 * @param ingestCpuSeconds     CPU time of the whole JVM while ingesting (views included): load on the machine
 *                             stretches wall-clock rates, not this
 * @param rebuildResetMs       the views processor's reset (deleting every view row) before its replay
 * @param rebuildCpuSeconds    CPU time of the whole JVM during the replay
 * @param asOfStateRows        average rows of one state object (pdevs … steps), to read the latencies by
 * @param replayLibrarySeconds null when skipped ({@code replayLibraryNote} says why)
 * @param peakHeapMiB          the most heap in use at any moment of the run (sampled every 20 ms)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"events", "steps", "seed", "cores", "jvm", "maxHeapMiB", "peakHeapMiB", "rawInsertPerSec",
        "ingestEventsPerSec", "ingestRatio", "ingestWithViewsEventsPerSec", "ingestCpuSeconds", "rebuildEventsPerSec",
        "rebuildResetMs", "rebuildCpuSeconds",
        "asOfP50Ms", "asOfP99Ms", "asOfMaxMs", "asOfSamples", "asOfStateRows", "foldEventsPerSec",
        "replayLibrarySeconds", "replayLibraryScenarios", "replayLibraryExit", "replayLibraryNote", "generateMs",
        "totalSeconds", "targets"})
public record BenchReport(long events, int steps, long seed, int cores, String jvm, long maxHeapMiB, long peakHeapMiB,
                          double rawInsertPerSec, double ingestEventsPerSec, double ingestRatio,
                          double ingestWithViewsEventsPerSec, double ingestCpuSeconds, double rebuildEventsPerSec,
                          double rebuildResetMs, double rebuildCpuSeconds,
                          double asOfP50Ms, double asOfP99Ms, double asOfMaxMs, int asOfSamples, double asOfStateRows,
                          double foldEventsPerSec, Double replayLibrarySeconds, int replayLibraryScenarios,
                          Integer replayLibraryExit, String replayLibraryNote, long generateMs, double totalSeconds,
                          List<Target> targets) {

    /** One goal of issue 5: the measured value against the bound. */
    @JsonPropertyOrder({"name", "value", "bound", "met"})
    public record Target(String name, double value, String bound, boolean met) {
    }

    /** The targets for this run's figures (they are stated for N = 100,000 on the reference 2-core machine). */
    static List<Target> targets(double ingestRatio, double rebuild, double asOfP99, double fold, long maxHeapMiB) {
        List<Target> t = new ArrayList<>();
        t.add(new Target("ingestRatio", round(ingestRatio, 3), ">= 0.25", ingestRatio >= 0.25));
        t.add(new Target("rebuildEventsPerSec", Math.round(rebuild), ">= 50000", rebuild >= 50_000));
        t.add(new Target("asOfP99Ms", round(asOfP99, 2), "<= 25", asOfP99 <= 25));
        t.add(new Target("foldEventsPerSec", Math.round(fold), ">= 1000000", fold >= 1_000_000));
        t.add(new Target("maxHeapMiB", maxHeapMiB, "<= 512 (run with -Xmx512m)", maxHeapMiB <= 512));
        return t;
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    /** The human-readable form. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "pci-timeline bench: %,d events in %,d steps (seed %d)%n", events, steps,
                seed));
        b.append(String.format(Locale.ROOT, "machine: %d cores, %s, max heap %,d MiB (peak in use %,d MiB)%n%n", cores,
                jvm, maxHeapMiB, peakHeapMiB));
        line(b, "raw JDBC batch inserts", "%,.0f rows/s", rawInsertPerSec);
        line(b, "ingest (commands -> store)", "%,.0f events/s", ingestEventsPerSec);
        line(b, "ingest / raw", "%.3f", ingestRatio);
        line(b, "ingest until views caught up", "%,.0f events/s", ingestWithViewsEventsPerSec);
        line(b, "  CPU time (all threads)", "%.1f s", ingestCpuSeconds);
        line(b, "views rebuild", "%,.0f events/s", rebuildEventsPerSec);
        line(b, "  CPU time (all threads)", "%.1f s", rebuildCpuSeconds);
        line(b, "views reset before rebuild", "%,.0f ms", rebuildResetMs);
        line(b, "state as of event, p50", "%.2f ms", asOfP50Ms);
        line(b, "state as of event, p99", "%.2f ms", asOfP99Ms);
        line(b, "state as of event, max", "%.2f ms", asOfMaxMs);
        line(b, "state rows (average)", "%,.0f", asOfStateRows);
        line(b, "pure fold (Machine.apply)", "%,.0f events/s", foldEventsPerSec);
        if (replayLibrarySeconds != null) {
            line(b, "replay scenario library", "%.2f s", replayLibrarySeconds);
            b.append(String.format(Locale.ROOT, "  %-32s %d scenarios, exit %d%s%n", "", replayLibraryScenarios,
                    replayLibraryExit, replayLibraryNote == null ? "" : " (" + replayLibraryNote + ")"));
        } else {
            b.append(String.format(Locale.ROOT, "  %-32s skipped: %s%n", "replay scenario library", replayLibraryNote));
        }
        b.append(String.format(Locale.ROOT, "%ntargets (stated for N = 100,000 on the reference 2-core machine):%n"));
        for (Target t : targets) {
            b.append(String.format(Locale.ROOT, "  %-20s %14s  %-28s %s%n", t.name(), fmt(t.value()), t.bound(),
                    t.met() ? "met" : "MISSED"));
        }
        b.append(String.format(Locale.ROOT, "%ntotal %.1f s (history generated in %,d ms)%n", totalSeconds, generateMs));
        return b.toString();
    }

    private static void line(StringBuilder b, String what, String format, double value) {
        b.append(String.format(Locale.ROOT, "  %-32s " + format + "%n", what, value));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%,.3f", v);
    }
}
