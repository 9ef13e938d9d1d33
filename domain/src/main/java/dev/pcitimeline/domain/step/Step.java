package dev.pcitimeline.domain.step;

import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;

/**
 * One step of a boot sequence (SCENARIOS.md, "Steps"): the vocabulary scenario files, REST
 * and the aggregate's commands share. Pure values; {@link #keyword()} is the scenario spelling.
 */
public sealed interface Step {

    String keyword();

    /** Xen starts with empty state, scans the hardware as it is now, gives every pdev to dom0. */
    record XenBoot() implements Step {
        public String keyword() {
            return "xen-boot";
        }
    }

    /** Firmware resets bridges and VF counts to power-on, then {@code xen-boot}. */
    record Reboot() implements Step {
        public String keyword() {
            return "reboot";
        }
    }

    /** dom0 enumerates the hardware, optionally renumbering ({@code pci=assign-busses}). */
    record Dom0Boot(boolean assignBusses, Reporting reporting) implements Step {
        public Dom0Boot {
            reporting = reporting == null ? Reporting.DISCOVERY : reporting;
        }

        public String keyword() {
            return "dom0-boot";
        }
    }

    /** sysfs {@code remove} of the function Linux knows at {@code bdf}. */
    record Dom0Remove(Bdf bdf) implements Step {
        public String keyword() {
            return "dom0-remove";
        }
    }

    /** sysfs {@code rescan} of one bus. */
    record Dom0Rescan(int bus) implements Step {
        public Dom0Rescan {
            dev.pcitimeline.domain.value.BusNumber.check("bus", bus);
        }

        public String keyword() {
            return "dom0-rescan";
        }
    }

    /** Linux's renumbering alone: pass 0 and pass 1 over the whole tree, no reports. */
    record LinuxAssignBusses() implements Step {
        public String keyword() {
            return "linux-assign-busses";
        }
    }

    /** Config write to a bridge's bus registers; a null field keeps its value. */
    record WriteBridgeBuses(String bridge, Integer primary, Integer secondary, Integer subordinate) implements Step {
        public WriteBridgeBuses {
            if (primary != null) {
                dev.pcitimeline.domain.value.BusNumber.check("primary", primary);
            }
            if (secondary != null) {
                dev.pcitimeline.domain.value.BusNumber.check("secondary", secondary);
            }
            if (subordinate != null) {
                dev.pcitimeline.domain.value.BusNumber.check("subordinate", subordinate);
            }
        }

        public String keyword() {
            return "write-bridge-buses";
        }
    }

    /** The PF enables {@code vfs} VFs and dom0 reports each. */
    record EnableSriov(String pf, int vfs) implements Step {
        public String keyword() {
            return "enable-sriov";
        }
    }

    /** dom0 removes each enabled VF from Xen, then the PF disables them. */
    record DisableSriov(String pf) implements Step {
        public String keyword() {
            return "disable-sriov";
        }
    }

    /** {@code PHYSDEVOP_pci_device_add}; {@code virtfnOf} is the PF of a virtual function, or null. */
    record Add(Bdf bdf, Bdf virtfnOf) implements Step {
        public String keyword() {
            return "add";
        }
    }

    /** {@code PHYSDEVOP_pci_device_remove}. */
    record Remove(Bdf bdf) implements Step {
        public String keyword() {
            return "remove";
        }
    }

    /** dom0 reports every function it sees now; with {@code removeFirst}, removes each first. */
    record Dom0ReportAll(boolean removeFirst) implements Step {
        public String keyword() {
            return "dom0-report-all";
        }
    }

    /** {@code XEN_DOMCTL_assign_device} to guest {@code domain}. */
    record Assign(Bdf bdf, DomainId domain) implements Step {
        public String keyword() {
            return "assign";
        }
    }

    /** {@code XEN_DOMCTL_deassign_device}: back to dom0. */
    record Deassign(Bdf bdf) implements Step {
        public String keyword() {
            return "deassign";
        }
    }

    /** The function and everything below it leave the hardware; dom0 is told unless {@code surprise}. */
    record Unplug(String device, boolean surprise) implements Step {
        public String keyword() {
            return "unplug";
        }
    }

    /** A function (with children) appears under {@code parent} ({@code root}: a root bus) and dom0 reports it. */
    record Plug(String parent, FunctionSpec function) implements Step {
        public static final String ROOT = "root";

        public String keyword() {
            return "plug";
        }
    }

    /** dom0's reporting mode: at discovery (Linux 3.10+) or after the whole scan (older kernels). */
    enum Reporting {
        DISCOVERY("discovery"),
        AFTER_SCAN("after-scan");

        private final String text;

        Reporting(String text) {
            this.text = text;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String text() {
            return text;
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Reporting parse(String text) {
            for (Reporting r : values()) {
                if (r.text.equals(text)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown reporting '" + text + "': expected discovery or after-scan");
        }
    }
}
