package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.scenarios.format.Scenario;

import java.time.Duration;
import java.util.List;

/**
 * A replayed scenario: the system it created and the state asked for, with every expectation's result.
 *
 * @param checks every {@code expect} entry of the file in file order, with its results (the state's
 *               {@code expectations} are theirs, flattened)
 * @param time   the whole replay: validation, every step and every check
 */
public record ReplayResult(Scenario scenario, String system, StateDocument state, List<CheckedExpectation> checks,
                           Duration time) {

    public ReplayResult {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return state.expectations().stream().allMatch(StateDocument.ExpectationEntry::passed);
    }

    public long failures() {
        return state.expectations().stream().filter(e -> !e.passed()).count();
    }
}
