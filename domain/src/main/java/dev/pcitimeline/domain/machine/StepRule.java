package dev.pcitimeline.domain.machine;

import dev.pcitimeline.domain.hardware.HardwareFunction;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;

import java.util.List;
import java.util.Optional;

/**
 * An invariant a step must keep to be accepted at all: a step that breaks one is invalid
 * input and stores nothing (SCENARIOS.md). A hypercall Xen refuses is NOT a broken rule: it is
 * recorded with its errno.
 */
public interface StepRule {

    /** The violation's message, or empty when the step keeps this rule on this machine. */
    Optional<String> check(Machine machine, Step step);

    /** Steps that name a device must name a physical function that is in the hardware now. */
    StepRule NAMED_DEVICE_EXISTS = (m, step) -> {
        for (String id : step.namedDevices().values()) {
            if (!m.hardware().contains(id)) {
                return Optional.of("unknown device '" + id + "': no function with that id is in the hardware"
                        + (step instanceof Step.Unplug ? " (now)" : ""));
            }
        }
        return Optional.empty();
    };

    /** Only bridges have bus number registers. */
    StepRule BUS_REGISTERS_ON_BRIDGES_ONLY = (m, step) -> {
        if (step instanceof Step.WriteBridgeBuses s) {
            HardwareFunction f = m.hardware().function(s.bridge());
            if (f != null && !f.isBridge()) {
                return Optional.of(s.bridge() + " is a " + f.kind() + ", not a bridge: it has no bus registers");
            }
        }
        return Optional.empty();
    };

    /** SR-IOV steps name a physical function with an SR-IOV capability. */
    StepRule SRIOV_ON_PHYSICAL_FUNCTIONS_ONLY = (m, step) -> {
        String pf = step instanceof Step.EnableSriov s ? s.pf() : step instanceof Step.DisableSriov s ? s.pf() : null;
        HardwareFunction f = pf == null ? null : m.hardware().function(pf);
        if (f != null && !f.isPhysicalFunction()) {
            return Optional.of(pf + " is a " + f.kind() + " without SR-IOV: it has no virtual functions");
        }
        return Optional.empty();
    };

    /** A PF enables between 1 and total-vfs VFs, and every VF's requester ID fits in 16 bits. */
    StepRule VF_COUNT_WITHIN_TOTAL = (m, step) -> {
        if (step instanceof Step.EnableSriov s) {
            HardwareFunction f = m.hardware().function(s.pf());
            if (f != null && f.isPhysicalFunction()) {
                String problem = m.hardware().enableProblem(f, s.vfs());
                if (problem != null) {
                    return Optional.of(problem);
                }
                if (f.vfRid(s.vfs() - 1) > 0xffff) {
                    return Optional.of(s.pf() + ": VF " + (s.vfs() - 1) + " would have requester ID "
                            + f.vfRid(s.vfs() - 1) + ", beyond bus ff");
                }
            }
        }
        return Optional.empty();
    };

    /** A plugged function goes under a bridge (or a root bus) at a free devfn, with ids not in use. */
    StepRule PLUG_SLOT_FREE = (m, step) -> {
        if (step instanceof Step.Plug s) {
            return Optional.ofNullable(m.hardware().plugProblem(s.parent(), s.function()));
        }
        return Optional.empty();
    };

    /** One system is one PCI segment: every address a step names is in it. */
    StepRule ADDRESSES_IN_SEGMENT = (m, step) -> {
        for (Bdf bdf : step.namedAddresses().values()) {
            if (bdf.segment() != m.segment()) {
                return Optional.of(bdf + " is in segment " + String.format("%04x", bdf.segment())
                        + ", but this system models segment " + String.format("%04x", m.segment()));
            }
        }
        return Optional.empty();
    };

    /** Every rule, in the order their messages are most useful. */
    List<StepRule> ALL = List.of(NAMED_DEVICE_EXISTS, ADDRESSES_IN_SEGMENT, BUS_REGISTERS_ON_BRIDGES_ONLY,
            SRIOV_ON_PHYSICAL_FUNCTIONS_ONLY, VF_COUNT_WITHIN_TOTAL, PLUG_SLOT_FREE);

    /** The first broken rule's message, or empty. */
    static Optional<String> firstViolation(Machine machine, Step step) {
        for (StepRule rule : ALL) {
            Optional<String> v = rule.check(machine, step);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }
}
