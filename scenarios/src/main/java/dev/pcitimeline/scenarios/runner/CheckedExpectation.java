package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.query.StateDocument.ExpectationEntry;
import dev.pcitimeline.scenarios.format.Expectation;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioStep;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One {@code expect} entry of a replayed file and its result: what a test report shows as one test.
 *
 * @param source      the file name the scenario came from
 * @param step        the step the entry follows; null for an entry before the first step
 * @param expectation the entry as parsed (its line included)
 * @param policy      the Xen build it was checked under: its own {@code policy:} or the file's
 * @param results     one result per key, in the checker's order
 * @param time        the steps run since the previous entry was checked, and this check
 */
public record CheckedExpectation(String source, ScenarioStep step, Expectation expectation, Policy policy,
                                 List<ExpectationEntry> results, Duration time) {

    public CheckedExpectation {
        results = List.copyOf(results);
    }

    /** The test's name, e.g. {@code step 4 dom0-boot: bus2bridge (fix-remember-range)}. */
    public String name() {
        String keys = results.stream().map(ExpectationEntry::key).collect(Collectors.joining(", "));
        return where(step) + ": " + (keys.isEmpty() ? "nothing" : keys) + " (" + policy.text() + ")";
    }

    public int line() {
        return expectation.line();
    }

    public boolean passed() {
        return results.stream().allMatch(ExpectationEntry::passed);
    }

    /** Every failed key's message (file:line, step, key, policy, expected and actual), one per line. */
    public String failureMessage() {
        return results.stream().filter(r -> !r.passed()).map(ExpectationEntry::message)
                .collect(Collectors.joining("\n"));
    }

    /** The policy an entry is checked under: its own, or the scenario's. */
    static Policy policyOf(Scenario scenario, Expectation expectation) {
        return expectation.policy() == null ? scenario.policy() : expectation.policy();
    }

    /** {@code step 4 dom0-boot}, or {@code before the first step}. */
    static String where(ScenarioStep step) {
        return step == null ? "before the first step" : "step " + step.index() + " " + step.step().keyword();
    }
}
