package dev.pcitimeline.domain.command;

import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.value.Policy;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Create a simulated system: one PCI segment with the machine as firmware left it, and a Xen build. */
public record CreateSystem(@TargetAggregateIdentifier String systemId, String scenario, String description,
                           Policy policy, int segment, List<FunctionSpec> topology) {
}
