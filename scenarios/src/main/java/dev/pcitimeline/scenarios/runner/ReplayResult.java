package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.scenarios.format.Scenario;

/** A replayed scenario: the system it created and the state asked for, with every expectation's result. */
public record ReplayResult(Scenario scenario, String system, StateDocument state) {

    public boolean passed() {
        return state.expectations().stream().allMatch(StateDocument.ExpectationEntry::passed);
    }

    public long failures() {
        return state.expectations().stream().filter(e -> !e.passed()).count();
    }
}
