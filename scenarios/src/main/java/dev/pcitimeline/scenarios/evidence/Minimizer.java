package dev.pcitimeline.scenarios.evidence;

import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.scenarios.format.ExpectedFinding;
import dev.pcitimeline.scenarios.importer.ScenarioWriter;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Delta debugging of a history that shows a finding (issue 14): ddmin over the steps, then dropping functions
 * with their subtrees, then simpler values (BAR2 0, fewer VFs, register writes that keep a field, default
 * options), round after round until nothing more goes. A reduction is kept only when the result is still a valid
 * scenario that starts with {@code xen-boot} and the finding still holds after its last step (with
 * {@code anywhere}: after some step). Deterministic: no randomness, candidates tried in a fixed order.
 */
public final class Minimizer {
    /** Rounds of steps, topology and values; each round that changes nothing ends the search earlier. */
    private static final int MAX_ROUNDS = 8;

    private final ExpectedFinding target;
    private final boolean anywhere;
    private final PrintStream progress;
    private final Map<History, Boolean> tried = new HashMap<>();
    private History best;

    /** What came out: the smallest history found, the finding as it holds after its last step, and the effort. */
    public record Result(History original, History minimized, ExpectedFinding holding, int tries) {
    }

    private Minimizer(ExpectedFinding target, boolean anywhere, PrintStream progress) {
        this.target = target;
        this.anywhere = anywhere;
        this.progress = progress;
    }

    /**
     * Minimizes {@code history} for {@code target} (a kind, and a subject unless left open).
     *
     * @param progress where a line goes after each kept reduction (steps and functions left, tries), or null
     * @throws IllegalArgumentException when the history is invalid, does not start with xen-boot, or does not show
     *                                  the finding to begin with
     */
    public static Result minimize(History history, ExpectedFinding target, boolean anywhere, PrintStream progress) {
        Minimizer m = new Minimizer(target, anywhere, progress);
        if (history.steps().isEmpty() || !(history.steps().get(0) instanceof Step.XenBoot)) {
            throw new IllegalArgumentException("the history must start with xen-boot: a finding before Xen booted "
                    + "says nothing about Xen");
        }
        List<List<Finding>> findings = history.findingsAfterEachStep(false);
        if (findings == null) {
            throw new IllegalArgumentException("the history is not a valid scenario under " + history.policy());
        }
        boolean shows = anywhere ? firstHolding(findings, target) >= 0 : holds(findings.get(findings.size() - 1), target);
        if (!shows) {
            int first = firstHolding(findings, target);
            throw new IllegalArgumentException(target.text() + " does not hold "
                    + (anywhere ? "after any step" : "after the last step") + " under " + history.policy().text()
                    + (first < 0 ? "" : " (it holds after step " + first + ": try --anywhere)"));
        }
        m.best = history;
        m.tried.put(history, true);
        m.report("start");
        for (int round = 0; round < MAX_ROUNDS; round++) {
            History before = m.best;
            m.steps();
            m.topology();
            m.values();
            if (m.best.equals(before)) {
                break;
            }
        }
        // the finding holds after some step: cut the rest, so that it holds at the end and the expect goes there
        List<List<Finding>> last = m.best.findingsAfterEachStep(false);
        int at = anywhere ? firstHolding(last, target) : last.size() - 1;
        History cut = m.best.withSteps(m.best.steps().subList(0, at + 1));
        ExpectedFinding holding = subjectOf(last.get(at), target);
        return new Result(history, cut, holding, m.tried.size());
    }

    // ------------------------------------------------------------------ the test

    private boolean test(History candidate) {
        Boolean known = tried.get(candidate);
        if (known != null) {
            return known;
        }
        boolean ok = !candidate.steps().isEmpty() && candidate.steps().get(0) instanceof Step.XenBoot && shows(candidate);
        tried.put(candidate, ok);
        return ok;
    }

    private boolean shows(History candidate) {
        List<List<Finding>> findings = candidate.findingsAfterEachStep(!anywhere);
        if (findings == null) {
            return false;
        }
        return anywhere ? firstHolding(findings, target) >= 0 : holds(findings.get(findings.size() - 1), target);
    }

