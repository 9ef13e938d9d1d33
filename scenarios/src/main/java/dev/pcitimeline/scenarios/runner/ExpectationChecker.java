package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.query.StateDocument.ExpectationEntry;
import dev.pcitimeline.scenarios.format.Expectation;
import dev.pcitimeline.scenarios.format.ExpectedFinding;
import dev.pcitimeline.scenarios.format.UpstreamExpectation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Evaluates one {@code expect} block against a projected state object: one result per key,
 * each naming the step, the key, and on failure the expected and the actual value.
 */
public final class ExpectationChecker {
    private ExpectationChecker() {
    }

    public static List<ExpectationEntry> check(int step, Expectation e, StateDocument state) {
        List<ExpectationEntry> out = new ArrayList<>();
        String where = e.policy() == null ? "" : " (policy " + e.policy().text() + ")";
        if (e.outcome() != null) {
            String actual = state.steps().isEmpty() ? null : state.steps().get(state.steps().size() - 1).outcome();
            out.add(compare(step, "outcome", where, e.outcome().text(), actual));
        }
        if (e.bus2bridge() != null) {
            Map<Integer, String> expected = new TreeMap<>();
            e.bus2bridge().forEach((bus, bdf) -> expected.put(bus, bdf.toString()));
            Map<Integer, String> actual = new TreeMap<>();
            state.bus2bridge().forEach(m -> actual.put(m.bus(), m.bridge()));
            out.add(compare(step, "bus2bridge", where, expected, actual));
        }
        if (e.pdevs() != null) {
            TreeSet<String> expected = e.pdevs().stream().map(Bdf::toString).collect(Collectors.toCollection(TreeSet::new));
            TreeSet<String> actual = state.pdevs().stream().map(StateDocument.Pdev::bdf)
                    .collect(Collectors.toCollection(TreeSet::new));
            out.add(compare(step, "pdevs", where, expected, actual));
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
            out.add(compare(step, "upstream", where, expected, actual));
        }
        if (e.contexts() != null) {
            Map<String, Integer> expected = new TreeMap<>();
            e.contexts().forEach((bdf, d) -> expected.put(bdf.toString(), d));
            Map<String, Integer> actual = new TreeMap<>();
            state.contexts().forEach(c -> actual.put(c.bdf(), c.domain()));
            out.add(compare(step, "contexts", where, expected, actual));
        }
        if (e.findings() != null) {
            List<String> missing = new ArrayList<>();
            for (ExpectedFinding f : e.findings()) {
                boolean present = state.findings().stream().anyMatch(a -> a.kind().equals(f.kind().name())
                        && (f.bus() == null || f.bus().equals(a.bus()))
                        && (f.bdf() == null || f.bdf().toString().equals(a.bdf()))
                        && (f.domain() == null || f.domain().equals(a.domain())));
                if (!present) {
                    missing.add(findingText(f.kind().name(), f.bus(), f.bdf() == null ? null : f.bdf().toString(),
                            f.domain()));
                }
            }
            List<String> actual = state.findings().stream()
                    .map(a -> findingText(a.kind(), a.bus(), a.bdf(), a.domain())).toList();
            out.add(missing.isEmpty()
                    ? new ExpectationEntry(step, "findings", true, "all " + e.findings().size() + " present" + where)
                    : new ExpectationEntry(step, "findings", false, "step " + step + ": findings" + where
                    + ": expected to include " + missing + ", actual " + actual));
        }
        if (e.hung() != null) {
            out.add(compare(step, "hung", where, e.hung(), state.hung()));
        }
        return out;
    }

    private static ExpectationEntry compare(int step, String key, String where, Object expected, Object actual) {
        boolean passed = expected.equals(actual);
        String message = passed ? key + where + " = " + actual
                : "step " + step + ": " + key + where + ": expected " + expected + ", actual " + actual;
        return new ExpectationEntry(step, key, passed, message);
    }

    private static String upstreamText(int result, String bridge) {
        return result == 1 ? bridge : Integer.toString(result);
    }

    private static String findingText(String kind, Integer bus, String bdf, Integer domain) {
        return kind + (bus != null ? " bus " + bus : bdf != null ? " " + bdf : domain != null ? " d" + domain : "");
    }
}
