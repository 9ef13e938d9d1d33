package dev.pcitimeline.domain.machine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.pcitimeline.domain.dom0.Dom0State;
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
import dev.pcitimeline.domain.hardware.ConfigSpace;
import dev.pcitimeline.domain.hardware.Hardware;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.xen.Xen;
import dev.pcitimeline.domain.xen.XenTrace;

/**
 * One simulated PCI segment: hardware, Xen and dom0, and THE fold of its events. The
 * aggregate, the projections, rebuilds, time travel and what-if policies all call
 * {@link #apply}; nothing else changes a machine.
 */
public final class Machine {
    private final String systemId;
    private final String scenario;
    private final Policy policy;
    private final int segment;
    private final Hardware hardware;
    private final Xen xen;
    private final Dom0State dom0;
    /** Events folded so far, SystemCreated included: event numbers are 1-based. */
    private long events;
    /** Steps started so far: the next step's index. */
    private int steps;

    private Machine(String systemId, String scenario, Policy policy, int segment, Hardware hardware, Xen xen,
                    Dom0State dom0, long events, int steps) {
        this.systemId = systemId;
        this.scenario = scenario;
        this.policy = policy;
        this.segment = segment;
        this.hardware = hardware;
        this.xen = xen;
        this.dom0 = dom0;
        this.events = events;
        this.steps = steps;
    }

    /** The machine a SystemCreated event describes, folded under the system's own policy. */
    public static Machine created(SystemCreated e) {
        return created(e, e.policy());
    }

    /** The same machine under another Xen build: what-if folds start here. */
    public static Machine created(SystemCreated e, Policy policy) {
        return new Machine(e.systemId(), e.scenario(), policy, e.segment(),
                Hardware.fromTopology(e.segment(), e.topology()), new Xen(policy, e.segment()), new Dom0State(), 1, 0);
    }

    public Machine copy() {
        return new Machine(systemId, scenario, policy, segment, hardware.copy(), xen.copy(), dom0.copy(), events, steps);
    }

    /**
     * Folds one event (never a SystemCreated: that one makes the machine). Returns the
     * outcome Xen gives it under this machine's policy: {@code ok} for what Xen does not see.
     */
    public Outcome apply(SegmentEvent event, XenTrace trace) {
        events++;
        ConfigSpace cs = hardware;
        if (event instanceof StepStarted) {
            steps++;
            return Outcome.OK;
        } else if (event instanceof PciDeviceAddCalled e) {
            return xen.pciAddDevice(cs, e.bdf(), e.virtfnOf(), trace);
        } else if (event instanceof PciDeviceRemoveCalled e) {
            return xen.pciRemoveDevice(cs, e.bdf(), trace);
        } else if (event instanceof PdevAllocatedAtBoot e) {
            return xen.allocAtBoot(cs, e.bdf(), trace);
        } else if (event instanceof BridgeBusNumbersWritten e) {
            ConfigSpace.Answer before = hardware.answerAt(e.at().bus(), e.at().devfn());
            boolean reachable = before != null && before.id().equals(e.bridge());
            hardware.writeBridgeBuses(e.bridge(), e.after());
            return xen.bridgeBusesWritten(e.at(), reachable, e.before(), e.after(), trace);
        } else if (event instanceof FunctionDiscoveredByDom0 e) {
            dom0.discovered(e.function(), e.at());
        } else if (event instanceof FunctionForgottenByDom0 e) {
            dom0.forgotten(e.function());
        } else if (event instanceof AssignDeviceCalled e) {
            return xen.assignDevice(cs, e.bdf(), e.domain(), trace);
        } else if (event instanceof DeassignDeviceCalled e) {
            return xen.deassignDevice(cs, e.bdf(), trace);
        } else if (event instanceof PdevsGivenToDom0AtBoot) {
            return xen.giveUnownedToDom0(cs, trace);
        } else if (event instanceof XenBooted) {
            xen.reset();
            dom0.restart();
        } else if (event instanceof Dom0Booted e) {
            dom0.booted(e.assignBusses(), e.reporting());
        } else if (event instanceof SriovVfsEnabled e) {
            hardware.enableVfs(e.pf(), e.count());
        } else if (event instanceof SriovVfsDisabled e) {
            hardware.disableVfs(e.pf());
        } else if (event instanceof FunctionUnplugged e) {
            hardware.unplug(e.function());
        } else if (event instanceof FunctionPlugged e) {
            hardware.plug(e.parent(), e.function());
        } else if (event instanceof FirmwareReset) {
            hardware.resetToPowerOn();
        } else if (event instanceof SystemCreated) {
            throw new IllegalStateException("system " + systemId + " already exists: SystemCreated can only come first");
        }
        return Outcome.OK;
    }

    /** Runs one step on a copy of this machine and returns the events it produced, observed fields filled in. */
    public StepRecording record(Step step) {
        Machine scratch = copy();
        EventRecorder recorder = new EventRecorder(scratch);
        StepOutcome outcome = new StepOutcome(step.kind());
        recorder.listen(outcome::add);
        recorder.emit(new StepStarted(systemId, steps, step.keyword(), step.text()));
        new StepExecutor(scratch, recorder).run(step);
        return new StepRecording(steps, outcome.outcome(), recorder.events());
    }

    public String systemId() {
        return systemId;
    }

    public String scenario() {
        return scenario;
    }

    public Policy policy() {
        return policy;
    }

    public int segment() {
        return segment;
    }

    public Hardware hardware() {
        return hardware;
    }

    public Xen xen() {
        return xen;
    }

    public Dom0State dom0() {
        return dom0;
    }

    /** Events folded so far (the state's {@code event}). */
    public long eventCount() {
        return events;
    }

    /** Steps started so far; the last one's index is {@code steps() - 1}. */
    public int stepCount() {
        return steps;
    }

    /**
     * Machines are equal when their snapshots are: the same state, whichever objects hold it.
     * (Axon's fixture compares the aggregate it ran against one sourced from the stored events.)
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Machine m && snapshot().equals(m.snapshot());
    }

    @Override
    public int hashCode() {
        return snapshot().hashCode();
    }

    // ------------------------------------------------------------------ snapshot

    @JsonValue
    public Snapshot snapshot() {
        return new Snapshot(systemId, scenario, policy, segment, hardware.snapshot(), xen.snapshot(), dom0.snapshot(),
                events, steps);
    }

    @JsonCreator
    public static Machine restore(Snapshot s) {
        return new Machine(s.systemId(), s.scenario(), s.policy(), s.segment(), Hardware.restore(s.hardware()),
                Xen.restore(s.policy(), s.segment(), s.xen()), Dom0State.restore(s.dom0()), s.events(), s.steps());
    }

    /** Everything a machine is, as plain values (aggregate snapshots). */
    public record Snapshot(String systemId, String scenario, Policy policy, int segment, Hardware.Snapshot hardware,
                           Xen.Snapshot xen, Dom0State.Snapshot dom0, long events, int steps) {
    }
}
