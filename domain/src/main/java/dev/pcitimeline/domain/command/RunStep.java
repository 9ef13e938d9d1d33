package dev.pcitimeline.domain.command;

import dev.pcitimeline.domain.step.Step;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Objects;

/**
 * Run one step of SCENARIOS.md on a system. A macro step (xen-boot, dom0-boot, …) is still one
 * command, so all its events are stored atomically or not at all. The step's type says what to do
 * ({@link Step.Visitor}); the handler answers with a {@link StepResult}.
 */
public record RunStep(@TargetAggregateIdentifier String systemId, Step step) {
    public RunStep {
        Objects.requireNonNull(systemId, "systemId");
        Objects.requireNonNull(step, "step");
    }
}
