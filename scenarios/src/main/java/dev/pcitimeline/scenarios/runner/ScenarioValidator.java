package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.Hardware;
import dev.pcitimeline.domain.hardware.HardwareFunction;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.machine.StepRule;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.xen.XenTrace;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.format.ScenarioStep;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a parsed scenario against the model in memory before anything is stored: a step
 * that names a function no longer in the hardware, plugs into an occupied devfn, enables more
 * VFs than total-vfs… is invalid input, and the whole file is rejected (SCENARIOS.md).
 * It runs the same rules and the same fold as the aggregate.
 */
public final class ScenarioValidator {

    /** Which step field each rule is about, for the error's key. */
    private static final Map<StepRule, String> FIELD = Map.of(
            StepRule.BUS_REGISTERS_ON_BRIDGES_ONLY, "bridge",
            StepRule.SRIOV_ON_PHYSICAL_FUNCTIONS_ONLY, "pf",
            StepRule.VF_COUNT_WITHIN_TOTAL, "vfs",
            StepRule.PLUG_SLOT_FREE, "function");

    private ScenarioValidator() {
    }

    /** Throws {@link ScenarioException} naming file, line and key at the first broken rule. */
    public static void validate(Scenario scenario) {
        Machine machine;
        try {
            machine = Machine.created(scenario.created("validation"));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(scenario.source(), 1, "topology", e.getMessage());
        }
        int position = scenario.initialExpectations().size(); // steps[i] counts list items, expect entries too
        for (ScenarioStep step : scenario.steps()) {
            for (StepRule rule : StepRule.ALL) {
                Optional<String> violation = rule.check(machine, step.step());
                if (violation.isPresent()) {
                    throw new ScenarioException(scenario.source(), step.line(),
                            "steps[" + position + "]." + step.step().keyword() + "." + field(rule, step.step(), machine),
                            violation.get());
                }
            }
            for (SegmentEvent e : machine.record(step.step()).events()) {
                machine.apply(e, XenTrace.NONE);
            }
            position += 1 + step.expectations().size();
        }
    }

    /**
     * The step field {@code rule} is about on {@code machine}: the argument naming a device the hardware lacks, or
     * an address outside the segment (the step says which argument names what), else the rule's own field.
     */
    private static String field(StepRule rule, Step step, int segment, Machine machine) {
        if (rule == StepRule.NAMED_DEVICE_EXISTS) {
            return step.namedDevices().entrySet().stream().filter(e -> !machine.hardware().contains(e.getValue()))
                    .map(Map.Entry::getKey).findFirst().orElse("");
        }
        if (rule == StepRule.ADDRESSES_IN_SEGMENT) {
            return step.namedAddresses().entrySet().stream().filter(e -> e.getValue().segment() != segment)
                    .map(Map.Entry::getKey).findFirst().orElse("");
        }
        return FIELD.getOrDefault(rule, "");
    }

    /**
     * The field {@code rule} is about on this machine, as precise as the hardware tells: for a refused
     * {@code plug}, {@code parent} (not a bridge), {@code function.devfn} (the slot is taken) or the
     * {@code id} of the first function of the plugged subtree whose id is in use, e.g.
     * {@code function.children[0].id}; otherwise the argument the step names the missing device or foreign address with, or the rule's own field.
     */
    public static String field(StepRule rule, Step step, Machine machine) {
        if (rule == StepRule.PLUG_SLOT_FREE && step instanceof Step.Plug plug) {
            Hardware hw = machine.hardware();
            FunctionSpec spec = plug.function();
            List<HardwareFunction> siblings;
            if (Hardware.ROOT.equals(plug.parent())) {
                siblings = hw.topLevel(spec.rootBusOrDefault());
            } else {
                HardwareFunction parent = hw.function(plug.parent());
                if (parent == null || !parent.isBridge()) {
                    return "parent";
                }
                if (spec.rootBus() != null) {
                    return "function.bus";
                }
                siblings = parent.children();
            }
            if (siblings.stream().anyMatch(s -> s.devfn() == spec.devfn().value())) {
                return "function.devfn";
            }
            String used = idInUse(hw, spec, "function");
            if (used != null) {
                return used;
            }
        }
        return field(rule, step, machine.segment(), machine);
    }

    /** The path of the id of the first function of {@code spec}'s subtree (pre-order) whose id the hardware has. */
    private static String idInUse(Hardware hw, FunctionSpec spec, String path) {
        if (hw.contains(spec.id())) {
            return path + ".id";
        }
        for (int i = 0; i < spec.children().size(); i++) {
            String used = idInUse(hw, spec.children().get(i), path + ".children[" + i + "]");
            if (used != null) {
                return used;
            }
        }
        return null;
    }
}
