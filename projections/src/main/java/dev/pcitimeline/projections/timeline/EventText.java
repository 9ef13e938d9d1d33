package dev.pcitimeline.projections.timeline;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.AssignDeviceCalled;
import dev.pcitimeline.domain.event.SegmentEvent.BridgeBusNumbersWritten;
import dev.pcitimeline.domain.event.SegmentEvent.DeassignDeviceCalled;
import dev.pcitimeline.domain.event.SegmentEvent.Dom0Booted;
import dev.pcitimeline.domain.event.SegmentEvent.FirmwareReset;
import dev.pcitimeline.domain.event.SegmentEvent.FunctionDiscoveredByDom0;
import dev.pcitimeline.domain.event.SegmentEvent.FunctionForgottenByDom0;
import dev.pcitimeline.domain.event.SegmentEvent.FunctionPlugged;
import dev.pcitimeline.domain.event.SegmentEvent.FunctionUnplugged;
import dev.pcitimeline.domain.event.SegmentEvent.PciDeviceAddCalled;
import dev.pcitimeline.domain.event.SegmentEvent.PciDeviceRemoveCalled;
import dev.pcitimeline.domain.event.SegmentEvent.PdevAllocatedAtBoot;
import dev.pcitimeline.domain.event.SegmentEvent.PdevsGivenToDom0AtBoot;
import dev.pcitimeline.domain.event.SegmentEvent.SriovVfsDisabled;
import dev.pcitimeline.domain.event.SegmentEvent.SriovVfsEnabled;
import dev.pcitimeline.domain.event.SegmentEvent.StepStarted;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.domain.event.SegmentEvent.XenBooted;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.view.MachineView;
import dev.pcitimeline.domain.xen.XenConsole;

/**
 * The timeline's one-line text of an event, in the style of Xen's and Linux's console logs. {@code (XEN)} marks a
 * line Xen itself prints, word for word as {@code xl dmesg} shows it ({@link XenConsole}), so the timeline can be
 * put beside a real log: {@code (XEN) PCI add device 0000:06:00.0}, {@code (XEN) [VT-D]d1:PCI: map 0000:05:00.0}.
 * What Xen does without printing it (its boot scan, a refused remove, a hang) is in the model's own words under
 * {@code [xen]}; {@code (d0)} is dom0's kernel, {@code [hw]} the machine. Formatting only: the outcome shown is the
 * one the fold computed.
 */
public final class EventText {
    private EventText() {
    }

    /** The text without the state after the event: assign and deassign cannot name Xen's VT-d line then. */
    public static String of(SegmentEvent event, Outcome outcome) {
        return of(event, outcome, null);
    }

