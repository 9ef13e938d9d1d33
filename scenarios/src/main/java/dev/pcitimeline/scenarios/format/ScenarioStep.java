package dev.pcitimeline.scenarios.format;

import dev.pcitimeline.domain.step.Step;

import java.util.List;
import java.util.Objects;

/**
 * One step of a scenario with where it came from.
 *
 * @param index        the step number, counted from 0 in file order without the {@code expect} entries
 * @param step         what to run
 * @param line         the line the step starts on
 * @param expectations the {@code expect} entries between this step and the next, in file order
 */
public record ScenarioStep(int index, Step step, int line, List<Expectation> expectations) {

    public ScenarioStep {
        Objects.requireNonNull(step, "step");
        expectations = List.copyOf(expectations);
    }
}
