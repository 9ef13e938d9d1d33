package dev.pcitimeline.domain.event;

import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.value.XenDeviceType;

import java.util.List;

/**
 * Everything that happens to one simulated PCI segment. Events carry the <em>inputs</em> (the
 * hypercall, the register write, the hardware change) so the pure model can fold them again
 * under any policy, and the <em>observed outcome</em> under the system's own policy (errno,
 * what Xen read from config space, a hang) so history explains itself.
 *
 * <p>Folding ignores the observed fields: {@code Machine.apply} recomputes them, and a
 * property test checks that under the recording policy it gets the same values back.
 */
public sealed interface SegmentEvent {

    String systemId();

    // ---------------------------------------------------------------- lifecycle and steps

    /** A system was created: the machine as firmware left it at power-on. */
    record SystemCreated(String systemId, String scenario, String description, Policy policy, int segment,
                         List<FunctionSpec> topology) implements SegmentEvent {
    }

    /** Step {@code index} began; the events up to the next StepStarted are what it produced. */
    record StepStarted(String systemId, int index, String keyword, String text) implements SegmentEvent {
    }

    // ---------------------------------------------------------------- hardware

    /**
     * A config write to a bridge's bus registers at its current address {@code at}.
     * {@code outcome} is Xen's, under fix-trap-bus-writes (ok or HUNG); ok where nothing traps it.
     */
    record BridgeBusNumbersWritten(String systemId, String bridge, Bdf at, BridgeBuses before, BridgeBuses after,
                                   String writer, Outcome outcome, List<ConfigRead> reads)
            implements SegmentEvent, XenObserved<BridgeBusNumbersWritten> {
        public BridgeBusNumbersWritten observed(Outcome o, List<ConfigRead> r) {
            return new BridgeBusNumbersWritten(systemId, bridge, at, before, after, writer, o, r);
        }
    }

    /** A PF's VF Enable took effect with {@code count} VFs. */
    record SriovVfsEnabled(String systemId, String pf, Bdf at, int count) implements SegmentEvent {
    }

    /** A PF's VFs were turned off; {@code count} of them went away. */
    record SriovVfsDisabled(String systemId, String pf, Bdf at, int count) implements SegmentEvent {
    }

    /** A function and everything below it left the hardware. */
    record FunctionUnplugged(String systemId, String function, Bdf at, List<String> removed) implements SegmentEvent {
    }

    /** A function (and its children, registers as given) joined the hardware under {@code parent}. */
    record FunctionPlugged(String systemId, String parent, FunctionSpec function) implements SegmentEvent {
    }

    /** Firmware reset every bridge to its power-on registers and every PF to its power-on VF count. */
    record FirmwareReset(String systemId) implements SegmentEvent {
    }

    // ---------------------------------------------------------------- Xen

    /** Xen started with empty state (and dom0 with it: Linux's list is empty). */
    record XenBooted(String systemId) implements SegmentEvent {
    }

    /** Xen's boot scan found a function at {@code bdf} and called alloc_pdev for it. */
    record PdevAllocatedAtBoot(String systemId, Bdf bdf, Outcome outcome, List<ConfigRead> reads)
            implements SegmentEvent, XenObserved<PdevAllocatedAtBoot> {
        public PdevAllocatedAtBoot observed(Outcome o, List<ConfigRead> r) {
            return new PdevAllocatedAtBoot(systemId, bdf, o, r);
        }
    }

    /** The end of Xen's boot: every pdev without an owner went to dom0, with its context entries. */
    record PdevsGivenToDom0AtBoot(String systemId, Outcome outcome, List<ConfigRead> reads)
            implements SegmentEvent, XenObserved<PdevsGivenToDom0AtBoot> {
        public PdevsGivenToDom0AtBoot observed(Outcome o, List<ConfigRead> r) {
            return new PdevsGivenToDom0AtBoot(systemId, o, r);
        }
    }

    /** {@code PHYSDEVOP_pci_device_add} was made (by {@code caller}: dom0 or the scenario). */
    record PciDeviceAddCalled(String systemId, Bdf bdf, Bdf virtfnOf, String caller, Outcome outcome,
                              List<ConfigRead> reads) implements SegmentEvent, XenObserved<PciDeviceAddCalled> {
        public PciDeviceAddCalled observed(Outcome o, List<ConfigRead> r) {
            return new PciDeviceAddCalled(systemId, bdf, virtfnOf, caller, o, r);
        }
    }

    /** {@code PHYSDEVOP_pci_device_remove} was made. */
    record PciDeviceRemoveCalled(String systemId, Bdf bdf, String caller, Outcome outcome, List<ConfigRead> reads)
            implements SegmentEvent, XenObserved<PciDeviceRemoveCalled> {
        public PciDeviceRemoveCalled observed(Outcome o, List<ConfigRead> r) {
            return new PciDeviceRemoveCalled(systemId, bdf, caller, o, r);
        }
    }

    /** {@code XEN_DOMCTL_assign_device} was made. */
    record AssignDeviceCalled(String systemId, Bdf bdf, DomainId domain, Outcome outcome, List<ConfigRead> reads)
            implements SegmentEvent, XenObserved<AssignDeviceCalled> {
        public AssignDeviceCalled observed(Outcome o, List<ConfigRead> r) {
            return new AssignDeviceCalled(systemId, bdf, domain, o, r);
        }
    }

    /** {@code XEN_DOMCTL_deassign_device} was made. */
    record DeassignDeviceCalled(String systemId, Bdf bdf, Outcome outcome, List<ConfigRead> reads)
            implements SegmentEvent, XenObserved<DeassignDeviceCalled> {
        public DeassignDeviceCalled observed(Outcome o, List<ConfigRead> r) {
            return new DeassignDeviceCalled(systemId, bdf, o, r);
        }
    }

    // ---------------------------------------------------------------- dom0 (Linux)

    /** dom0's kernel started enumerating; its list of functions starts empty. */
    record Dom0Booted(String systemId, boolean assignBusses, Step.Reporting reporting) implements SegmentEvent {
    }

    /** Linux found a function it did not know and added it to its list. */
    record FunctionDiscoveredByDom0(String systemId, String function, Bdf at) implements SegmentEvent {
    }

    /** A function left Linux's list. */
    record FunctionForgottenByDom0(String systemId, String function, Bdf at) implements SegmentEvent {
    }

    /**
     * An event whose observed fields come from running it through the Xen model: the recorder
     * builds it without them, folds it, and stores the copy returned by {@link #observed}.
     */
    interface XenObserved<E extends SegmentEvent> {
        Outcome outcome();

        E observed(Outcome outcome, List<ConfigRead> reads);
    }
}
