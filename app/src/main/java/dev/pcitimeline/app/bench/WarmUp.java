package dev.pcitimeline.app.bench;

import dev.pcitimeline.domain.command.CreateSystem;
import dev.pcitimeline.domain.command.RunStep;
import dev.pcitimeline.domain.command.StepResult;
import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.step.Step;
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

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/**
 * The JIT compiler's warm-up, run on a throwaway store: rounds of synthetic histories (other seeds, one system
 * each) through the command side with the views processing them, until a round keeps the compilers busy for less
 * than {@value #QUIET_SHARE} of its wall-clock time (or the rounds run out), then rebuilds of that store's views by
 * the same rule. Compiled code belongs to the JVM, not to a store: the measured store holds the history alone, and
 * its ingest and rebuild meet a warmed service, as a long-running one is (JMH's warm-up iterations, for the same
 * reason). A rebuild in a fresh JVM ({@code rebuild-views}) is slower: it compiles as it goes.
 * <p>
 * Why rounds and not a fixed count: C2 compiles a method after ~15,000 calls, and much of the command side runs once
 * per command (~8 events), so a warm-up of a few thousand commands leaves it interpreted or in C1's code. On two
 * cores the compiler thread then used 14 s of CPU during a 19 s ingest of 100,000 events, beside the command thread.
 */
public final class WarmUp {
    /** Events a round stores (one system), at most: N when the history is smaller. */
    public static final long ROUND_EVENTS = 20_000;
    /** Most rounds, unless the caller says otherwise. */
    public static final int MAX_ROUNDS = 20;
    /** Most rebuilds of the throwaway store's views after the rounds (the same quiet rule ends them earlier). */
    public static final int MAX_REBUILDS = 6;
    /** A round is quiet when the compilers' time in it is below this share of its wall-clock time. */
    static final double QUIET_SHARE = 0.10;

    /**
     * @param events   events the rounds stored
     * @param rounds   rounds run
     * @param seconds  the warm-up's wall-clock time
     * @param jitShare the last round's compilation time over its wall-clock time (0 when the JVM does not report
     *                 compilation time)
     * @param quiet    whether the last round was quiet (false: the rounds ran out first)
     * @param rebuilds rebuilds of the throwaway store's views after the rounds
     * @param rebuildJitShare the last rebuild's compilation time over its wall-clock time
     */
    public record Result(long events, int rounds, double seconds, double jitShare, boolean quiet, int rebuilds,
                         double rebuildJitShare) {
    }

    private final CommandGateway gateway;
    private final StateQueries queries;
    private final EventProcessingConfiguration processing;
    private final ViewsRebuild rebuild;
    private final long seed;
    private final long roundEvents;
    private final int maxRounds;
    private final PrintStream progress;

    public WarmUp(ApplicationContext context, long seed, long roundEvents, int maxRounds, PrintStream progress) {
        if (roundEvents < 100 || maxRounds < 1) {
            throw new IllegalArgumentException("a warm-up of " + maxRounds + " rounds of " + roundEvents + " events");
        }
        this.gateway = context.getBean(CommandGateway.class);
        this.queries = context.getBean(StateQueries.class);
        this.processing = context.getBean(EventProcessingConfiguration.class);
        this.rebuild = context.getBean(Views.class).rebuild();
        this.seed = seed;
        this.roundEvents = roundEvents;
        this.maxRounds = maxRounds;
        this.progress = progress;
    }

    public Result run() {
        say("warming the JIT up on a throwaway store: rounds of %,d events until the compilers are busy less than"
                + " %.0f %% of a round, at most %d rounds...", roundEvents, QUIET_SHARE * 100, maxRounds);
        long started = System.nanoTime();
        long[] events = {0};
        Settling rounds = untilQuiet(maxRounds, r -> compiling(() -> events[0] += round(r), "round " + r, events));
        // The rebuild's reader and bulk writes run nowhere else: rebuild the throwaway store's views, by the same rule.
        Settling rebuilds = untilQuiet(MAX_REBUILDS, r -> compiling(this::rebuildViews, "rebuild " + r, events));
        Result result = new Result(events[0], rounds.runs(), (System.nanoTime() - started) / 1e9, rounds.lastShare(),
                rounds.quiet(), rebuilds.runs(), rebuilds.lastShare());
        say("  warmed up with %,d events in %d rounds and %d rebuilds, %.1f s%s", result.events(), result.rounds(),
                result.rebuilds(), result.seconds(), rounds.quiet() && rebuilds.quiet() ? ""
                        : ": the compilers were still busy when the rounds or rebuilds ran out");
        return result;
    }

    /** How a series of runs ended: how many ran, the last one's compiling share, and whether it was quiet. */
    record Settling(int runs, double lastShare) {
        boolean quiet() {
            return lastShare < QUIET_SHARE;
        }
    }

    /**
     * Runs {@code run} (given 1, 2, …; it returns its compiling share) until a run is quiet, at most {@code max}
     * times (at least once).
     */
    static Settling untilQuiet(int max, IntToDoubleFunction run) {
        int runs = 0;
        double share;
        do {
            share = run.applyAsDouble(++runs);
        } while (runs < max && share >= QUIET_SHARE);
        return new Settling(runs, share);
    }

    /**
     * Runs {@code work} and returns the compilers' time during it over its wall-clock time (0 on a JVM that does not
     * report compilation time: one round and one rebuild then), saying so with the store's {@code events}.
     */
    private double compiling(Runnable work, String what, long[] events) {
        long jit = Bench.compilationMillis();
        long t = System.nanoTime();
        work.run();
        double wallMs = (System.nanoTime() - t) / 1e6;
        double share = (Bench.compilationMillis() - jit) / wallMs;
        say("  %s: %,d events in the store, %,.0f ms, the compilers busy %.0f %% of it", what, events[0], wallMs,
                share * 100);
        return share;
    }

    /** The views processor stopped, the views rebuilt from the store, the processor started again. */
    private void rebuildViews() {
        TrackingEventProcessor views = processing
                .eventProcessor(ViewProjection.PROCESSING_GROUP, TrackingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no tracking processor '"
                        + ViewProjection.PROCESSING_GROUP + "'"));
        views.shutDown();
        try {
            rebuild.rebuild(done -> {
            });
        } finally {
            views.start();
        }
    }

    /** One system's history (seed + round) through the command side; waits for its views. Returns its events. */
    private long round(int round) {
        long t = System.nanoTime();
        String system = Bench.WARMUP_SYSTEM + "-" + round;
        SyntheticHistory history = SyntheticHistoryGenerator.generate(system, seed + round, roundEvents, false);
        SegmentEvent.SystemCreated created = history.created();
        gateway.sendAndWait(new CreateSystem(system, created.scenario(), created.description(), created.policy(),
                created.segment(), created.topology()));
        long stored = 1;
        for (Step step : history.steps()) {
            stored = gateway.<StepResult>sendAndWait(new RunStep(system, step)).events();
        }
        Bench.awaitViews(queries, system, stored, t, "warm-up views", progress);
        return stored;
    }

    private void say(String format, Object... args) {
        progress.println("bench: " + String.format(Locale.ROOT, format, args));
        progress.flush();
    }
}
