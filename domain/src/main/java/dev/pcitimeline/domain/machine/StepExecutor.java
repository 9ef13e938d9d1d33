package dev.pcitimeline.domain.machine;

import dev.pcitimeline.domain.dom0.Dom0State;
import dev.pcitimeline.domain.dom0.Linux;
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
import dev.pcitimeline.domain.event.SegmentEvent.XenBooted;
import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.hardware.Hardware;
import dev.pcitimeline.domain.hardware.HardwareFunction;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.xen.Xen;

import java.util.List;

/** Turns one step into events on a scratch machine: Xen's own steps here, dom0's in {@link Linux}. */
final class StepExecutor implements Linux.Dom0Port {
    /** Who made a hypercall or write that the scenario itself asked for. */
    static final String SCENARIO = "scenario";

    private final Machine machine;
    private final EventRecorder recorder;
    private final Linux linux;

    StepExecutor(Machine machine, EventRecorder recorder) {
        this.machine = machine;
        this.recorder = recorder;
        this.linux = new Linux(this);
    }

    void run(Step step) {
        String sys = machine.systemId();
        if (step instanceof Step.XenBoot) {
            xenBoot();
        } else if (step instanceof Step.Reboot) {
            emit(new FirmwareReset(sys));
            xenBoot();
        } else if (step instanceof Step.Dom0Boot s) {
            linux.boot(s.assignBusses(), s.reporting());
        } else if (step instanceof Step.Dom0Remove s) {
            linux.remove(s.bdf());
        } else if (step instanceof Step.Dom0Rescan s) {
            linux.rescan(s.bus());
        } else if (step instanceof Step.LinuxAssignBusses) {
            linux.assignBusses();
        } else if (step instanceof Step.WriteBridgeBuses s) {
            HardwareFunction bridge = hardware().function(s.bridge());
            BridgeBuses now = bridge.buses();
            BridgeBuses next = new BridgeBuses(
                    s.primary() == null ? now.primary() : s.primary(),
                    s.secondary() == null ? now.secondary() : s.secondary(),
                    s.subordinate() == null ? now.subordinate() : s.subordinate());
            emit(new BridgeBusNumbersWritten(sys, bridge.id(), hardware().addressOf(bridge), now, next, SCENARIO,
                    null, List.of()));
        } else if (step instanceof Step.EnableSriov s) {
            linux.enableSriov(s.pf(), s.vfs());
        } else if (step instanceof Step.DisableSriov s) {
            linux.disableSriov(s.pf());
        } else if (step instanceof Step.Add s) {
            emit(new PciDeviceAddCalled(sys, s.bdf(), s.virtfnOf(), SCENARIO, null, List.of()));
        } else if (step instanceof Step.Remove s) {
            emit(new PciDeviceRemoveCalled(sys, s.bdf(), SCENARIO, null, List.of()));
        } else if (step instanceof Step.Dom0ReportAll s) {
            linux.reportAll(s.removeFirst());
        } else if (step instanceof Step.Assign s) {
            emit(new AssignDeviceCalled(sys, s.bdf(), s.domain(), null, List.of()));
        } else if (step instanceof Step.Deassign s) {
            emit(new DeassignDeviceCalled(sys, s.bdf(), null, List.of()));
        } else if (step instanceof Step.Unplug s) {
            HardwareFunction f = hardware().function(s.device());
            Bdf at = hardware().addressOf(f);
            linux.beforeUnplug(f, s.surprise());
            emit(new FunctionUnplugged(sys, s.device(), at, hardware().subtreeIds(s.device())));
        } else if (step instanceof Step.Plug s) {
            emit(new FunctionPlugged(sys, s.parent(), s.function()));
            linux.afterPlug(hardware().function(s.function().id()));
        } else {
            throw new IllegalArgumentException("unknown step " + step);
        }
    }

    /** xen-boot: a fresh Xen scans the hardware as it is now, then gives every pdev to dom0. */
    private void xenBoot() {
        String sys = machine.systemId();
        emit(new XenBooted(sys));
        for (Bdf bdf : Xen.bootScan(hardware())) {
            emit(new PdevAllocatedAtBoot(sys, bdf, null, List.of()));
        }
        emit(new PdevsGivenToDom0AtBoot(sys, null, List.of()));
    }

    @Override
    public String systemId() {
        return machine.systemId();
    }

    @Override
    public Hardware hardware() {
        return machine.hardware();
    }

    @Override
    public Dom0State dom0() {
        return machine.dom0();
    }

    @Override
    public void emit(SegmentEvent event) {
        recorder.emit(event);
    }
}
