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
import dev.pcitimeline.domain.value.Outcome;

/**
 * The timeline's one-line text of an event, in the style of Xen's and Linux's console logs:
 * {@code (XEN)} for the hypervisor, {@code (d0)} for dom0's kernel, {@code [hw]} for the machine.
 * Formatting only: the outcome shown is the one the fold computed.
 */
public final class EventText {
    private EventText() {
    }

    public static String of(SegmentEvent event, Outcome outcome) {
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
            return "(XEN) Xen booted: empty pdev list, bus2bridge and context entries";
        } else if (event instanceof PdevAllocatedAtBoot e) {
            return "(XEN) PCI scan: alloc_pdev " + e.bdf() + result;
        } else if (event instanceof PdevsGivenToDom0AtBoot) {
            return "(XEN) setup_hwdom_pci_devices: pdevs without owner -> d0, domain_context_mapping" + result;
        } else if (event instanceof PciDeviceAddCalled e) {
            return "(XEN) PHYSDEVOP_pci_device_add " + e.bdf()
                    + (e.virtfnOf() == null ? "" : " virtfn of " + e.virtfnOf()) + " by " + e.caller() + result;
        } else if (event instanceof PciDeviceRemoveCalled e) {
            return "(XEN) PHYSDEVOP_pci_device_remove " + e.bdf() + " by " + e.caller() + result;
        } else if (event instanceof AssignDeviceCalled e) {
            return "(XEN) XEN_DOMCTL_assign_device " + e.bdf() + " to " + e.domain() + result;
        } else if (event instanceof DeassignDeviceCalled e) {
            return "(XEN) XEN_DOMCTL_deassign_device " + e.bdf() + result;
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

    /** The event's type as the timeline names it. */
    public static String type(SegmentEvent event) {
        return event.getClass().getSimpleName();
    }
}
