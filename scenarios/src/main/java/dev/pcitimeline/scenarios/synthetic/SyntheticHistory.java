package dev.pcitimeline.scenarios.synthetic;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Policy;

import java.util.List;

/**
 * A generated history: the system to create, the steps to send, and the events they produce
 * (SystemCreated first, so {@code events().size()} is the system's event count).
 *
 * @param events empty when the generator was asked not to keep them
 */
public record SyntheticHistory(long seed, String systemId, String scenario, String description, Policy policy,
                               int segment, List<FunctionSpec> topology, List<Step> steps, long eventCount,
                               List<SegmentEvent> events) {

    public SyntheticHistory {
        topology = List.copyOf(topology);
        steps = List.copyOf(steps);
        events = List.copyOf(events);
    }

    /** The first event: the machine as firmware left it. */
    public SystemCreated created() {
        return new SystemCreated(systemId, scenario, description, policy, segment, topology);
    }
}