    /**
     * The text of {@code event}, whose fold under the timeline's policy returned {@code outcome} and left the view
     * {@code after} (null: unknown). The view gives the type and new owner of an assigned device, which decide
     * the VT-d line Xen prints for it.
     */
    public static String of(SegmentEvent event, Outcome outcome, MachineView after) {
        String result = outcome == null || outcome == Outcome.OK ? "" : " -> " + outcome;
        if (event instanceof SystemCreated e) {
            return "[hw] system " + e.systemId() + " created from scenario " + e.scenario() + " (policy " + e.policy()
                    + ", segment " + String.format("%04x", e.segment()) + ", " + e.topology().size()
                    + " top-level function" + (e.topology().size() == 1 ? "" : "s") + ")";
        } else if (event instanceof StepStarted e) {
            return "step " + e.index() + ": " + e.text();
        } else if (event instanceof BridgeBusNumbersWritten e) {
            return "[hw] " + e.writer() + ": config write " + e.at() + " (" + e.bridge() + ") bus registers "
                    + e.before() + " -> " + e.after() + result;
        } else if (event instanceof SriovVfsEnabled e) {
            return "(d0) pci " + e.at() + ": [" + e.pf() + "] enabling " + e.count() + " VFs";
        } else if (event instanceof SriovVfsDisabled e) {
            return "(d0) pci " + e.at() + ": [" + e.pf() + "] disabling " + e.count() + " VFs";
        } else if (event instanceof FunctionUnplugged e) {
            return "[hw] " + e.function() + " at " + e.at() + " unplugged with " + e.removed().size() + " function"
                    + (e.removed().size() == 1 ? "" : "s") + " " + e.removed();
        } else if (event instanceof FunctionPlugged e) {
            return "[hw] " + e.function().id() + " (" + e.function().kind() + ") plugged at devfn "
                    + e.function().devfn() + " under " + e.parent();
        } else if (event instanceof FirmwareReset) {
            return "[hw] firmware reset: bridge registers and VF counts back to power-on";
        } else if (event instanceof XenBooted) {
            return "[xen] Xen booted: empty pdev list, bus2bridge and context entries";
        } else if (event instanceof PdevAllocatedAtBoot e) {
            return "[xen] PCI scan: alloc_pdev " + e.bdf() + result;
        } else if (event instanceof PdevsGivenToDom0AtBoot) {
            return "[xen] setup_hwdom_pci_devices: pdevs without owner -> d0, domain_context_mapping" + result;
        } else if (event instanceof PciDeviceAddCalled e) {
            if (outcome == Outcome.HUNG) {
                return "[xen] PHYSDEVOP_pci_device_add " + e.bdf() + " by " + e.caller() + result
                        + ": Xen loops in alloc_pdev and prints nothing";
            }
            // Xen 4.4 prints the line whatever the result (4.5 and later only on success)
            return XenConsole.PREFIX + XenConsole.pciAdd(e.bdf(), e.virtfnOf() != null) + annotation(outcome);
        } else if (event instanceof PciDeviceRemoveCalled e) {
            if (outcome == Outcome.HUNG || outcome == Outcome.ENODEV) {
                return "[xen] PHYSDEVOP_pci_device_remove " + e.bdf() + " by " + e.caller() + result
                        + (outcome == Outcome.ENODEV ? ": no pdev there, Xen prints nothing" : ": Xen prints nothing");
            }
            return XenConsole.PREFIX + XenConsole.pciRemove(e.bdf()) + annotation(outcome);
        } else if (event instanceof AssignDeviceCalled e) {
            if (outcome != null && outcome != Outcome.OK && outcome != Outcome.HUNG) {
                return XenConsole.PREFIX + XenConsole.assignFailed(e.bdf(), e.domain().value(), outcome.text());
            }
            String mapped = outcome == Outcome.HUNG ? null : mapLine(e.bdf(), after);
            return mapped != null ? mapped : "[xen] XEN_DOMCTL_assign_device " + e.bdf() + " to " + e.domain() + result;
        } else if (event instanceof DeassignDeviceCalled e) {
            String mapped = outcome == null || outcome == Outcome.OK ? mapLine(e.bdf(), after) : null;
            return mapped != null ? mapped : "[xen] XEN_DOMCTL_deassign_device " + e.bdf() + result;
        } else if (event instanceof Dom0Booted e) {
            return "(d0) Linux: PCI enumeration" + (e.assignBusses() ? " with pci=assign-busses" : "")
                    + ", reporting " + e.reporting().text();
        } else if (event instanceof FunctionDiscoveredByDom0 e) {
            return "(d0) pci " + e.at() + ": [" + e.function() + "] found";
        } else if (event instanceof FunctionForgottenByDom0 e) {
            return "(d0) pci " + e.at() + ": [" + e.function() + "] removed";
        }
        return event.getClass().getSimpleName() + result;
    }

    /** The model's outcome after a Xen line, apart from Xen's words: {@code   [-> EINVAL]}. */
    private static String annotation(Outcome outcome) {
        return outcome == null || outcome == Outcome.OK ? "" : "  [-> " + outcome + "]";
    }

    /**
     * The last line Xen prints when a device changed hands: domain_context_mapping's for the new owner, e.g.
     * {@code (XEN) [VT-D]d1:PCI: map 0000:05:00.0}; null when Xen prints none (bridges) or the view is unknown.
     */
    private static String mapLine(Bdf bdf, MachineView after) {
        if (after == null) {
            return null;
        }
        for (MachineView.PdevRow p : after.pdevs()) {
            if (p.bdf().equals(bdf) && p.domain() != null) {
                String call = XenConsole.contextCall(XenConsole.domain(p.domain()), p.type(), bdf, true);
                return call == null ? null : XenConsole.PREFIX + XenConsole.VTD + call;
            }
        }
        return null;
    }

    /** The event's type as the timeline names it. */
    public static String type(SegmentEvent event) {
        return event.getClass().getSimpleName();
    }
}
