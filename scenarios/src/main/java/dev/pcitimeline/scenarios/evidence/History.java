package dev.pcitimeline.scenarios.evidence;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.machine.StepRule;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.domain.view.Findings;
import dev.pcitimeline.domain.xen.XenTrace;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioStep;

import java.util.ArrayList;
import java.util.List;

/**
 * A scenario reduced to what minimizing changes: the power-on hardware and the steps, under one policy.
 * {@link #findingsAfterEachStep} folds it in memory exactly as the validator and the aggregate do (the
 * domain's {@link StepRule}s, {@link Machine#record}, {@link Machine#apply}), so "valid" here is "valid" for
 * {@code replay}.
 */
public record History(Policy policy, int segment, List<FunctionSpec> topology, List<Step> steps) {

    public History {
        topology = List.copyOf(topology);
        steps = List.copyOf(steps);
    }

    public static History of(Scenario scenario, Policy policy) {
        return new History(policy == null ? scenario.policy() : policy, scenario.segment(), scenario.topology(),
                scenario.steps().stream().map(ScenarioStep::step).toList());
    }

    public History withSteps(List<Step> replaced) {
        return new History(policy, segment, topology, replaced);
    }

    public History withTopology(List<FunctionSpec> replaced) {
        return new History(policy, segment, replaced, steps);
    }

    /** Functions of the power-on topology, VFs not counted. */
    public int functions() {
        return count(topology);
    }

    private static int count(List<FunctionSpec> specs) {
        int n = 0;
        for (FunctionSpec f : specs) {
            n += 1 + count(f.children());
        }
        return n;
    }

    /**
     * The findings after each step (index i: after step i), folded under {@link #policy}; null when the history is
     * not a valid scenario (the topology is refused, or a step breaks a rule at the moment it runs).
     * With {@code lastOnly} only the last step's findings are computed (the others are empty lists): the fresh boot
     * they compare against is the costly part.
     */
    public List<List<Finding>> findingsAfterEachStep(boolean lastOnly) {
        Machine machine;
        try {
            machine = Machine.created(new SegmentEvent.SystemCreated("evidence", "evidence", null, policy, segment,
                    topology));
        } catch (IllegalArgumentException refused) {
            return null;
        }
        List<List<Finding>> out = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (StepRule.firstViolation(machine, step).isPresent()) {
                return null;
            }
            for (SegmentEvent e : machine.record(step).events()) {
                machine.apply(e, XenTrace.NONE);
            }
            out.add(lastOnly && i < steps.size() - 1 ? List.of() : findings(machine));
        }
        return out;
    }

    /** What is wrong with Xen's state now (XEN-MODEL.md §5), against a fresh boot of the hardware as it is. */
    static List<Finding> findings(Machine machine) {
        return Findings.of(machine.hardware(), machine.xen(), Findings.expected(machine.hardware(), machine.xen()));
    }

    /** Ids of the topology's functions in pre-order. */
    List<String> functionIds() {
        List<String> ids = new ArrayList<>();
        collect(topology, ids);
        return ids;
    }

    private static void collect(List<FunctionSpec> specs, List<String> ids) {
        for (FunctionSpec f : specs) {
            ids.add(f.id());
            collect(f.children(), ids);
        }
    }

    /** The topology without function {@code id} and its subtree. */
    static List<FunctionSpec> without(List<FunctionSpec> specs, String id) {
        List<FunctionSpec> out = new ArrayList<>(specs.size());
        for (FunctionSpec f : specs) {
            if (!f.id().equals(id)) {
                out.add(f.children().isEmpty() ? f : withChildren(f, without(f.children(), id)));
            }
        }
        return out;
    }

    /** The topology with function {@code id} replaced by {@code replacement}. */
    static List<FunctionSpec> replaced(List<FunctionSpec> specs, String id, FunctionSpec replacement) {
        List<FunctionSpec> out = new ArrayList<>(specs.size());
        for (FunctionSpec f : specs) {
            if (f.id().equals(id)) {
                out.add(replacement);
            } else {
                out.add(f.children().isEmpty() ? f : withChildren(f, replaced(f.children(), id, replacement)));
            }
        }
        return out;
    }

    static FunctionSpec find(List<FunctionSpec> specs, String id) {
        for (FunctionSpec f : specs) {
            if (f.id().equals(id)) {
                return f;
            }
            FunctionSpec below = find(f.children(), id);
            if (below != null) {
                return below;
            }
        }
        return null;
    }

    private static FunctionSpec withChildren(FunctionSpec f, List<FunctionSpec> children) {
        return new FunctionSpec(f.id(), f.devfn(), f.rootBus(), f.kind(), f.buses(), f.bar2(), f.sriov(), children);
    }
}
