package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.query.StateDocument.ExpectationEntry;
import dev.pcitimeline.scenarios.format.Expectation;
import dev.pcitimeline.scenarios.format.ExpectedFinding;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioStep;
import dev.pcitimeline.scenarios.format.UpstreamExpectation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Evaluates one {@code expect} block against a projected state object: one result per key. A failure's
 * message names the file and line of the {@code expect}, the step before it (index and text), the key, the
 * policy it was checked under, the expected and the actual value; test reports and {@code replay} print it as is.
 */
public final class ExpectationChecker {
    private ExpectationChecker() {
    }

    /** @param step the step {@code e} follows; null for an entry before the first step */
    public static List<ExpectationEntry> check(Scenario scenario, ScenarioStep step, Expectation e, StateDocument state) {
        List<ExpectationEntry> out = new ArrayList<>();
        String where = " (policy " + CheckedExpectation.policyOf(scenario, e).text() + ")";
        String at = scenario.source() + ":" + e.line() + ": " + (step == null ? CheckedExpectation.where(null)
                : "step " + step.index() + " (" + step.step().text() + ")") + ": ";
        int index = step == null ? -1 : step.index();
        if (e.outcome() != null) {
            String actual = state.steps().isEmpty() ? null : state.steps().get(state.steps().size() - 1).outcome();
            out.add(compare(index, at, "outcome", where, e.outcome().text(), actual));
        }
        if (e.bus2bridge() != null) {
            Map<Integer, String> expected = new TreeMap<>();
            e.bus2bridge().forEach((bus, bdf) -> expected.put(bus, bdf.toString()));
            Map<Integer, String> actual = new TreeMap<>();
            state.bus2bridge().forEach(m -> actual.put(m.bus(), m.bridge()));
            out.add(compare(index, at, "bus2bridge", where, expected, actual));
        }
        if (e.pdevs() != null) {
            TreeSet<String> expected = e.pdevs().stream().map(Bdf::toString).collect(Collectors.toCollection(TreeSet::new));
            TreeSet<String> actual = state.pdevs().stream().map(StateDocument.Pdev::bdf)
                    .collect(Collectors.toCollection(TreeSet::new));
            out.add(compare(index, at, "pdevs", where, expected, actual));
        }
        if (e.upstream() != null) {
            Map<String, String> expected = new LinkedHashMap<>();
            Map<String, String> actual = new LinkedHashMap<>();
            for (Map.Entry<Bdf, UpstreamExpectation> u : e.upstream().entrySet()) {
                String bdf = u.getKey().toString();
                expected.put(bdf, upstreamText(u.getValue().result(), u.getValue().bridge() == null ? null
                        : u.getValue().bridge().toString()));
                actual.put(bdf, state.upstream().stream().filter(r -> r.bdf().equals(bdf)).findFirst()
                        .map(r -> upstreamText(r.result(), r.bridge())).orElse("no pdev"));
            }
            out.add(compare(index, at, "upstream", where, expected, actual));
        }
        if (e.contexts() != null) {
            Map<String, Integer> expected = new TreeMap<>();
            e.contexts().forEach((bdf, d) -> expected.put(bdf.toString(), d));
            Map<String, Integer> actual = new TreeMap<>();
            state.contexts().forEach(c -> actual.put(c.bdf(), c.domain()));
            out.add(compare(index, at, "contexts", where, expected, actual));
        }
        if (e.findings() != null) {
            List<String> missing = new ArrayList<>();
            for (ExpectedFinding f : e.findings()) {
                boolean present = state.findings().stream().anyMatch(a -> f.matches(a.kind(), a.bus(), a.bdf(), a.domain()));
                if (!present) {
                    missing.add(findingText(f.kind().name(), f.bus(), f.bdf() == null ? null : f.bdf().toString(),
                            f.domain()));
                }
            }
            List<String> actual = state.findings().stream()
                    .map(a -> findingText(a.kind(), a.bus(), a.bdf(), a.domain())).toList();
            out.add(missing.isEmpty()
                    ? new ExpectationEntry(index, "findings", true, "all " + e.findings().size() + " present" + where)
                    : new ExpectationEntry(index, "findings", false, at + "findings" + where
                    + ": expected to include " + missing + ", actual " + actual));
        }
        if (e.hung() != null) {
            out.add(compare(index, at, "hung", where, e.hung(), state.hung()));
        }
        return out;
    }

    private static ExpectationEntry compare(int step, String at, String key, String where, Object expected, Object actual) {
        boolean passed = expected.equals(actual);
        String message = passed ? key + where + " = " + actual
                : at + key + where + ": expected " + expected + ", actual " + actual;
        return new ExpectationEntry(step, key, passed, message);
    }

    private static String upstreamText(int result, String bridge) {
        return result == 1 ? bridge : Integer.toString(result);
    }

    private static String findingText(String kind, Integer bus, String bdf, Integer domain) {
        return kind + (bus != null ? " bus " + bus : bdf != null ? " " + bdf : domain != null ? " d" + domain : "");
    }
}
