package dev.pcitimeline.scenarios.format;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.machine.HistoryLandmarks;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Policy;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed scenario file (SCENARIOS.md, format 1): the power-on hardware and the steps of a
 * boot sequence, checked for everything the file alone decides.
 *
 * @param name                the {@code scenario} key
 * @param description         free text, or null
 * @param policy              the Xen build to fold with (default xen-4.4)
 * @param segment             the PCI segment every BDF of the file is in (default 0)
 * @param topology            the top-level functions, as firmware left them
 * @param initialExpectations {@code expect} entries before the first step: assertions on the
 *                            state before any step runs (they cannot check an {@code outcome})
 * @param steps               the steps, numbered from 0; {@code expect} entries take no number
 * @param source              the file name, or {@code <request>}
 */
public record Scenario(
        String name,
        String description,
        Policy policy,
        int segment,
        List<FunctionSpec> topology,
        List<Expectation> initialExpectations,
        List<ScenarioStep> steps,
        String source) {

    public static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1,80}");
    public static final Policy DEFAULT_POLICY = Policy.XEN_4_4;
    public static final int MAX_SEGMENT = 0xffff;

    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(source, "source");
        topology = List.copyOf(topology);
        initialExpectations = List.copyOf(initialExpectations);
        steps = List.copyOf(steps);
    }

    /** The event that creates this scenario's machine as system {@code systemId} (the start of every fold of it). */
    public SegmentEvent.SystemCreated created(String systemId) {
        return new SegmentEvent.SystemCreated(systemId, name, description, policy, segment, topology);
    }

    /** Where this scenario's history does what (step ends, bus2bridge writes), as a store would number it. */
    public HistoryLandmarks landmarks() {
        return HistoryLandmarks.record(created("landmarks"), stepList());
    }

    /** The steps alone, in order. */
    public List<Step> stepList() {
        return steps.stream().map(ScenarioStep::step).toList();
    }

    /** The same scenario folded under another Xen build (check-log --policy). */
    public Scenario withPolicy(Policy other) {
        return new Scenario(name, description, other, segment, topology, initialExpectations, steps, source);
    }
}
