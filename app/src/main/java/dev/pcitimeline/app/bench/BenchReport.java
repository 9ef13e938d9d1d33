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
 * @param rawPerCommitInsertPerSec the same rows, one commit per {@value RawInsert#COMMAND_ROWS} (a command's
 *                             events): the limit of one durable commit per command on this store
 * @param ingestRatio          ingest / rawInsertPerSec (500 rows a commit): kept for comparison with older runs
 * @param ingestRatioPerCommit ingest / rawPerCommitInsertPerSec
 * @param ingestWarmupEvents   events the warm-up's systems stored on a throwaway store after the fold and before the
 *                             inserts (not timed), so that the JIT compiler has compiled the command side and the
 *                             views, as the fold's first rounds do for the fold; 0 when it did not run
 * @param warmupRounds         the warm-up's rounds (each at most {@value WarmUp#ROUND_EVENTS} events, N if smaller)
 * @param warmupSeconds        the warm-up's wall-clock time
 * @param warmupJitShare       the compilers' time in the last warm-up round over its wall-clock time; below
 *                             {@value WarmUp#QUIET_SHARE}: the JIT had settled
 * @param warmupRebuilds       rebuilds of the warm-up store's views after its rounds (at most
 *                             {@value WarmUp#MAX_REBUILDS}, fewer when one was quiet)
 * @param warmupRebuildJitShare the same share in the last of those rebuilds
 * @param storeFileMiB         the size of H2's file after the ingest (the raw inserts' dropped tables included); -1 on
 *                             another database
 * @param ingestWithViewsEventsPerSec events / time from the first command until the views had every event
 * @param viewsLagAfterIngestMs how long after the last command the views had every event
 * @param commandThreadProfile share of the ingest's command-thread samples inside each layer (inclusive)
 * @param ingestCpuSeconds     CPU time of the whole JVM while ingesting (views included): load on the machine
 *                             stretches wall-clock rates, not this
 * @param ingestJitSeconds     the JIT compilers' time while ingesting (the JVM's figure, all compiler threads)
 * @param rebuildRunsEventsPerSec every rebuild's rate, slowest first ({@code --rebuilds}); the median is
 *                             {@code rebuildEventsPerSec}, and the reset, CPU and JIT figures are that rebuild's
 * @param rebuildResetMs       the views processor's reset (truncating the view tables) before its replay
 * @param rebuildCpuSeconds    CPU time of the whole JVM during the replay
 * @param rebuildJitSeconds    the JIT compilers' time during the replay
 * @param asOfStateRows        average rows of one state object (pdevs … steps), to read the latencies by
 * @param asOfReadsWithCollection reads (of {@code asOfSamples}) during which the garbage collector ran: a young
 *                             collection stops the read for its pause, and a few such reads are the p99
 * @param asOfWarmupReads      unmeasured reads before the samples, in batches of {@value Bench#READS_WARMUP_ROUND}: at
 *                             least {@value Bench#READS_MIN_WARMUP_MS} ms of them, until
 *                             {@value Bench#READS_QUIET_ROUNDS} rounds in a row of at least
 *                             {@value Bench#READS_WARMUP_ROUND_MIN_MS} ms kept the compiler threads busy less than
 *                             {@value WarmUp#QUIET_SHARE} of them
 * @param asOfWarmupSeconds    their wall-clock time
 * @param replayLibrarySeconds null when skipped ({@code replayLibraryNote} says why)
 * @param peakHeapMiB          the most heap in use at any moment of the run (sampled every 20 ms)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"events", "steps", "seed", "cores", "jvm", "maxHeapMiB", "peakHeapMiB", "rawInsertPerSec",
        "rawPerCommitInsertPerSec", "ingestEventsPerSec", "ingestRatio", "ingestRatioPerCommit", "ingestWarmupEvents",
        "warmupRounds", "warmupSeconds", "warmupJitShare", "warmupRebuilds", "warmupRebuildJitShare", "storeFileMiB",
        "ingestWithViewsEventsPerSec", "viewsLagAfterIngestMs", "ingestCpuSeconds", "ingestJitSeconds",
        "commandThreadProfile", "rebuildEventsPerSec", "rebuildRunsEventsPerSec",
        "rebuildResetMs", "rebuildCpuSeconds", "rebuildJitSeconds",
        "asOfP50Ms", "asOfP99Ms", "asOfMaxMs", "asOfSamples", "asOfStateRows", "asOfReadsWithCollection",
        "asOfWarmupReads", "asOfWarmupSeconds",
        "foldEventsPerSec",
        "replayLibrarySeconds", "replayLibraryScenarios", "replayLibraryExit", "replayLibraryNote", "generateMs",
        "totalSeconds", "targets"})
public record BenchReport(long events, int steps, long seed, int cores, String jvm, long maxHeapMiB, long peakHeapMiB,
                          double rawInsertPerSec, double rawPerCommitInsertPerSec, double ingestEventsPerSec,
                          double ingestRatio, double ingestRatioPerCommit, long ingestWarmupEvents,
                          int warmupRounds, double warmupSeconds, double warmupJitShare, int warmupRebuilds,
                          double warmupRebuildJitShare, long storeFileMiB,
                          double ingestWithViewsEventsPerSec, double viewsLagAfterIngestMs, double ingestCpuSeconds,
                          double ingestJitSeconds, List<String> commandThreadProfile,
                          double rebuildEventsPerSec, List<Long> rebuildRunsEventsPerSec,
                          double rebuildResetMs, double rebuildCpuSeconds, double rebuildJitSeconds,
                          double asOfP50Ms, double asOfP99Ms, double asOfMaxMs, int asOfSamples, double asOfStateRows,
                          int asOfReadsWithCollection, int asOfWarmupReads, double asOfWarmupSeconds,
                          double foldEventsPerSec, Double replayLibrarySeconds, int replayLibraryScenarios,
                          Integer replayLibraryExit, String replayLibraryNote, long generateMs, double totalSeconds,
                          List<Target> targets) {

    /** One goal of issue 13 (issue 5's, raised): the measured value against the bound. */
    @JsonPropertyOrder({"name", "value", "bound", "met"})
    public record Target(String name, double value, String bound, boolean met) {
    }

    /** The figures the targets judge. */
    record Measured(double ingestRatioPerCommit, double viewsLagMs, double rebuild, double resetMs, double asOfP50,
                    double asOfP99, double fold, long peakHeapMiB, long maxHeapMiB, Double librarySeconds) {
    }

    /** The targets for this run's figures (they are stated for N = 100,000 on the reference 2-core machine). */
    static List<Target> targets(Measured m) {
        List<Target> t = new ArrayList<>();
        t.add(new Target("ingestRatioPerCommit", round(m.ingestRatioPerCommit(), 3), ">= 0.6",
                m.ingestRatioPerCommit() >= 0.6));
        t.add(new Target("viewsLagAfterIngestMs", round(m.viewsLagMs(), 1), "<= 1000", m.viewsLagMs() <= 1000));
        t.add(new Target("rebuildEventsPerSec", Math.round(m.rebuild()), ">= 100000", m.rebuild() >= 100_000));
        t.add(new Target("rebuildResetMs", round(m.resetMs(), 1), "< 2000", m.resetMs() < 2000));
        t.add(new Target("asOfP50Ms", round(m.asOfP50(), 2), "<= 3", m.asOfP50() <= 3));
        t.add(new Target("asOfP99Ms", round(m.asOfP99(), 2), "<= 10", m.asOfP99() <= 10));
        t.add(new Target("foldEventsPerSec", Math.round(m.fold()), ">= 2000000", m.fold() >= 2_000_000));
        t.add(new Target("peakHeapMiB", m.peakHeapMiB(), "< 512", m.peakHeapMiB() < 512));
        t.add(new Target("maxHeapMiB", m.maxHeapMiB(), "<= 512 (run with -Xmx512m)", m.maxHeapMiB() <= 512));
        if (m.librarySeconds() != null) {
            t.add(new Target("replayLibrarySeconds", round(m.librarySeconds(), 2), "< 10", m.librarySeconds() < 10));
        }
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
        line(b, "  JIT warm-up before it", "%,d events in %d rounds (the last %.0f %% compiling), %d rebuilds (the"
                        + " last %.0f %%), %.1f s", ingestWarmupEvents, warmupRounds, warmupJitShare * 100,
                warmupRebuilds, warmupRebuildJitShare * 100, warmupSeconds);
        line(b, "raw, one commit per 8 rows", "%,.0f rows/s", rawPerCommitInsertPerSec);
        line(b, "ingest / raw", "%.3f", ingestRatio);
        line(b, "ingest / raw per commit", "%.3f", ingestRatioPerCommit);
        line(b, "ingest until views caught up", "%,.0f events/s", ingestWithViewsEventsPerSec);
        line(b, "  views caught up after", "%,.0f ms", viewsLagAfterIngestMs);
        if (storeFileMiB >= 0) {
            line(b, "  store file after the ingest", "%,d MiB", storeFileMiB);
        }
        line(b, "  CPU time (all threads)", "%.1f s", ingestCpuSeconds);
        line(b, "  JIT compilers' time", "%.1f s", ingestJitSeconds);
        b.append(String.format(Locale.ROOT, "  %-32s %s%n", "  command thread inside",
                String.join(", ", commandThreadProfile)));
        line(b, "views rebuild", "%,.0f events/s%s", rebuildEventsPerSec, rebuildRunsEventsPerSec.size() < 2 ? ""
                : rebuildRunsEventsPerSec.stream().map(r -> String.format(Locale.ROOT, "%,d", r))
                .collect(java.util.stream.Collectors.joining(", ", " (the median of ", ")")));
        line(b, "  CPU time (all threads)", "%.1f s", rebuildCpuSeconds);
        line(b, "  JIT compilers' time", "%.1f s", rebuildJitSeconds);
        line(b, "views reset before rebuild", "%,.0f ms", rebuildResetMs);
        line(b, "state as of event, p50", "%.2f ms", asOfP50Ms);
        line(b, "state as of event, p99", "%.2f ms", asOfP99Ms);
        line(b, "state as of event, max", "%.2f ms", asOfMaxMs);
        line(b, "state rows (average)", "%,.0f", asOfStateRows);
        line(b, "  reads that met a collection", "%d of %d", asOfReadsWithCollection, asOfSamples);
        line(b, "  warm-up reads before them", "%,d in %.1f s", asOfWarmupReads, asOfWarmupSeconds);
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

    private static void line(StringBuilder b, String what, String format, Object... values) {
        Object[] args = new Object[values.length + 1];
        args[0] = what;
        System.arraycopy(values, 0, args, 1, values.length);
        b.append(String.format(Locale.ROOT, "  %-32s " + format + "%n", args));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%,.3f", v);
    }
}
