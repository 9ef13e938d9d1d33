package dev.pcitimeline.projections.audit;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.AssignDeviceCalled;
import dev.pcitimeline.domain.event.SegmentEvent.BridgeBusNumbersWritten;
import dev.pcitimeline.domain.event.SegmentEvent.DeassignDeviceCalled;
import dev.pcitimeline.domain.event.SegmentEvent.FirmwareReset;
import dev.pcitimeline.domain.event.SegmentEvent.FunctionPlugged;
import dev.pcitimeline.domain.event.SegmentEvent.FunctionUnplugged;
import dev.pcitimeline.domain.event.SegmentEvent.PciDeviceAddCalled;
import dev.pcitimeline.domain.event.SegmentEvent.PciDeviceRemoveCalled;
import dev.pcitimeline.domain.event.SegmentEvent.PdevAllocatedAtBoot;
import dev.pcitimeline.domain.event.SegmentEvent.PdevsGivenToDom0AtBoot;
import dev.pcitimeline.domain.event.SegmentEvent.SriovVfsDisabled;
import dev.pcitimeline.domain.event.SegmentEvent.SriovVfsEnabled;
import dev.pcitimeline.domain.event.SegmentEvent.XenBooted;
import dev.pcitimeline.projections.timeline.EventText;

/** The operation an event is, named as a Xen developer would: the hypercall and its argument, or what happened. */
final class Operations {
    private Operations() {
    }

    static String of(SegmentEvent event) {
        if (event instanceof PciDeviceAddCalled e) {
            return "PHYSDEVOP_pci_device_add " + e.bdf() + (e.virtfnOf() == null ? "" : " (virtfn of " + e.virtfnOf() + ")");
        } else if (event instanceof PciDeviceRemoveCalled e) {
            return "PHYSDEVOP_pci_device_remove " + e.bdf();
        } else if (event instanceof PdevAllocatedAtBoot e) {
            return "alloc_pdev " + e.bdf() + " (boot scan)";
        } else if (event instanceof PdevsGivenToDom0AtBoot) {
            return "boot: pdevs without owner to d0 (domain_context_mapping)";
        } else if (event instanceof AssignDeviceCalled e) {
            return "XEN_DOMCTL_assign_device " + e.bdf() + " to " + e.domain();
        } else if (event instanceof DeassignDeviceCalled e) {
            return "XEN_DOMCTL_deassign_device " + e.bdf();
        } else if (event instanceof BridgeBusNumbersWritten e) {
            return "config write " + e.at() + " (" + e.bridge() + ") bus registers " + e.before() + " -> " + e.after()
                    + " by " + e.writer();
        } else if (event instanceof XenBooted) {
            return "xen-boot (fresh state)";
        } else if (event instanceof FirmwareReset) {
            return "firmware reset (bridge registers and VF counts to power-on)";
        } else if (event instanceof FunctionUnplugged e) {
            return "unplug " + e.function() + " at " + e.at();
        } else if (event instanceof FunctionPlugged e) {
            return "plug " + e.function().id() + " under " + e.parent();
        } else if (event instanceof SriovVfsEnabled e) {
            return "enable " + e.count() + " VFs of " + e.pf() + " at " + e.at();
        } else if (event instanceof SriovVfsDisabled e) {
            return "disable the VFs of " + e.pf() + " at " + e.at();
        }
        return EventText.of(event, null);
    }
}
