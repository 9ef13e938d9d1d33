package dev.pcitimeline.domain.machine;

import dev.pcitimeline.domain.step.Step;

/** A step written the way a scenario file writes it, for the timeline and the state's {@code steps}. */
public final class StepText {
    private StepText() {
    }

    public static String of(Step step) {
        if (step instanceof Step.XenBoot || step instanceof Step.Reboot || step instanceof Step.LinuxAssignBusses) {
            return step.keyword();
        } else if (step instanceof Step.Dom0Boot s) {
            return "dom0-boot: {assign-busses: " + s.assignBusses() + ", reporting: " + s.reporting().text() + "}";
        } else if (step instanceof Step.Dom0Remove s) {
            return "dom0-remove: {bdf: \"" + s.bdf() + "\"}";
        } else if (step instanceof Step.Dom0Rescan s) {
            return "dom0-rescan: {bus: " + s.bus() + "}";
        } else if (step instanceof Step.WriteBridgeBuses s) {
            StringBuilder b = new StringBuilder("write-bridge-buses: {bridge: ").append(s.bridge());
            if (s.primary() != null) {
                b.append(", primary: ").append(s.primary());
            }
            if (s.secondary() != null) {
                b.append(", secondary: ").append(s.secondary());
            }
            if (s.subordinate() != null) {
                b.append(", subordinate: ").append(s.subordinate());
            }
            return b.append('}').toString();
        } else if (step instanceof Step.EnableSriov s) {
            return "enable-sriov: {pf: " + s.pf() + ", vfs: " + s.vfs() + "}";
        } else if (step instanceof Step.DisableSriov s) {
            return "disable-sriov: {pf: " + s.pf() + "}";
        } else if (step instanceof Step.Add s) {
            return s.virtfnOf() == null ? "add: \"" + s.bdf() + "\""
                    : "add: {bdf: \"" + s.bdf() + "\", virtfn-of: \"" + s.virtfnOf() + "\"}";
        } else if (step instanceof Step.Remove s) {
            return "remove: \"" + s.bdf() + "\"";
        } else if (step instanceof Step.Dom0ReportAll s) {
            return s.removeFirst() ? "dom0-report-all: {remove-first: true}" : "dom0-report-all";
        } else if (step instanceof Step.Assign s) {
            return "assign: {bdf: \"" + s.bdf() + "\", domain: " + s.domain().value() + "}";
        } else if (step instanceof Step.Deassign s) {
            return "deassign: {bdf: \"" + s.bdf() + "\"}";
        } else if (step instanceof Step.Unplug s) {
            return s.surprise() ? "unplug: {device: " + s.device() + ", surprise: true}" : "unplug: {device: " + s.device() + "}";
        } else if (step instanceof Step.Plug s) {
            return "plug: {parent: " + s.parent() + ", function: {id: " + s.function().id() + ", devfn: \""
                    + s.function().devfn() + "\", kind: " + s.function().kind() + "}}";
        }
        throw new IllegalArgumentException("unknown step " + step);
    }
}