    private boolean accept(History candidate) {
        if (!candidate.equals(best) && test(candidate)) {
            best = candidate;
            report("kept");
            return true;
        }
        return false;
    }

    private void report(String what) {
        if (progress != null) {
            progress.printf("minimize: %s: %d steps, %d functions left (%d tries)%n", what, best.steps().size(),
                    best.functions(), tried.size());
        }
    }

    // ------------------------------------------------------------------ ddmin over the steps after xen-boot

    private void steps() {
        Step boot = best.steps().get(0);
        List<Step> rest = new ArrayList<>(best.steps().subList(1, best.steps().size()));
        int n = 2;
        while (!rest.isEmpty()) {
            int granularity = Math.min(n, rest.size());
            List<List<Step>> chunks = split(rest, granularity);
            boolean reduced = false;
            for (List<Step> chunk : chunks) {
                if (chunk.size() < rest.size() && accept(best.withSteps(prepend(boot, chunk)))) {
                    rest = new ArrayList<>(chunk);
                    n = 2;
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                for (int i = 0; i < chunks.size() && !reduced; i++) {
                    List<Step> complement = new ArrayList<>();
                    for (int j = 0; j < chunks.size(); j++) {
                        if (j != i) {
                            complement.addAll(chunks.get(j));
                        }
                    }
                    if (accept(best.withSteps(prepend(boot, complement)))) {
                        rest = complement;
                        n = Math.max(granularity - 1, 2);
                        reduced = true;
                    }
                }
            }
            if (!reduced) {
                if (granularity >= rest.size()) {
                    break;
                }
                n = Math.min(granularity * 2, rest.size());
            }
        }
    }

    private static List<Step> prepend(Step first, List<Step> rest) {
        List<Step> out = new ArrayList<>(rest.size() + 1);
        out.add(first);
        out.addAll(rest);
        return out;
    }

    private static <T> List<List<T>> split(List<T> list, int parts) {
        List<List<T>> out = new ArrayList<>(parts);
        int start = 0;
        for (int i = 0; i < parts; i++) {
            int end = start + (list.size() - start) / (parts - i);
            out.add(new ArrayList<>(list.subList(start, end)));
            start = end;
        }
        return out;
    }

    // ------------------------------------------------------------------ topology: drop functions with their subtree

    private void topology() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String id : best.functionIds()) {
                if (History.find(best.topology(), id) != null
                        && accept(best.withTopology(History.without(best.topology(), id)))) {
                    changed = true;
                }
            }
        }
    }

    // ------------------------------------------------------------------ simpler values

    private void values() {
        for (String id : best.functionIds()) {
            FunctionSpec f = History.find(best.topology(), id);
            if (f == null) {
                continue;
            }
            if (f.bar2() != 0) {
                tryFunction(id, f.withBar2(0));
            }
            f = History.find(best.topology(), id);
            SriovSpec s = f.sriov();
            if (s != null && s.enabled() > 0) {
                tryFunction(id, f.withSriov(s.withEnabled(0)));
                s = History.find(best.topology(), id).sriov();
            }
            if (s != null) {
                for (int total : fewer(s.totalVfs(), Math.max(1, s.enabled()))) {
                    FunctionSpec now = History.find(best.topology(), id);
                    if (total < now.sriov().totalVfs() && tryFunction(id,
                            now.withSriov(new SriovSpec(total, s.vfOffset(), s.vfStride(), now.sriov().enabled())))) {
                        break;
                    }
                }
            }
        }
        for (int i = 1; i < best.steps().size(); i++) {
            for (Step simpler : simpler(best.steps().get(i))) {
                List<Step> steps = new ArrayList<>(best.steps());
                steps.set(i, simpler);
                if (accept(best.withSteps(steps))) {
                    break;
                }
            }
        }
    }

    private boolean tryFunction(String id, FunctionSpec replacement) {
        return accept(best.withTopology(History.replaced(best.topology(), id, replacement)));
    }

    /** Candidate smaller counts, smallest first: floor, half, one less. */
    private static List<Integer> fewer(int count, int floor) {
        Set<Integer> out = new LinkedHashSet<>();
        for (int c : new int[]{floor, count / 2, count - 1}) {
            if (c >= floor && c < count) {
                out.add(c);
            }
        }
        return new ArrayList<>(out);
    }

    /** Simpler versions of one step, simplest first: fewer VFs, a register write that keeps a field, defaults. */
    private static List<Step> simpler(Step step) {
        List<Step> out = new ArrayList<>();
        if (step instanceof Step.EnableSriov s) {
            fewer(s.vfs(), 1).forEach(n -> out.add(new Step.EnableSriov(s.pf(), n)));
        } else if (step instanceof Step.WriteBridgeBuses s) {
            if (s.primary() != null) {
                out.add(new Step.WriteBridgeBuses(s.bridge(), null, s.secondary(), s.subordinate()));
            }
            if (s.secondary() != null) {
                out.add(new Step.WriteBridgeBuses(s.bridge(), s.primary(), null, s.subordinate()));
            }
            if (s.subordinate() != null) {
                out.add(new Step.WriteBridgeBuses(s.bridge(), s.primary(), s.secondary(), null));
            }
        } else if (step instanceof Step.Dom0Boot s && s.reporting() != Step.Reporting.DISCOVERY) {
            out.add(new Step.Dom0Boot(s.assignBusses(), Step.Reporting.DISCOVERY));
        } else if (step instanceof Step.Dom0ReportAll s && s.removeFirst()) {
            out.add(new Step.Dom0ReportAll(false));
        } else if (step instanceof Step.Assign s && s.domain().value() != 1) {
            out.add(new Step.Assign(s.bdf(), DomainId.guest(1)));
        }
        return out;
    }

    // ------------------------------------------------------------------ findings

    static boolean holds(List<Finding> findings, ExpectedFinding target) {
        return findings.stream().anyMatch(f -> matches(target, f));
    }

    static int firstHolding(List<List<Finding>> perStep, ExpectedFinding target) {
        for (int i = 0; i < perStep.size(); i++) {
            if (holds(perStep.get(i), target)) {
                return i;
            }
        }
        return -1;
    }

    static boolean matches(ExpectedFinding target, Finding f) {
        return target.matches(f.kind().name(), f.bus(), f.bdf() == null ? null : f.bdf().toString(), f.domain());
    }

    /** The target with the subject of the first finding that matches it (the file asserts exactly that one). */
    private static ExpectedFinding subjectOf(List<Finding> findings, ExpectedFinding target) {
        for (Finding f : findings) {
            if (matches(target, f)) {
                return new ExpectedFinding(target.kind(), f.bus(), f.bdf(), f.domain());
            }
        }
        throw new IllegalStateException(target.text() + " no longer holds: a minimizer bug");
    }

    // ------------------------------------------------------------------ the file

    /**
     * The minimized scenario as a file: a comment with where it came from, the original's size and the reduction,
     * then the scenario (policy in its header) and an {@code expect} after the last step asserting the finding.
     */
    public static String toYaml(Result r, String name, String description, String source) {
        ScenarioWriter w = new ScenarioWriter();
        int steps0 = r.original().steps().size();
        int functions0 = r.original().functions();
        int steps1 = r.minimized().steps().size();
        int functions1 = r.minimized().functions();
        w.comment(0, "Minimized by pci-timeline minimize from " + source + " (" + r.tries() + " tries): "
                + r.holding().text() + " under " + r.minimized().policy().text() + ".");
        w.comment(0, "original: " + steps0 + " steps, " + functions0 + " functions; minimized: " + steps1 + " steps, "
                + functions1 + " functions (" + percent(steps0, steps1) + " of the steps and "
                + percent(functions0, functions1) + " of the functions removed).");
        w.header(name, description, r.minimized().policy(), r.minimized().segment());
        w.topology(r.minimized().topology(), Map.of(), Map.of());
        w.steps();
        r.minimized().steps().forEach(w::step);
        w.expectFinding(r.holding());
        return w.text();
    }

    private static String percent(int before, int after) {
        return before == 0 ? "0%" : Math.round(100.0 * (before - after) / before) + "%";
    }
}
