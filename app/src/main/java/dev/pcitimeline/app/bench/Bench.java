package dev.pcitimeline.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pcitimeline.domain.command.CreateSystem;
import dev.pcitimeline.domain.command.RunStep;
import dev.pcitimeline.domain.command.StepResult;
import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.xen.XenTrace;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.views.ViewProjection;
import dev.pcitimeline.projections.views.Views;
import dev.pcitimeline.projections.views.ViewsRebuild;
import dev.pcitimeline.scenarios.synthetic.SyntheticHistory;
import dev.pcitimeline.scenarios.synthetic.SyntheticHistoryGenerator;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.springframework.context.ApplicationContext;

import javax.sql.DataSource;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * {@code pci-timeline bench}: one JVM, one fresh H2 file store (the caller's context), and these phases, each timed
 * on its own: the pure fold of a synthetic history in memory; the JIT's warm-up on another store ({@link WarmUp},
 * untimed); plain JDBC batch inserts (this machine's limit); ingesting the history through the command side with
 * the views running; a reset and rebuild of the views; the state object at random events through the REST path;
 * and the scenario library replayed by a child JVM. Progress goes to {@code progress} (stderr); the report is
 * returned.
 */
public final class Bench {
    /** The bench's system in the fresh store. */
    static final String SYSTEM = "bench-synthetic";
    /** The systems whose commands warm the JIT up, on a throwaway store ({@link WarmUp}): this, a dash, the round. */
    static final String WARMUP_SYSTEM = "bench-warmup";
    private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;
    /** Rows of the per-commit raw insert, at most. */
    private static final long PER_COMMIT_ROWS = 100_000;

    private final CommandGateway gateway;
    private final StateQueries queries;
    private final DataSource dataSource;
    private final EventProcessingConfiguration processing;
    private final ViewsRebuild rebuild;
    private final BenchOptions options;
    private final Supplier<WarmUp.Result> warmUp;
    private final PrintStream progress;
    private final ObjectMapper json = new ObjectMapper();
    private final Connection connection = new Connection();

    /**
     * @param context the measured store's context: fresh, so that it holds the history alone
     * @param warmUp  runs the JIT's warm-up ({@link WarmUp}, on another store) right before the ingest and says what
     *                it did; null when there is none
     */
    public Bench(ApplicationContext context, BenchOptions options, Supplier<WarmUp.Result> warmUp,
                 PrintStream progress) {
        this.gateway = context.getBean(CommandGateway.class);
        this.queries = context.getBean(StateQueries.class);
        this.dataSource = context.getBean(DataSource.class);
        this.processing = context.getBean(EventProcessingConfiguration.class);
        this.rebuild = context.getBean(Views.class).rebuild();
        this.options = options;
        this.warmUp = warmUp;
        this.progress = progress;
    }

    public BenchReport run() throws Exception {
        long started = System.nanoTime();
        HeapSampler heap = new HeapSampler();
        heap.start();
        int cores = Runtime.getRuntime().availableProcessors();
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        long maxHeapMiB = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        say("%d cores, %s, max heap %,d MiB; %,d events, seed %d", cores, jvm, maxHeapMiB, options.events(),
                options.seed());

        say("generating a synthetic history of %,d events...", options.events());
        long t = System.nanoTime();
        SyntheticHistory history = SyntheticHistoryGenerator.generate(SYSTEM, options.seed(), options.events(), true);
        long generateMs = (System.nanoTime() - t) / 1_000_000;
        long events = history.eventCount();
        say("  %,d events in %,d steps, %d top-level functions, in %,d ms", events, history.steps().size(),
                history.topology().size(), generateMs);

        double fold = fold(history.events());
        SegmentEvent.SystemCreated created = history.created();
        List<Step> steps = history.steps();
        history = null; // the events are only needed by the fold: let them go

        // After the fold: with the fold (and the raw inserts) between a settled warm-up and the ingest, the compilers
        // were busy 6.7 s of a 14 s ingest, against 4.1-4.7 s of 9-11 s with the warm-up right before the inserts.
        WarmUp.Result warmUp = this.warmUp == null ? null : this.warmUp.get();

        // Both sides of the ratio on a warmed JVM: the inserts' H2 code is the ingest's.
        RawInsert rawInsert = new RawInsert(dataSource, progress);
        double raw = rawInsert.rowsPerSecond(events);
        // one commit per command-sized group: at most 100,000 rows (a steady rate; 1M rows would take minutes)
        double rawPerCommit = rawInsert.rowsPerSecond(Math.min(events, PER_COMMIT_ROWS), RawInsert.COMMAND_ROWS);

        Ingest ingest = ingest(created, steps, events);
        long storeFileBytes = storeFileBytes();
        if (storeFileBytes >= 0) {
            say("  the store's file is %,d MiB after %,d events (%,.1f KiB an event)", storeFileBytes >> 20,
                    events, storeFileBytes / 1024.0 / events);
        }
        Rebuild rebuild = rebuild(events, events);
        AsOf asOf = asOf(events);
        LibraryReplay.Result library = new LibraryReplay(options.jar(), options.library(), progress).run();

        double ratio = ingest.eventsPerSecond / raw;
        double ratioPerCommit = ingest.eventsPerSecond / rawPerCommit;
        long peakHeapMiB = heap.finish() / (1024 * 1024);
        BenchReport.Measured measured = new BenchReport.Measured(ratioPerCommit, ingest.viewsLagMs,
                rebuild.eventsPerSecond, rebuild.resetMs, asOf.p50, asOf.p99, fold, peakHeapMiB, maxHeapMiB,
                library.seconds());
        return new BenchReport(events, steps.size(), options.seed(), cores, jvm, maxHeapMiB, peakHeapMiB,
                Math.round(raw), Math.round(rawPerCommit), Math.round(ingest.eventsPerSecond),
                BenchReport.round(ratio, 3), BenchReport.round(ratioPerCommit, 3),
                warmUp == null ? 0 : warmUp.events(), warmUp == null ? 0 : warmUp.rounds(),
                warmUp == null ? 0 : BenchReport.round(warmUp.seconds(), 1),
                warmUp == null ? 0 : BenchReport.round(warmUp.jitShare(), 3), warmUp == null ? 0 : warmUp.rebuilds(),
                warmUp == null ? 0 : BenchReport.round(warmUp.rebuildJitShare(), 3), storeFileBytes >> 20,
                Math.round(ingest.withViewsEventsPerSecond), BenchReport.round(ingest.viewsLagMs, 1),
                BenchReport.round(ingest.cpuSeconds, 1), BenchReport.round(ingest.jitSeconds, 1),
                ingest.commandThreadProfile,
                Math.round(rebuild.eventsPerSecond), rebuild.runs, BenchReport.round(rebuild.resetMs, 1),
                BenchReport.round(rebuild.cpuSeconds, 1), BenchReport.round(rebuild.jitSeconds, 1),
                BenchReport.round(asOf.p50, 2), BenchReport.round(asOf.p99, 2),
                BenchReport.round(asOf.max, 2), asOf.samples, BenchReport.round(asOf.rows, 1), asOf.withCollection,
                asOf.warmUpReads, BenchReport.round(asOf.warmUpSeconds, 1),
                Math.round(fold),
                library.seconds() == null ? null : BenchReport.round(library.seconds(), 2), library.scenarios(),
                library.exit(), library.note(), generateMs,
                BenchReport.round((System.nanoTime() - started) / 1e9, 1),
                BenchReport.targets(measured));
    }

    // ------------------------------------------------------------------ phases

    /** The fold's warm-up runs at least this long (and at least {@value #FOLD_MIN_WARMUP_ROUNDS} rounds). */
    static final long FOLD_MIN_WARMUP_MS = 2_000;
    static final int FOLD_MIN_WARMUP_ROUNDS = 3;
    /** The fold's warm-up stops after this long even when the compilers are still busy (and says so). */
    static final long FOLD_MAX_WARMUP_MS = 30_000;
    /** Measured rounds of the fold after its warm-up; the median is the figure. */
    static final int FOLD_MEASURED_ROUNDS = 5;

    /**
     * Machine.apply over every event, no views: warm-up rounds for at least {@value #FOLD_MIN_WARMUP_MS} ms, until
     * one keeps the compilers busy less than {@value WarmUp#QUIET_SHARE} of it (at most {@value #FOLD_MAX_WARMUP_MS}
     * ms), then the median of {@value #FOLD_MEASURED_ROUNDS}. Why not a fixed three rounds: at N = 100,000 a round is
     * 20-60 ms, and C2 was still compiling (and deoptimising) the fold for about a second, its rounds 2-8x slower than
     * a compiled one, so three rounds measured the compiler (1.4-2.0 M events/s against 4-5 M compiled). One quiet
     * round alone is not enough either: a compilation is counted when it ends, so a 20 ms round can look quiet while
     * C2 works on the next tier.
     */
    private double fold(List<SegmentEvent> events) {
        say("folding the history in memory (Machine.apply: warm-up rounds for at least %,d ms until the compilers are"
                + " quiet, then %d measured)...", FOLD_MIN_WARMUP_MS, FOLD_MEASURED_ROUNDS);
        long started = System.nanoTime();
        double first = 0;
        int warmUpRounds = 0;
        boolean quiet = false;
        while (true) {
            long jit = compilationMillis();
            long t = System.nanoTime();
            double rate = foldOnce(events);
            double wallMs = (System.nanoTime() - t) / 1e6;
            quiet = (compilationMillis() - jit) < WarmUp.QUIET_SHARE * wallMs;
            first = warmUpRounds++ == 0 ? rate : first;
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            boolean longEnough = elapsedMs >= FOLD_MIN_WARMUP_MS && warmUpRounds >= FOLD_MIN_WARMUP_ROUNDS;
            if ((longEnough && quiet) || elapsedMs >= FOLD_MAX_WARMUP_MS) {
                break;
            }
        }
        double[] measured = new double[FOLD_MEASURED_ROUNDS];
        for (int round = 0; round < measured.length; round++) {
            measured[round] = foldOnce(events);
        }
        String rounds = Arrays.stream(measured).mapToObj(r -> String.format(Locale.ROOT, "%,.0f", r))
                .collect(java.util.stream.Collectors.joining(", "));
        Arrays.sort(measured);
        say("  %,.0f events/s (the median of %s; after %d warm-up rounds in %.1f s%s, the first at %,.0f events/s)",
                measured[measured.length / 2], rounds, warmUpRounds, (System.nanoTime() - started) / 1e9,
                quiet ? "" : ", the compilers still busy when they ran out", first);
        return measured[measured.length / 2];
    }

    /** One fold of the whole history from its creation; its rate in events per second. */
    private static double foldOnce(List<SegmentEvent> events) {
        long t = System.nanoTime();
        Machine machine = Machine.created((SegmentEvent.SystemCreated) events.get(0));
        for (int i = 1; i < events.size(); i++) {
            machine.apply(events.get(i), XenTrace.NONE);
        }
        long nanos = System.nanoTime() - t;
        if (machine.eventCount() != events.size()) {
            throw new IllegalStateException("the fold reached event " + machine.eventCount() + " of " + events.size());
        }
        return (events.size() - 1) / (nanos / 1e9);
    }

    private record Ingest(double eventsPerSecond, double withViewsEventsPerSecond, double viewsLagMs,
                          double cpuSeconds, double jitSeconds, List<String> commandThreadProfile) {
    }

    /**
     * The history through CommandGateway, one command per step, the views processing alongside; the command thread
     * (this one: the command bus runs a command on its sender's thread) is profiled by sampling.
     */
    private Ingest ingest(SegmentEvent.SystemCreated created, List<Step> steps, long events)
            throws InterruptedException {
        say("ingesting %,d steps through the command side (views running)...", steps.size());
        ThreadProfile profile = new ThreadProfile(Thread.currentThread());
        profile.start();
        long cpu = processCpuNanos();
        long jit = compilationMillis();
        java.util.Map<String, Long> threads = threadCpu();
        long t = System.nanoTime();
        gateway.sendAndWait(new CreateSystem(SYSTEM, created.scenario(), created.description(), created.policy(),
                created.segment(), created.topology()));
        long stored = 1;
        long lastSaid = System.nanoTime();
        for (Step step : steps) {
            StepResult result = gateway.sendAndWait(new RunStep(SYSTEM, step));
            stored = result.events();
            if (System.nanoTime() - lastSaid > PROGRESS_EVERY_NANOS) {
                lastSaid = System.nanoTime();
                say("  %,d / %,d events stored (%,.0f events/s), views at %,d", stored, events,
                        stored / ((lastSaid - t) / 1e9), queries.eventsProcessed(SYSTEM));
            }
        }
        long commandsDone = System.nanoTime();
        List<String> commandThread = profile.finish();
        if (stored != events) {
            throw new IllegalStateException("the command side stored " + stored + " events, the generator made "
                    + events + ": the aggregate and the generator's fold disagree");
        }
        awaitViews(SYSTEM, events, t, "views");
        long viewsDone = System.nanoTime();
        Ingest ingest = new Ingest(events / ((commandsDone - t) / 1e9), events / ((viewsDone - t) / 1e9),
                (viewsDone - commandsDone) / 1e6, (processCpuNanos() - cpu) / 1e9,
                (compilationMillis() - jit) / 1e3, commandThread);
        say("  %,.0f events/s stored; %,.0f events/s until the views had them all, %,.0f ms after the last command"
                        + " (%.1f s of CPU: %s; the JIT compilers %.1f s)", ingest.eventsPerSecond,
                ingest.withViewsEventsPerSecond, ingest.viewsLagMs, ingest.cpuSeconds,
                topThreads(threads, threadCpu(), ingest.cpuSeconds), ingest.jitSeconds);
        say("  command thread, share of samples inside: %s", String.join(", ", commandThread));
        return ingest;
    }

    /** One rebuild (or the median of several), and every rate measured, slowest first. */
    private record Rebuild(double eventsPerSecond, double resetMs, double cpuSeconds, double jitSeconds,
                           List<Long> runs) {
    }

    /** {@link BenchOptions#rebuilds()} resets and replays of the views; the median replay (by rate). */
    private Rebuild rebuild(long stored, long systemEvents) {
        List<Rebuild> runs = new ArrayList<>();
        for (int i = 0; i < options.rebuilds(); i++) {
            runs.add(rebuildOnce(stored, systemEvents));
        }
        runs.sort(java.util.Comparator.comparingDouble(Rebuild::eventsPerSecond));
        Rebuild median = runs.get(runs.size() / 2);
        return new Rebuild(median.eventsPerSecond, median.resetMs, median.cpuSeconds, median.jitSeconds,
                runs.stream().map(r -> Math.round(r.eventsPerSecond)).toList());
    }

    /**
     * Stops the views processor, rebuilds the views ({@link ViewsRebuild}: the tables truncated, every stored event
     * read from the event table and folded, the processor's tokens stored at the end) and starts the processor
     * again; the reset (truncate) is timed on its own.
     */
    private Rebuild rebuildOnce(long events, long systemEvents) {
        say("rebuilding the views (reset, then a fold of %,d stored events)...", events);
        TrackingEventProcessor views = processing
                .eventProcessor(ViewProjection.PROCESSING_GROUP, TrackingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no tracking processor '" + ViewProjection.PROCESSING_GROUP
                        + "'"));
        views.shutDown();
        long cpu = processCpuNanos();
        long jit = compilationMillis();
        java.util.Map<String, Long> threads = threadCpu();
        long[] lastSaid = {System.nanoTime()};
        long start = System.nanoTime();
        ViewsRebuild.Result result = rebuild.rebuild(done -> {
            if (System.nanoTime() - lastSaid[0] > PROGRESS_EVERY_NANOS) {
                lastSaid[0] = System.nanoTime();
                say("  rebuild at %,d / %,d events (%,.0f events/s)", done, events,
                        done / ((lastSaid[0] - start) / 1e9));
            }
        });
        views.start();
        awaitViews(SYSTEM, systemEvents, start, "rebuild");
        if (result.events() != events) {
            throw new IllegalStateException("the rebuild read " + result.events() + " events, the store has " + events);
        }
        double resetMs = result.resetNanos() / 1e6;
        double rate = result.eventsPerSecond();
        double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
        double jitSeconds = (compilationMillis() - jit) / 1e3;
        say("  %,.0f events/s (reset took %,.0f ms; %.1f s of CPU: %s; the JIT compilers %.1f s; CPU per event:"
                        + " reading %s, folding %s, of which writing %s, encoding the checkpoints %s)", rate, resetMs,
                cpuSeconds,
                // the reader and encoder threads have ended: their CPU is reported on its own
                topThreads(threads, threadCpu(), cpuSeconds - Math.max(0, result.readerCpuNanos()) / 1e9
                        - Math.max(0, result.encoderCpuNanos()) / 1e9),
                jitSeconds, perEvent(result.readerCpuNanos(), events), perEvent(result.folderCpuNanos(), events),
                perEvent(result.writeCpuNanos(), events), perEvent(result.encoderCpuNanos(), events));
        return new Rebuild(rate, resetMs, cpuSeconds, jitSeconds, List.of(Math.round(rate)));
    }

    private record AsOf(double p50, double p99, double max, int samples, double rows, int withCollection,
                        int warmUpReads, double warmUpSeconds) {
    }

    /** The reads' warm-up lasts at least this long. */
    static final long READS_MIN_WARMUP_MS = 1_000;
    /** The reads' warm-up stops after this long even when the compilers are still busy (and says so). */
    static final long READS_MAX_WARMUP_MS = 20_000;
    /** Reads between two looks at the clock within a warm-up round. */
    static final int READS_WARMUP_ROUND = 50;
    /** A warm-up round reads at least this long: the compiler threads' CPU comes in 10 ms ticks. */
    static final long READS_WARMUP_ROUND_MIN_MS = 500;
    /**
     * Quiet rounds in a row that end the warm-up: C2 works in bursts, and one quiet 250 ms round between two ended a
     * 1,000,000-event run's warm-up with C2 still at a third of a core through the measured reads.
     */
    static final int READS_QUIET_ROUNDS = 2;

    /**
     * The state object at random events through {@link StateQueries#state} and Jackson, as REST serves it: warm-up
     * reads (at other random events) for at least {@value #READS_MIN_WARMUP_MS} ms, until {@value #READS_QUIET_ROUNDS}
     * rounds in a row (each at least {@value #READS_WARMUP_ROUND_MIN_MS} ms) keep the compiler threads busy less than
     * {@value WarmUp#QUIET_SHARE} of them ({@link CompilerThreads}; the JVM's compilation time elsewhere), then the
     * samples. Why not a fixed 50 reads: C2 was still compiling the read path (~1.5 s of compiler time on this 2-core
     * machine) while the measured reads ran, and the reads that shared a core with it, or ran the code before it was
     * compiled, were the p99.
     */
    private AsOf asOf(long events) throws Exception {
        int samples = options.asOfSamples();
        say("reading the state object at %d random events (after warm-up reads for at least %,d ms until the compilers"
                + " are quiet)...", samples, READS_MIN_WARMUP_MS);
        Random warmUp = new Random(options.seed() ^ 0x5DEECE66DL);
        long started = System.nanoTime();
        int warmUpReads = 0;
        boolean quiet;
        int quietRounds = 0;
        java.util.function.LongSupplier jitMillis = CompilerThreads.cpuMillis() >= 0 ? CompilerThreads::cpuMillis
                : Bench::compilationMillis;
        while (true) {
            long jit = jitMillis.getAsLong();
            long t = System.nanoTime();
            do {
                for (int i = 0; i < READS_WARMUP_ROUND; i++) {
                    stateAt(1 + warmUp.nextInt((int) events));
                }
                warmUpReads += READS_WARMUP_ROUND;
            } while (System.nanoTime() - t < READS_WARMUP_ROUND_MIN_MS * 1_000_000L);
            long jitMs = Math.max(0, jitMillis.getAsLong() - jit);
            quiet = jitMs < WarmUp.QUIET_SHARE * (System.nanoTime() - t) / 1e6;
            quietRounds = quiet ? quietRounds + 1 : 0;
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            if ((elapsedMs >= READS_MIN_WARMUP_MS && quietRounds >= READS_QUIET_ROUNDS)
                    || elapsedMs >= READS_MAX_WARMUP_MS) {
                break;
            }
        }
        double warmUpSeconds = (System.nanoTime() - started) / 1e9;
        say("  warmed up with %,d reads in %.1f s%s", warmUpReads, warmUpSeconds,
                quiet ? "" : ", the compilers still busy when it ran out");
        Random random = new Random(options.seed());
        double[] ms = new double[samples];
        long rows = 0;
        int withCollection = 0;
        long bytesBefore = connection.bytes();
        for (int i = 0; i < samples; i++) {
            int n = 1 + random.nextInt((int) events);
            long collections = collections();
            long t = System.nanoTime();
            StateDocument state = stateAt(n);
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (collections() != collections) {
                withCollection++;
            }
            rows += state.pdevs().size() + state.bus2bridge().size() + state.upstream().size()
                    + state.contexts().size() + state.hardware().size() + state.findings().size()
                    + state.steps().size();
        }
        Arrays.sort(ms);
        AsOf asOf = new AsOf(percentile(ms, 50), percentile(ms, 99), ms[ms.length - 1], samples,
                (double) rows / samples, withCollection, warmUpReads, warmUpSeconds);
        say("  p50 %.2f ms, p99 %.2f ms, max %.2f ms (%,.0f rows and %,.0f KiB of JSON per state on average; %d reads"
                        + " met a collection)", asOf.p50, asOf.p99, asOf.max, asOf.rows,
                (connection.bytes() - bytesBefore) / 1024.0 / samples, asOf.withCollection);
        return asOf;
    }

    /**
     * The state object, serialized as the service streams it (to the response, not into one big array), into a
     * {@link Connection}.
     */
    private StateDocument stateAt(int event) throws Exception {
        StateDocument state = queries.state(SYSTEM, event, null, null);
        json.writeValue(connection, state);
        return state;
    }

    /** Collections by every collector so far (G1: young and mixed, full; its remark pauses are not counted). */
    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    /**
     * Where the bench's states go: every byte copied once into a 64 KiB buffer, as a connection's send path copies it.
     * A state writes bytes it printed before straight to its stream (~9 MB of steps late in a 1,000,000-event
     * history); into a stream that drops them ({@code OutputStream.nullOutputStream()}) that would cost nothing here
     * and a copy in the service.
     */
    static final class Connection extends OutputStream {
        private final byte[] buffer = new byte[64 * 1024];
        private int at;
        private long bytes;

        @Override
        public void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                int n = Math.min(len, buffer.length - at);
                System.arraycopy(b, off, buffer, at, n);
                at = (at + n) % buffer.length;
                off += n;
                len -= n;
                bytes += n;
            }
        }

        /** Bytes written so far. */
        long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            // a connection outlives each response: ObjectMapper.writeValue closes its target
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The size of H2's file (its {@code info.FILE_SIZE}), or -1 on another database. With {@code WRITE_DELAY=0}
     * H2 writes a chunk per commit and runs no background housekeeping, so the file keeps every chunk that still
     * holds a live page: this shows what that costs on disk.
     */
    private long storeFileBytes() {
        try (java.sql.Connection c = dataSource.getConnection()) {
            if (!"H2".equals(c.getMetaData().getDatabaseProductName())) {
                return -1;
            }
            try (java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                         + " WHERE SETTING_NAME = 'info.FILE_SIZE'")) {
                return rs.next() ? Long.parseLong(rs.getString(1)) : -1;
            }
        } catch (java.sql.SQLException | NumberFormatException e) {
            say("  (cannot read the store's file size: %s)", e.getMessage());
            return -1;
        }
    }

    /** {@link #awaitViews(StateQueries, String, long, long, String, PrintStream)} with this bench's queries. */
    private void awaitViews(String system, long events, long since, String what) {
        awaitViews(queries, system, events, since, what, progress);
    }

    /**
     * Waits (without a deadline: the bench is run by hand) until the views have {@code events} of {@code system},
     * saying how far every 2 s; fails when the views stopped at an event of that system.
     */
    static void awaitViews(StateQueries queries, String system, long events, long since, String what,
                           PrintStream progress) {
        long lastSaid = System.nanoTime();
        while (true) {
            long processed = queries.eventsProcessed(system);
            if (processed >= events) {
                return;
            }
            queries.system(system).filter(s -> s.failedEvent() != null).ifPresent(s -> {
                throw new IllegalStateException("the views of " + system + " stop before event " + s.failedEvent()
                        + ": " + s.failure());
            });
            if (System.nanoTime() - lastSaid > PROGRESS_EVERY_NANOS) {
                lastSaid = System.nanoTime();
                progress.println("bench: " + String.format(Locale.ROOT, "  %s at %,d / %,d events (%,.0f events/s)",
                        what, processed, events, processed / ((lastSaid - since) / 1e9)));
                progress.flush();
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the views", e);
            }
        }
    }

    private static java.util.Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> cpu = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                cpu.merge(info.getThreadName().replaceAll("-\\d+$", ""), Math.max(0, mx.getThreadCpuTime(info.getThreadId())),
                        Long::sum);
            }
        }
        return cpu;
    }

    /**
     * The threads that used most CPU between two {@link #threadCpu} readings, then what the JVM's own threads used
     * (the process's {@code cpuSeconds} less every Java thread's: the garbage collector, the JIT compilers).
     */
    private static String topThreads(java.util.Map<String, Long> before, java.util.Map<String, Long> after,
                                     double cpuSeconds) {
        java.util.List<java.util.Map.Entry<String, Long>> used = after.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).toList();
        double javaThreads = used.stream().mapToLong(java.util.Map.Entry::getValue).sum() / 1e9;
        return used.stream().limit(4)
                .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue() / 1e9))
                .collect(java.util.stream.Collectors.joining(", "))
                + String.format(Locale.ROOT, "; GC, JIT and other JVM threads %.1f s",
                Math.max(0, cpuSeconds - javaThreads));
    }

    /** The JIT compilers' accumulated time so far, in ms (0 when the JVM does not tell). */
    static long compilationMillis() {
        java.lang.management.CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        return compiler != null && compiler.isCompilationTimeMonitoringSupported()
                ? compiler.getTotalCompilationTime() : 0;
    }

    /** CPU time of the whole JVM so far (every thread: the views processor, H2's writer, GC…). */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** {@code nanos} over {@code events} in µs, or "n/a" when the JVM could not measure it (negative). */
    private static String perEvent(long nanos, long events) {
        return nanos < 0 || events == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f µs", nanos / 1e3 / events);
    }

    private static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The most heap in use at any moment of the run, sampled every 20 ms (garbage not yet collected included). */
    private static final class HeapSampler extends Thread {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private volatile boolean running = true;
        private volatile long peak;

        HeapSampler() {
            super("bench-heap-sampler");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long finish() throws InterruptedException {
            running = false;
            join();
            return Math.max(peak, memory.getHeapMemoryUsage().getUsed());
        }
    }

    private void say(String format, Object... args) {
        progress.println("bench: " + String.format(Locale.ROOT, format, args));
        progress.flush();
    }
}
