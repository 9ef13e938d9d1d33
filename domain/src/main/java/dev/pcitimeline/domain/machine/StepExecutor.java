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
final class StepExecutor implements Linux.Dom0Port, Step.Visitor<Void> {
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
        step.accept(this);
    }

    @Override
    public Void xenBoot(Step.XenBoot s) {
        xenBoot();
        return null;
    }

    @Override
    public Void reboot(Step.Reboot s) {
        emit(new FirmwareReset(machine.systemId()));
        xenBoot();
        return null;
    }

    @Override
    public Void dom0Boot(Step.Dom0Boot s) {
        linux.boot(s.assignBusses(), s.reporting());
        return null;
    }

    @Override
    public Void dom0Remove(Step.Dom0Remove s) {
        linux.remove(s.bdf());
        return null;
    }

    @Override
    public Void dom0Rescan(Step.Dom0Rescan s) {
        linux.rescan(s.bus());
        return null;
    }

    @Override
    public Void linuxAssignBusses(Step.LinuxAssignBusses s) {
        linux.assignBusses();
        return null;
    }

    @Override
    public Void writeBridgeBuses(Step.WriteBridgeBuses s) {
        HardwareFunction bridge = hardware().function(s.bridge());
        BridgeBuses now = bridge.buses();
        BridgeBuses next = new BridgeBuses(
                s.primary() == null ? now.primary() : s.primary(),
                s.secondary() == null ? now.secondary() : s.secondary(),
                s.subordinate() == null ? now.subordinate() : s.subordinate());
        emit(new BridgeBusNumbersWritten(machine.systemId(), bridge.id(), hardware().addressOf(bridge), now, next,
                SCENARIO, null, List.of()));
        return null;
    }

    @Override
    public Void enableSriov(Step.EnableSriov s) {
        linux.enableSriov(s.pf(), s.vfs());
        return null;
    }

    @Override
    public Void disableSriov(Step.DisableSriov s) {
        linux.disableSriov(s.pf());
        return null;
    }

    @Override
    public Void add(Step.Add s) {
        emit(new PciDeviceAddCalled(machine.systemId(), s.bdf(), s.virtfnOf(), SCENARIO, null, List.of()));
        return null;
    }

    @Override
    public Void remove(Step.Remove s) {
        emit(new PciDeviceRemoveCalled(machine.systemId(), s.bdf(), SCENARIO, null, List.of()));
        return null;
    }

    @Override
    public Void dom0ReportAll(Step.Dom0ReportAll s) {
        linux.reportAll(s.removeFirst());
        return null;
    }

    @Override
    public Void assign(Step.Assign s) {
        emit(new AssignDeviceCalled(machine.systemId(), s.bdf(), s.domain(), null, List.of()));
        return null;
    }

    @Override
    public Void deassign(Step.Deassign s) {
        emit(new DeassignDeviceCalled(machine.systemId(), s.bdf(), null, List.of()));
        return null;
    }

    @Override
    public Void unplug(Step.Unplug s) {
        HardwareFunction f = hardware().function(s.device());
        Bdf at = hardware().addressOf(f);
        linux.beforeUnplug(f, s.surprise());
        emit(new FunctionUnplugged(machine.systemId(), s.device(), at, hardware().subtreeIds(s.device())));
        return null;
    }

    @Override
    public Void plug(Step.Plug s) {
        emit(new FunctionPlugged(machine.systemId(), s.parent(), s.function()));
        linux.afterPlug(hardware().function(s.function().id()));
        return null;
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
