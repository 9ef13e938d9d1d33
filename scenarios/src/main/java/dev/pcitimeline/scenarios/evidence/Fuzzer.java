package dev.pcitimeline.scenarios.evidence;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.domain.xen.XenTrace;
import dev.pcitimeline.scenarios.format.ExpectedFinding;
import dev.pcitimeline.scenarios.synthetic.SyntheticHistory;
import dev.pcitimeline.scenarios.synthetic.SyntheticHistoryGenerator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How often each Xen build leaves a problem (issue 14): many generated histories (weighted toward what the
 * report is about), each recorded once and folded under every policy with {@link Machine#apply} in memory,
 * exactly as {@code replay --policy} folds a stored history; per policy, how many histories show each finding
 * kind after their last step and after any step, how many hang Xen, and how many make a hypercall return another
 * errno than {@code xen-4.4} does. The first counterexample per (policy, kind) can be minimized to a scenario file.
 */
public final class Fuzzer {
    /** Every finding kind, in the order of XEN-MODEL.md §5. */
    private static final List<Finding.Kind> KINDS = List.of(Finding.Kind.values());

    /**
     * @param histories how many histories
     * @param steps     steps per history (xen-boot and the first dom0-boot included)
     * @param seed      the run's seed: history i gets a seed derived from it and i
     * @param policies  the Xen builds to fold under, in the table's order
     * @param out       where the minimized counterexamples go, or null for none
     */
    public record Options(int histories, int steps, long seed, List<Policy> policies, Path out) {
        public Options {
            if (histories < 1) {
                throw new IllegalArgumentException("--histories " + histories + " must be at least 1");
            }
            if (steps < 2) {
                throw new IllegalArgumentException("--steps " + steps + " must be at least 2 (xen-boot, dom0-boot)");
            }
            if (policies.isEmpty()) {
                throw new IllegalArgumentException("--policies names no policy");
            }
            policies = List.copyOf(policies);
        }
    }

    /** One policy's column: counts of histories (and of calls for errno differences). */
    public record PolicyRow(String policy, Map<String, Integer> atEnd, Map<String, Integer> anywhere, int hangs,
                            int errnoHistories, int errnoCalls, Map<String, Integer> errnoChanges) {
    }

    /**
     * The first history showing {@code kind} under {@code policy}: its number, its seed, the first step the finding
     * held after, and the minimized file when one was written (else null, as are its sizes).
     */
    public record Counterexample(String policy, String kind, int history, long seed, int step, String file,
                                 Integer minimizedSteps, Integer minimizedFunctions) {
    }

    /** The table of one run, the same as text or one JSON object. */
    public record Report(int histories, int steps, long seed, String mix, String baseline, List<PolicyRow> policies,
                         List<Counterexample> counterexamples) {

        public String toText() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "fuzz: %,d histories of %d steps (seed %d, mix %s), folded under %d "
                    + "policies%n", histories, steps, seed, mix, policies.size()));
            b.append("Histories with each finding after their last step / after any step:\n");
            int width = 9;
            for (PolicyRow p : policies) {
                width = Math.max(width, p.policy().length());
            }
            String cell = "  %" + width + "s";
            b.append(String.format("%-22s", "finding"));
            policies.forEach(p -> b.append(String.format(cell, p.policy())));
            b.append('\n');
            for (Finding.Kind k : KINDS) {
                b.append(String.format("%-22s", k.name()));
                for (PolicyRow p : policies) {
                    b.append(String.format(cell, p.atEnd().get(k.name()) + "/" + p.anywhere().get(k.name())));
                }
                b.append('\n');
            }
            b.append(String.format("%-22s", "hangs"));
            policies.forEach(p -> b.append(String.format(cell, p.hangs())));
            b.append('\n');
            b.append(String.format("%-22s", "errno != " + baseline));
            policies.forEach(p -> b.append(String.format(cell, p.errnoHistories() + "/" + p.errnoCalls())));
            b.append('\n');
            b.append("(hangs: histories in which Xen hung; errno: histories / hypercalls whose errno differs from ")
                    .append(baseline).append(" at the same event, hung calls not counted)\n");
            for (PolicyRow p : policies) {
                if (!p.errnoChanges().isEmpty()) {
                    b.append("errno changes under ").append(p.policy()).append(" (").append(baseline)
                            .append(" -> it): ").append(p.errnoChanges()).append('\n');
                }
            }
            b.append("First counterexample per policy and finding (history, its seed, the step it first held after)")
                    .append(counterexamples.stream().anyMatch(c -> c.file() != null) ? ", minimized:" : ":").append('\n');
            for (Counterexample c : counterexamples) {
                b.append(String.format("  %-" + width + "s  %-20s history %d (seed %d) step %d", c.policy(), c.kind(),
                        c.history(), c.seed(), c.step()));
                if (c.file() != null) {
                    b.append(" -> ").append(c.file()).append(" (").append(c.minimizedSteps()).append(" steps, ")
                            .append(c.minimizedFunctions()).append(" functions)");
                }
                b.append('\n');
            }
            return b.toString();
        }
    }

    private Fuzzer() {
    }

    /** The seed of history {@code i} of a run with {@code seed}: spread out so that neighbouring runs differ. */
    public static long historySeed(long seed, int i) {
        return seed * 0x9E3779B97F4A7C15L + i;
    }

    /** Generates {@code options.histories()} histories from the report-weighted mix and tallies them. */
    public static Report run(Options options, PrintStream progress) {
        Iterator<SyntheticHistory> histories = new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < options.histories();
            }

            @Override
            public SyntheticHistory next() {
                long s = historySeed(options.seed(), i++);
                return SyntheticHistoryGenerator.generateSteps("fuzz", s, options.steps(),
                        SyntheticHistoryGenerator.Mix.REPORT);
            }
        };
        return run(options, histories, SyntheticHistoryGenerator.Mix.REPORT.name(), progress);
    }

    /** Tallies the given histories (their events kept) under the options' policies; histories are numbered from 0. */
    public static Report run(Options options, Iterator<SyntheticHistory> histories, String mix, PrintStream progress) {
        Map<Policy, Tally> tallies = new LinkedHashMap<>();
        options.policies().forEach(p -> tallies.put(p, new Tally()));
        Map<String, Found> first = new LinkedHashMap<>();
        int n = 0;
        long started = System.nanoTime();
        while (histories.hasNext()) {
            SyntheticHistory h = histories.next();
            Folded base = new Folded();
            Outcome[] baseline = fold(h, Policy.XEN_4_4, options.policies().contains(Policy.XEN_4_4) ? base : null);
            for (Policy policy : options.policies()) {
                Tally t = tallies.get(policy);
                Folded f = policy == Policy.XEN_4_4 ? base : new Folded();
                Outcome[] outcomes = policy == Policy.XEN_4_4 ? baseline : fold(h, policy, f);
                t.add(f, baseline, outcomes);
                for (Map.Entry<Finding.Kind, Integer> e : f.firstStep.entrySet()) {
                    first.putIfAbsent(policy.text() + " " + e.getKey(), new Found(policy, e.getKey(), n, h, e.getValue()));
                }
            }
            n++;
            if (progress != null && (n % 500 == 0 || !histories.hasNext())) {
                progress.printf(Locale.ROOT, "fuzz: %,d histories folded (%.1f s)%n", n,
                        (System.nanoTime() - started) / 1e9);
            }
        }
        List<PolicyRow> rows = new ArrayList<>();
        tallies.forEach((policy, t) -> rows.add(t.row(policy)));
        List<Counterexample> counterexamples = new ArrayList<>();
        for (Policy policy : options.policies()) {
            for (Finding.Kind kind : KINDS) {
                Found found = first.get(policy.text() + " " + kind);
                if (found != null) {
                    counterexamples.add(counterexample(found, options.out(), progress));
                }
            }
        }
        return new Report(n, options.steps(), options.seed(), mix, Policy.XEN_4_4.text(), rows, counterexamples);
    }

    // ------------------------------------------------------------------ folding one history under one policy

    /** What one fold saw: per kind, the first step after which it held, and the kinds after the last step. */
    private static final class Folded {
        final Map<Finding.Kind, Integer> firstStep = new EnumMap<>(Finding.Kind.class);
        Set<Finding.Kind> atEnd = EnumSet.noneOf(Finding.Kind.class);
        boolean hung;
    }

    /**
     * Folds the history's events under {@code policy}, as a what-if replay does, and returns every event's outcome
     * (index = event number - 1; SystemCreated's is null). With {@code seen}, the findings after each step go there.
     */
    private static Outcome[] fold(SyntheticHistory h, Policy policy, Folded seen) {
        List<SegmentEvent> events = h.events();
        Machine machine = Machine.created(h.created(), policy);
        Outcome[] outcomes = new Outcome[events.size()];
        int step = -1;
        for (int i = 1; i < events.size(); i++) {
            SegmentEvent e = events.get(i);
            if (e instanceof SegmentEvent.StepStarted) {
                if (step >= 0 && seen != null) {
                    stepEnded(machine, step, seen);
                }
                step++;
            }
            outcomes[i] = machine.apply(e, XenTrace.NONE);
        }
        if (step >= 0 && seen != null) {
            stepEnded(machine, step, seen);
        }
        return outcomes;
    }

    private static void stepEnded(Machine machine, int step, Folded seen) {
        Set<Finding.Kind> kinds = EnumSet.noneOf(Finding.Kind.class);
        for (Finding f : History.findings(machine)) {
            kinds.add(f.kind());
            seen.firstStep.putIfAbsent(f.kind(), step);
        }
        seen.atEnd = kinds;
        seen.hung |= machine.xen().hung();
    }

    /** One policy's counts so far. */
    private static final class Tally {
        final Map<Finding.Kind, Integer> atEnd = new EnumMap<>(Finding.Kind.class);
        final Map<Finding.Kind, Integer> anywhere = new EnumMap<>(Finding.Kind.class);
        final Map<String, Integer> errnoChanges = new TreeMap<>();
        int hangs;
        int errnoHistories;
        int errnoCalls;

        void add(Folded f, Outcome[] baseline, Outcome[] outcomes) {
            f.atEnd.forEach(k -> atEnd.merge(k, 1, Integer::sum));
            f.firstStep.keySet().forEach(k -> anywhere.merge(k, 1, Integer::sum));
            if (f.hung) {
                hangs++;
            }
            int calls = 0;
            for (int i = 1; i < outcomes.length; i++) {
                Outcome a = baseline[i];
                Outcome b = outcomes[i];
                if (a != b && a != Outcome.HUNG && b != Outcome.HUNG) {
                    calls++;
                    errnoChanges.merge(a.text() + " -> " + b.text(), 1, Integer::sum);
                }
            }
            errnoCalls += calls;
            if (calls > 0) {
                errnoHistories++;
            }
        }

        PolicyRow row(Policy policy) {
            Map<String, Integer> end = new LinkedHashMap<>();
            Map<String, Integer> any = new LinkedHashMap<>();
            for (Finding.Kind k : KINDS) {
                end.put(k.name(), atEnd.getOrDefault(k, 0));
                any.put(k.name(), anywhere.getOrDefault(k, 0));
            }
            return new PolicyRow(policy.text(), end, any, hangs, errnoHistories, errnoCalls, Map.copyOf(errnoChanges));
        }
    }

    // ------------------------------------------------------------------ counterexamples

    private record Found(Policy policy, Finding.Kind kind, int index, SyntheticHistory history, int step) {
    }

    private static Counterexample counterexample(Found found, Path out, PrintStream progress) {
        SyntheticHistory h = found.history();
        if (out == null) {
            return new Counterexample(found.policy().text(), found.kind().name(), found.index(), h.seed(), found.step(),
                    null, null, null);
        }
        List<Step> steps = h.steps().subList(0, found.step() + 1);
        History history = new History(found.policy(), h.segment(), h.topology(), steps);
        ExpectedFinding target = new ExpectedFinding(ExpectedFinding.Kind.parse(found.kind().name()), null, null);
        if (progress != null) {
            progress.printf("fuzz: minimizing %s under %s (history %d, %d steps)%n", found.kind(), found.policy(),
                    found.index(), steps.size());
        }
        Minimizer.Result r = Minimizer.minimize(history, target, false, null);
        String name = found.policy().text() + "-" + found.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        String yaml = Minimizer.toYaml(r, name, "A counterexample pci-timeline fuzz found (history " + found.index()
                + ", seed " + h.seed() + ", " + (found.step() + 1) + " steps) and minimized: " + r.holding().text()
                + " under " + found.policy().text() + ".", "fuzz history " + found.index() + " (seed " + h.seed() + ")");
        Path file = out.resolve(name + ".yaml");
        try {
            Files.createDirectories(out);
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return new Counterexample(found.policy().text(), found.kind().name(), found.index(), h.seed(), found.step(),
                file.toString(), r.minimized().steps().size(), r.minimized().functions());
    }
}
