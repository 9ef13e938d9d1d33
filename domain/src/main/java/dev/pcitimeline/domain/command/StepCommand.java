package dev.pcitimeline.domain.command;

import dev.pcitimeline.domain.step.Step;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Run one step of SCENARIOS.md on a system: one command type per step type, each carrying the
 * step as a typed value. A macro step (xen-boot, dom0-boot, …) is still one command, so all its
 * events are stored atomically or not at all. Handlers answer with a {@link StepResult}.
 */
public sealed interface StepCommand {

    String systemId();

    Step step();

    /** The command for {@code step} on system {@code systemId}. */
    static StepCommand of(String systemId, Step step) {
        if (step instanceof Step.XenBoot s) {
            return new BootXen(systemId, s);
        } else if (step instanceof Step.Reboot s) {
            return new RebootMachine(systemId, s);
        } else if (step instanceof Step.Dom0Boot s) {
            return new BootDom0(systemId, s);
        } else if (step instanceof Step.Dom0Remove s) {
            return new RemoveInDom0(systemId, s);
        } else if (step instanceof Step.Dom0Rescan s) {
            return new RescanInDom0(systemId, s);
        } else if (step instanceof Step.LinuxAssignBusses s) {
            return new RenumberBusesInLinux(systemId, s);
        } else if (step instanceof Step.WriteBridgeBuses s) {
            return new WriteBridgeBuses(systemId, s);
        } else if (step instanceof Step.EnableSriov s) {
            return new EnableSriov(systemId, s);
        } else if (step instanceof Step.DisableSriov s) {
            return new DisableSriov(systemId, s);
        } else if (step instanceof Step.Add s) {
            return new AddPciDevice(systemId, s);
        } else if (step instanceof Step.Remove s) {
            return new RemovePciDevice(systemId, s);
        } else if (step instanceof Step.Dom0ReportAll s) {
            return new ReportAllFromDom0(systemId, s);
        } else if (step instanceof Step.Assign s) {
            return new AssignDevice(systemId, s);
        } else if (step instanceof Step.Deassign s) {
            return new DeassignDevice(systemId, s);
        } else if (step instanceof Step.Unplug s) {
            return new UnplugFunction(systemId, s);
        } else if (step instanceof Step.Plug s) {
            return new PlugFunction(systemId, s);
        }
        throw new IllegalArgumentException("unknown step " + step);
    }

    record BootXen(@TargetAggregateIdentifier String systemId, Step.XenBoot step) implements StepCommand {
    }

    record RebootMachine(@TargetAggregateIdentifier String systemId, Step.Reboot step) implements StepCommand {
    }

    record BootDom0(@TargetAggregateIdentifier String systemId, Step.Dom0Boot step) implements StepCommand {
    }

    record RemoveInDom0(@TargetAggregateIdentifier String systemId, Step.Dom0Remove step) implements StepCommand {
    }

    record RescanInDom0(@TargetAggregateIdentifier String systemId, Step.Dom0Rescan step) implements StepCommand {
    }

    record RenumberBusesInLinux(@TargetAggregateIdentifier String systemId, Step.LinuxAssignBusses step)
            implements StepCommand {
    }

    record WriteBridgeBuses(@TargetAggregateIdentifier String systemId, Step.WriteBridgeBuses step)
            implements StepCommand {
    }

    record EnableSriov(@TargetAggregateIdentifier String systemId, Step.EnableSriov step) implements StepCommand {
    }

    record DisableSriov(@TargetAggregateIdentifier String systemId, Step.DisableSriov step) implements StepCommand {
    }

    record AddPciDevice(@TargetAggregateIdentifier String systemId, Step.Add step) implements StepCommand {
    }

    record RemovePciDevice(@TargetAggregateIdentifier String systemId, Step.Remove step) implements StepCommand {
    }

    record ReportAllFromDom0(@TargetAggregateIdentifier String systemId, Step.Dom0ReportAll step)
            implements StepCommand {
    }

    record AssignDevice(@TargetAggregateIdentifier String systemId, Step.Assign step) implements StepCommand {
    }

    record DeassignDevice(@TargetAggregateIdentifier String systemId, Step.Deassign step) implements StepCommand {
    }

    record UnplugFunction(@TargetAggregateIdentifier String systemId, Step.Unplug step) implements StepCommand {
    }

    record PlugFunction(@TargetAggregateIdentifier String systemId, Step.Plug step) implements StepCommand {
    }
}
