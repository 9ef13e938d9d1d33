package dev.pcitimeline.domain.dom0;

import dev.pcitimeline.domain.event.ConfigRead;
import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.BridgeBusNumbersWritten;
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
import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.machine.StepRecording;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.xen.Bus2BridgeEntry;
import dev.pcitimeline.domain.xen.XenTrace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.pcitimeline.domain.hardware.FunctionSpec.bridge;
import static dev.pcitimeline.domain.hardware.FunctionSpec.endpoint;
import static dev.pcitimeline.domain.value.DeviceKind.DOWNSTREAM_PORT;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_TO_PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.ROOT_PORT;
import static dev.pcitimeline.domain.value.DeviceKind.UPSTREAM_PORT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * dom0's kernel, XEN-MODEL.md §3: one test per rule, driven through {@link Machine#record} and
 * {@link Machine#apply} as the aggregate does. Events are summarised as short lines
 * ({@code found id BB:DD.F}, {@code add BB:DD.F}, {@code write bridge at before->after}, …) and
 * every expected line is worked out by hand from the spec.
 */
class LinuxTest {

    // ------------------------------------------------------------------ machines and helpers

    /** rp3 00:1c.0 [0,5,7] > tundra 05:00.0 [5,6,7] > pcibr 06:01.0 [6,7,7] > nic-old 07:00.0; igb0 00:02.0 PF (7, 384, 2). */
    static List<FunctionSpec> seed() {
        return List.of(
                bridge("rp3", "1c.0", ROOT_PORT, 0, 5, 7,
                        bridge("tundra", "00.0", PCIE_TO_PCI_BRIDGE, 5, 6, 7,
                                bridge("pcibr", "01.0", PCI_BRIDGE, 6, 7, 7,
                                        endpoint("nic-old", "00.0", PCI_ENDPOINT)))),
                endpoint("igb0", "02.0", PCIE_ENDPOINT).withSriov(new SriovSpec(7, 384, 2, 0)));
    }

    static Machine machine(List<FunctionSpec> topology) {
        return machine(Policy.XEN_4_4, topology);
    }

    static Machine machine(Policy policy, List<FunctionSpec> topology) {
        return Machine.created(new SystemCreated("s", "linux", null, policy, 0, topology));
    }

    /** Records one step, folds its events into {@code m} and returns them without the StepStarted marker. */
    static List<SegmentEvent> run(Machine m, Step step) {
        StepRecording r = m.record(step);
        for (SegmentEvent e : r.events()) {
            m.apply(e, XenTrace.NONE);
        }
        assertThat(r.events().get(0)).isInstanceOf(StepStarted.class);
        return r.events().subList(1, r.events().size());
    }

    static List<String> lines(Machine m, Step step) {
        return lines(run(m, step));
    }

    static List<String> lines(List<SegmentEvent> events) {
        List<String> out = new ArrayList<>();
        for (SegmentEvent e : events) {
            out.add(line(e));
        }
        return out;
    }

    static String line(SegmentEvent event) {
        if (event instanceof FunctionDiscoveredByDom0 e) {
            return "found " + e.function() + " " + e.at().shortText();
        } else if (event instanceof FunctionForgottenByDom0 e) {
            return "forget " + e.function() + " " + e.at().shortText();
        } else if (event instanceof PciDeviceAddCalled e) {
            return "add " + e.bdf().shortText() + (e.virtfnOf() == null ? "" : " vf-of " + e.virtfnOf().shortText());
        } else if (event instanceof PciDeviceRemoveCalled e) {
            return "remove " + e.bdf().shortText();
        } else if (event instanceof BridgeBusNumbersWritten e) {
            return "write " + e.bridge() + " " + e.at().shortText() + " " + e.before() + "->" + e.after();
        } else if (event instanceof SriovVfsEnabled e) {
            return "vfs-on " + e.pf() + " " + e.at().shortText() + " " + e.count();
        } else if (event instanceof SriovVfsDisabled e) {
            return "vfs-off " + e.pf() + " " + e.at().shortText() + " " + e.count();
        } else if (event instanceof FunctionUnplugged e) {
            return "unplugged " + e.function() + " " + e.at().shortText() + " " + e.removed();
        } else if (event instanceof FunctionPlugged e) {
            return "plugged " + e.function().id() + " under " + e.parent();
        } else if (event instanceof Dom0Booted e) {
            return "dom0-booted" + (e.assignBusses() ? " assign-busses" : "") + " " + e.reporting().text();
        } else if (event instanceof XenBooted) {
            return "xen-booted";
        } else if (event instanceof PdevAllocatedAtBoot e) {
            return "alloc " + e.bdf().shortText();
        } else if (event instanceof PdevsGivenToDom0AtBoot) {
            return "give-to-dom0";
        } else if (event instanceof FirmwareReset) {
            return "firmware-reset";
        }
        return event.getClass().getSimpleName();
    }

    static List<String> only(List<String> lines, String... prefixes) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            for (String p : prefixes) {
                if (l.startsWith(p)) {
                    out.add(l);
                    break;
                }
            }
        }
        return out;
    }

    static Bdf bdf(String shortText) {
        return Bdf.parse("0000:" + shortText);
    }

    static ConfigRead read(String at, String register, int value, String answeredBy) {
        return new ConfigRead(bdf(at), register, value, answeredBy);
    }

    static PciDeviceAddCalled addAt(List<SegmentEvent> events, String at) {
        for (SegmentEvent e : events) {
            if (e instanceof PciDeviceAddCalled a && a.bdf().equals(bdf(at))) {
                return a;
            }
        }
        throw new AssertionError("no add at " + at);
    }

    static String entry(Machine m, int bus) {
        Bus2BridgeEntry e = m.xen().bus2bridge(bus);
        return e.map() ? Bdf.of(0, e.bus(), e.devfn()).shortText() : "unmapped";
    }

    static BridgeBuses buses(Machine m, String id) {
        return m.hardware().function(id).buses();
    }

    static final Step DOM0_BOOT = new Step.Dom0Boot(false, Step.Reporting.DISCOVERY);

    // ------------------------------------------------------------------ enumeration

    @Test
    void enumeration_takes_slots_in_devfn_order_and_functions_1_to_7_only_behind_a_multi_function_function_0() {
        // device 1: d0; device 3: a0 has the multi-function bit (a1, a5 share its slot) -> a1, a5;
        // device 4: b; device 5 has no function 0, so c1 at 05.1 is never found.
        Machine m = machine(List.of(
                endpoint("a5", "03.5", PCIE_ENDPOINT), endpoint("b", "04.0", PCIE_ENDPOINT),
                endpoint("c1", "05.1", PCIE_ENDPOINT), endpoint("a0", "03.0", PCIE_ENDPOINT),
                endpoint("a1", "03.1", PCIE_ENDPOINT), endpoint("d0", "01.0", PCI_ENDPOINT)));

        assertThat(lines(m, DOM0_BOOT)).containsExactly(
                "dom0-booted discovery",
                "found d0 00:01.0", "add 00:01.0",
                "found a0 00:03.0", "add 00:03.0",
                "found a1 00:03.1", "add 00:03.1",
                "found a5 00:03.5", "add 00:03.5",
                "found b 00:04.0", "add 00:04.0");
        assertThat(m.dom0().known()).doesNotContainKey("c1");
    }

    @Test
    void virtual_functions_are_never_found_by_a_scan() {
        // pf 00:02.0 (RID 0x10) powers on with 2 VFs at 0x10 + 8 + i = 0x18, 0x19: 00:03.0, 00:03.1.
        // Linux has not booted, so nothing turned them off; a rescan of bus 0 passes over slot 3.
        Machine m = machine(List.of(
                endpoint("pf", "02.0", PCIE_ENDPOINT).withSriov(new SriovSpec(2, 8, 1, 2)),
                endpoint("e", "04.0", PCIE_ENDPOINT)));
        assertThat(m.hardware().answerAt(0, 0x18).id()).as("the VF answers at 00:03.0").isEqualTo("pf.vf0");

        assertThat(lines(m, new Step.Dom0Rescan(0))).containsExactly(
                "found pf 00:02.0", "add 00:02.0",
                "found e 00:04.0", "add 00:04.0");
    }

    @Test
    void at_discovery_each_function_is_reported_at_once_with_its_bridge_registers_as_firmware_left_them() {
        // assign-busses on the seed; bus 0: igb0's last VF 0x10 + 384 + 2*6 = 0x19c is on bus 1, so
        // rp3 gets secondary 2. tundra is reported at 02:00.0 before its own pass 0: Xen reads 6..7.
        Machine m = machine(seed());
        List<SegmentEvent> events = run(m, new Step.Dom0Boot(true, Step.Reporting.DISCOVERY));

        assertThat(lines(events)).containsExactly(
                "dom0-booted assign-busses discovery",
                "found igb0 00:02.0", "add 00:02.0",
                "found rp3 00:1c.0", "add 00:1c.0",
                "write rp3 00:1c.0 00/05/07->00/00/00",
                "write rp3 00:1c.0 00/00/00->00/02/ff",
                "found tundra 02:00.0", "add 02:00.0",
                "write tundra 02:00.0 05/06/07->00/00/00",
                "write tundra 02:00.0 00/00/00->02/03/ff",
                "found pcibr 03:01.0", "add 03:01.0",
                "write pcibr 03:01.0 06/07/07->00/00/00",
                "write pcibr 03:01.0 00/00/00->03/04/ff",
                "found nic-old 04:00.0", "add 04:00.0",
                "write pcibr 03:01.0 03/04/ff->03/04/04",
                "write tundra 02:00.0 02/03/ff->02/03/04",
                "write rp3 00:1c.0 00/02/ff->00/02/04");
        assertThat(addAt(events, "02:00.0").reads()).containsExactly(
                read("02:00.0", "class", 0x0604, "tundra"),
                read("02:00.0", "secondary", 6, "tundra"),
                read("02:00.0", "subordinate", 7, "tundra"));
        // so Xen's table names the buses firmware gave, not the ones Linux assigned
        assertThat(entry(m, 6)).isEqualTo("02:00.0");
        assertThat(entry(m, 7)).isEqualTo("03:01.0");
        assertThat(entry(m, 3)).isEqualTo("unmapped");
    }

    @Test
    void after_scan_reporting_comes_once_the_scan_is_done_at_final_addresses_with_final_registers() {
        // same renumbering as at discovery, but the adds wait: tundra is reported at 02:00.0 with
        // 2/3/4 in it, so Xen fills 3..4 -> 02:00.0, and pcibr (3/4/4) fills 4 -> 03:01.0.
        Machine m = machine(seed());
        List<SegmentEvent> events = run(m, new Step.Dom0Boot(true, Step.Reporting.AFTER_SCAN));

        assertThat(lines(events)).containsExactly(
                "dom0-booted assign-busses after-scan",
                "found igb0 00:02.0",
                "found rp3 00:1c.0",
                "write rp3 00:1c.0 00/05/07->00/00/00",
                "write rp3 00:1c.0 00/00/00->00/02/ff",
                "found tundra 02:00.0",
                "write tundra 02:00.0 05/06/07->00/00/00",
                "write tundra 02:00.0 00/00/00->02/03/ff",
                "found pcibr 03:01.0",
                "write pcibr 03:01.0 06/07/07->00/00/00",
                "write pcibr 03:01.0 00/00/00->03/04/ff",
                "found nic-old 04:00.0",
                "write pcibr 03:01.0 03/04/ff->03/04/04",
                "write tundra 02:00.0 02/03/ff->02/03/04",
                "write rp3 00:1c.0 00/02/ff->00/02/04",
                "add 00:02.0", "add 00:1c.0", "add 02:00.0", "add 03:01.0", "add 04:00.0");
        assertThat(addAt(events, "02:00.0").reads()).containsExactly(
                read("02:00.0", "class", 0x0604, "tundra"),
                read("02:00.0", "secondary", 3, "tundra"),
                read("02:00.0", "subordinate", 4, "tundra"));
        assertThat(entry(m, 3)).isEqualTo("02:00.0");
        assertThat(entry(m, 4)).isEqualTo("03:01.0");
        assertThat(entry(m, 6)).isEqualTo("unmapped");
    }

    @Test
    void after_scan_order_is_the_functions_of_a_bus_then_each_bridges_subtree_in_devfn_order() {
        // A 00:01.0 [0,1,3] > a0 01:00.0 [1,2,2] > x 02:00.0, and a1 01:01.0; B 00:02.0 [0,4,4] > b0 04:00.0.
        // Bus 0: A, B; A's subtree: bus 1 (a0, a1) then a0's subtree (x); then B's subtree (b0).
        Machine m = machine(List.of(
                bridge("a", "01.0", ROOT_PORT, 0, 1, 3,
                        bridge("a0", "00.0", PCIE_TO_PCI_BRIDGE, 1, 2, 2, endpoint("x", "00.0", PCI_ENDPOINT)),
                        endpoint("a1", "01.0", PCIE_ENDPOINT)),
                bridge("b", "02.0", ROOT_PORT, 0, 4, 4, endpoint("b0", "00.0", PCIE_ENDPOINT))));

        assertThat(lines(m, new Step.Dom0Boot(false, Step.Reporting.AFTER_SCAN))).containsExactly(
                "dom0-booted after-scan",
                "found a 00:01.0", "found b 00:02.0", "found a0 01:00.0", "found a1 01:01.0", "found x 02:00.0",
                "found b0 04:00.0",
                "add 00:01.0", "add 00:02.0", "add 01:00.0", "add 01:01.0", "add 02:00.0", "add 04:00.0");
    }

    @Test
    void without_assign_busses_a_bridges_bus_is_scanned_only_when_its_secondary_is_above_b_and_not_scanned_yet() {
        // P 00:01.0 [0,3,3] > p0 03:00.0, p1 03:01.0 [3,2,2] > hidden 02:00.0 (secondary 2 < 3);
        // Q 00:02.0 [0,3,3] > q0 03:05.0 (bus 3 scanned already, and P decodes it first anyway);
        // R 00:03.0 [0,0,0] > r0 (secondary 0 is not above bus 0). Registers are never written.
        Machine m = machine(List.of(
                bridge("p", "01.0", ROOT_PORT, 0, 3, 3,
                        endpoint("p0", "00.0", PCIE_ENDPOINT),
                        bridge("p1", "01.0", PCI_BRIDGE, 3, 2, 2, endpoint("hidden", "00.0", PCI_ENDPOINT))),
                bridge("q", "02.0", ROOT_PORT, 0, 3, 3, endpoint("q0", "05.0", PCIE_ENDPOINT)),
                bridge("r", "03.0", ROOT_PORT, 0, 0, 0, endpoint("r0", "00.0", PCIE_ENDPOINT))));

        assertThat(lines(m, DOM0_BOOT)).containsExactly(
                "dom0-booted discovery",
                "found p 00:01.0", "add 00:01.0",
                "found q 00:02.0", "add 00:02.0",
                "found r 00:03.0", "add 00:03.0",
                "found p0 03:00.0", "add 03:00.0",
                "found p1 03:01.0", "add 03:01.0");
        assertThat(m.dom0().known()).doesNotContainKeys("hidden", "q0", "r0");
        assertThat(buses(m, "r")).isEqualTo(BridgeBuses.ZERO);
    }

    @Test
    void assign_busses_reserves_the_buses_of_sr_iov_vfs_then_pass_0_then_pass_1_with_a_temporary_ff() {
        // pf 00:00.0 (total 4, offset 0x200, stride 1): last VF 0 + 0x200 + 3 = 0x203 -> bus 2, max = 2.
        // Pass 0 zeroes A and B; pass 1: A 0/3/ff, scan(3) -> a0, A 0/3/3; B 0/4/ff, scan(4) -> b0,
        // which in its own scan(4) gets 4/5/ff, scan(5) -> e, 4/5/5; B closes at 5.
        Machine m = machine(List.of(
                endpoint("pf", "00.0", PCIE_ENDPOINT).withSriov(new SriovSpec(4, 0x200, 1, 0)),
                bridge("a", "01.0", ROOT_PORT, 0, 9, 9, endpoint("a0", "00.0", PCIE_ENDPOINT)),
                bridge("b", "02.0", ROOT_PORT, 0, 5, 5,
                        bridge("b0", "00.0", PCI_BRIDGE, 5, 6, 6, endpoint("e", "00.0", PCI_ENDPOINT)))));

        assertThat(only(lines(m, new Step.Dom0Boot(true, Step.Reporting.DISCOVERY)), "found", "write")).containsExactly(
                "found pf 00:00.0", "found a 00:01.0", "found b 00:02.0",
                "write a 00:01.0 00/09/09->00/00/00",
                "write b 00:02.0 00/05/05->00/00/00",
                "write a 00:01.0 00/00/00->00/03/ff",
                "found a0 03:00.0",
                "write a 00:01.0 00/03/ff->00/03/03",
                "write b 00:02.0 00/00/00->00/04/ff",
                "found b0 04:00.0",
                "write b0 04:00.0 05/06/06->00/00/00",
                "write b0 04:00.0 00/00/00->04/05/ff",
                "found e 05:00.0",
                "write b0 04:00.0 04/05/ff->04/05/05",
                "write b 00:02.0 00/04/ff->00/04/05");
        assertThat(buses(m, "a")).isEqualTo(new BridgeBuses(0, 3, 3));
        assertThat(buses(m, "b")).isEqualTo(new BridgeBuses(0, 4, 5));
        assertThat(buses(m, "b0")).isEqualTo(new BridgeBuses(4, 5, 5));
    }

    @Test
    void assign_busses_caps_an_sr_iov_reservation_beyond_bus_ff_at_ff() {
        // Root bus f0: rp f0:01.0 gets f0/f1/ff; on bus f1 the PF's last VF is f1 + ((0 + 0x2000 + 6) >> 8)
        // = f1 + 0x20 = 0x111, past the 8-bit bus numbers: max is ff, which is what rp's subordinate closes at.
        // (It used to throw "subordinate 273 is out of range" out of the model.)
        Machine high = machine(List.of(bridge("rp", "01.0", ROOT_PORT, 0xf0, 0xf1, 0xf1,
                endpoint("pf", "00.0", PCIE_ENDPOINT).withSriov(new SriovSpec(7, 0x2000, 1, 0))).onRootBus(0xf0)));
        assertThat(lines(high, new Step.LinuxAssignBusses())).containsExactly(
                "write rp f0:01.0 f0/f1/f1->00/00/00",
                "write rp f0:01.0 00/00/00->f0/f1/ff",
                "write rp f0:01.0 f0/f1/ff->f0/f1/ff");

        // stride ffff * (total ffff - 1) = 4294770690 does not fit an int: the reservation is still
        // past ff, so no bus is left for the bridge after the PF and Linux leaves it closed.
        Machine huge = machine(List.of(
                endpoint("pf", "00.0", PCIE_ENDPOINT).withSriov(new SriovSpec(0xffff, 0, 0xffff, 0)),
                bridge("rp", "01.0", ROOT_PORT, 0, 1, 1)));
        assertThat(lines(huge, new Step.LinuxAssignBusses())).containsExactly("write rp 00:01.0 00/01/01->00/00/00");
    }

    @Test
    void dom0_boot_turns_enabled_vfs_off_without_telling_xen() {
        // pf 00:02.0 (RID 0x10) powers on with 2 VFs at 0x110, 0x111 (01:02.0, 01:02.1); Xen's boot
        // scan finds 01:02.0 (a VF has no multi-function bit, so 01:02.1 is not looked at).
        Machine m = machine(List.of(endpoint("pf", "02.0", PCIE_ENDPOINT).withSriov(new SriovSpec(2, 0x100, 1, 2))));
        run(m, new Step.XenBoot());
        assertThat(m.xen().pdev(1, 0x10)).isNotNull();

        assertThat(lines(m, DOM0_BOOT)).containsExactly(
                "dom0-booted discovery",
                "vfs-off pf 00:02.0 2",
                "found pf 00:02.0", "add 00:02.0");
        assertThat(m.hardware().function("pf").vfsEnabled()).isZero();
        assertThat(m.xen().pdev(1, 0x10)).as("Xen was not told: its VF pdev stays").isNotNull();
    }

    // ------------------------------------------------------------------ removal and rescan

    @Test
    void dom0_remove_takes_children_first_and_a_pfs_vfs_just_before_the_pf() {
        // R 00:01.0 [0,1,2] > p 01:00.0 (PF: VFs at 0x100 + 0x80 + i: 01:10.0, 01:10.1),
        //                     s 01:01.0 [1,2,2] > e 02:00.0, q 01:02.0.
        Machine m = machine(List.of(bridge("r", "01.0", ROOT_PORT, 0, 1, 2,
                endpoint("p", "00.0", PCIE_ENDPOINT).withSriov(new SriovSpec(2, 0x80, 1, 0)),
                bridge("s", "01.0", PCI_BRIDGE, 1, 2, 2, endpoint("e", "00.0", PCI_ENDPOINT)),
                endpoint("q", "02.0", PCIE_ENDPOINT))));
        run(m, DOM0_BOOT);
        run(m, new Step.EnableSriov("p", 2));

        assertThat(lines(m, new Step.Dom0Remove(bdf("00:01.0")))).containsExactly(
                "remove 01:10.0", "forget p.vf0 01:10.0",
                "remove 01:10.1", "forget p.vf1 01:10.1",
                "vfs-off p 01:00.0 2",
                "remove 01:00.0", "forget p 01:00.0",
                "remove 02:00.0", "forget e 02:00.0",
                "remove 01:01.0", "forget s 01:01.0",
                "remove 01:02.0", "forget q 01:02.0",
                "remove 00:01.0", "forget r 00:01.0");
        assertThat(m.dom0().known()).isEmpty();
        assertThat(m.hardware().contains("e")).as("the hardware stays").isTrue();
        assertThat(buses(m, "s")).as("registers are not touched").isEqualTo(new BridgeBuses(1, 2, 2));
    }

    @Test
    void dom0_remove_of_an_address_linux_does_not_know_does_nothing() {
        Machine m = machine(seed());
        assertThat(lines(m, new Step.Dom0Remove(bdf("05:00.0")))).as("Linux has not enumerated yet").isEmpty();
        run(m, DOM0_BOOT);
        assertThat(lines(m, new Step.Dom0Remove(bdf("09:00.0")))).as("nothing there").isEmpty();
        assertThat(m.dom0().known()).hasSize(5);
    }

    @Test
    void dom0_rescan_reports_only_the_functions_linux_does_not_know() {
        Machine m = machine(seed());
        run(m, DOM0_BOOT);
        run(m, new Step.Dom0Remove(bdf("06:01.0")));

        // bus 0 again: igb0, rp3, tundra are known; pcibr and nic-old are not
        assertThat(lines(m, new Step.Dom0Rescan(0))).containsExactly(
                "found pcibr 06:01.0", "add 06:01.0",
                "found nic-old 07:00.0", "add 07:00.0");
    }

    @Test
    void dom0_rescan_renumbers_the_subtree_when_dom0_booted_with_assign_busses() {
        // after the assign-busses boot: rp3 0/2/4, tundra 2/3/4, pcibr 03:01.0 3/4/4. Moving pcibr to 7..7
        // hides nic-old (tundra forwards 3..4). sysfs remove of pcibr reports nic-old at its current 07:00.0.
        // The rescan of bus 3 finds pcibr again and renumbers it: 3/4/ff, scan(4) finds nic-old, 3/4/4.
        Machine m = machine(seed());
        run(m, new Step.Dom0Boot(true, Step.Reporting.DISCOVERY));
        run(m, new Step.WriteBridgeBuses("pcibr", null, 7, 7));
        assertThat(lines(m, new Step.Dom0Remove(bdf("03:01.0")))).containsExactly(
                "remove 07:00.0", "forget nic-old 07:00.0", "remove 03:01.0", "forget pcibr 03:01.0");

        assertThat(lines(m, new Step.Dom0Rescan(3))).containsExactly(
                "found pcibr 03:01.0", "add 03:01.0",
                "write pcibr 03:01.0 03/07/07->00/00/00",
                "write pcibr 03:01.0 00/00/00->03/04/ff",
                "found nic-old 04:00.0", "add 04:00.0",
                "write pcibr 03:01.0 03/04/ff->03/04/04");
    }

    @Test
    void linux_assign_busses_renumbers_without_reports_and_leaves_linuxs_list_alone() {
        Machine m = machine(seed());
        run(m, DOM0_BOOT);
        Map<String, Bdf> before = new LinkedHashMap<>(m.dom0().known());

        assertThat(lines(m, new Step.LinuxAssignBusses())).containsExactly(
                "write rp3 00:1c.0 00/05/07->00/00/00",
                "write rp3 00:1c.0 00/00/00->00/02/ff",
                "write tundra 02:00.0 05/06/07->00/00/00",
                "write tundra 02:00.0 00/00/00->02/03/ff",
                "write pcibr 03:01.0 06/07/07->00/00/00",
                "write pcibr 03:01.0 00/00/00->03/04/ff",
                "write pcibr 03:01.0 03/04/ff->03/04/04",
                "write tundra 02:00.0 02/03/ff->02/03/04",
                "write rp3 00:1c.0 00/02/ff->00/02/04");
        assertThat(m.dom0().known()).containsExactlyEntriesOf(before);
    }

    // ------------------------------------------------------------------ SR-IOV

    @Test
    void enable_sriov_reports_each_vf_in_vf_order_with_virtfn_of_and_is_refused_while_vfs_are_on() {
        // igb0 RID 0x010: VF i at 0x010 + 384 + 2i = 0x190, 0x192, 0x194 -> 01:12.0, 01:12.2, 01:12.4
        Machine m = machine(seed());
        assertThat(lines(m, new Step.EnableSriov("igb0", 3))).containsExactly(
                "vfs-on igb0 00:02.0 3",
                "found igb0.vf0 01:12.0", "add 01:12.0 vf-of 00:02.0",
                "found igb0.vf1 01:12.2", "add 01:12.2 vf-of 00:02.0",
                "found igb0.vf2 01:12.4", "add 01:12.4 vf-of 00:02.0");

        assertThat(lines(m, new Step.EnableSriov("igb0", 2))).as("Linux refuses").isEmpty();
        assertThat(m.hardware().function("igb0").vfsEnabled()).isEqualTo(3);
    }

    @Test
    void disable_sriov_reports_each_vfs_removal_before_the_pf_turns_them_off() {
        Machine m = machine(seed());
        run(m, new Step.EnableSriov("igb0", 2));

        assertThat(lines(m, new Step.DisableSriov("igb0"))).containsExactly(
                "remove 01:12.0", "forget igb0.vf0 01:12.0",
                "remove 01:12.2", "forget igb0.vf1 01:12.2",
                "vfs-off igb0 00:02.0 2");
        assertThat(m.hardware().function("igb0").vfsEnabled()).isZero();
    }

    // ------------------------------------------------------------------ report-all

    @Test
    void dom0_report_all_goes_bus_by_bus_then_subtrees_then_vfs_last_and_remove_first_removes_each_before_adding() {
        // bus 0: p 01.0 (PF, 2 VFs on at power-on: 0x08 + 0x100 + i -> 01:01.0, 01:01.1), B 02.0, z 03.0, C 04.0;
        // B [0,2,3] > b0 02:00.0 [2,3,3] > x 03:00.0, and e 02:01.0; C [0,4,4] > c0 04:00.0.
        // Order: p, B, z, C, then B's subtree (b0, e, then b0's: x), then C's (c0), then p's VFs.
        Machine m = machine(List.of(
                endpoint("p", "01.0", PCIE_ENDPOINT).withSriov(new SriovSpec(2, 0x100, 1, 2)),
                bridge("bb", "02.0", ROOT_PORT, 0, 2, 3,
                        bridge("b0", "00.0", PCI_BRIDGE, 2, 3, 3, endpoint("x", "00.0", PCI_ENDPOINT)),
                        endpoint("e", "01.0", PCI_ENDPOINT)),
                endpoint("z", "03.0", PCIE_ENDPOINT),
                bridge("cc", "04.0", ROOT_PORT, 0, 4, 4, endpoint("c0", "00.0", PCIE_ENDPOINT))));

        assertThat(lines(m, new Step.Dom0ReportAll(true))).containsExactly(
                "remove 00:01.0", "found p 00:01.0", "add 00:01.0",
                "remove 00:02.0", "found bb 00:02.0", "add 00:02.0",
                "remove 00:03.0", "found z 00:03.0", "add 00:03.0",
                "remove 00:04.0", "found cc 00:04.0", "add 00:04.0",
                "remove 02:00.0", "found b0 02:00.0", "add 02:00.0",
                "remove 02:01.0", "found e 02:01.0", "add 02:01.0",
                "remove 03:00.0", "found x 03:00.0", "add 03:00.0",
                "remove 04:00.0", "found c0 04:00.0", "add 04:00.0",
                "remove 01:01.0", "found p.vf0 01:01.0", "add 01:01.0 vf-of 00:01.0",
                "remove 01:01.1", "found p.vf1 01:01.1", "add 01:01.1 vf-of 00:01.0");
        assertThat(m.dom0().known()).hasSize(10);
    }

    // ------------------------------------------------------------------ restarts and hot plug

    @Test
    void xen_boot_and_reboot_restart_dom0_with_an_empty_list() {
        Machine m = machine(seed());
        run(m, DOM0_BOOT);
        assertThat(m.dom0().known()).hasSize(5);

        assertThat(only(lines(m, new Step.XenBoot()), "found", "forget", "remove")).as("Linux says nothing").isEmpty();
        assertThat(m.dom0().known()).isEmpty();
        assertThat(m.dom0().isBooted()).isFalse();
        // the list really is empty: a rescan finds every function again
        assertThat(only(lines(m, new Step.Dom0Rescan(0)), "found")).containsExactly(
                "found igb0 00:02.0", "found rp3 00:1c.0", "found tundra 05:00.0", "found pcibr 06:01.0",
                "found nic-old 07:00.0");

        run(m, new Step.Reboot());
        assertThat(m.dom0().known()).isEmpty();
    }

    @Test
    void unplug_is_a_dom0_remove_of_the_function_when_linux_knows_it_then_the_subtree_leaves_the_hardware() {
        Machine unknown = machine(seed());
        assertThat(lines(unknown, new Step.Unplug("tundra", false))).as("Linux does not know tundra: Xen is not told")
                .containsExactly("unplugged tundra 05:00.0 [tundra, pcibr, nic-old]");

        Machine m = machine(seed());
        run(m, DOM0_BOOT);
        assertThat(lines(m, new Step.Unplug("tundra", false))).containsExactly(
                "remove 07:00.0", "forget nic-old 07:00.0",
                "remove 06:01.0", "forget pcibr 06:01.0",
                "remove 05:00.0", "forget tundra 05:00.0",
                "unplugged tundra 05:00.0 [tundra, pcibr, nic-old]");
        assertThat(m.hardware().contains("pcibr")).isFalse();
        assertThat(m.dom0().known()).containsOnlyKeys("igb0", "rp3");
    }

    @Test
    void surprise_unplug_tells_xen_nothing_and_the_functions_leave_linuxs_list_and_the_hardware() {
        Machine m = machine(seed());
        run(m, DOM0_BOOT);
        run(m, new Step.EnableSriov("igb0", 2));

        assertThat(lines(m, new Step.Unplug("igb0", true))).containsExactly(
                "forget igb0.vf0 01:12.0", "forget igb0.vf1 01:12.2", "forget igb0 00:02.0",
                "unplugged igb0 00:02.0 [igb0]");
        assertThat(m.dom0().known()).containsOnlyKeys("rp3", "tundra", "pcibr", "nic-old");
        assertThat(m.hardware().contains("igb0")).isFalse();
        assertThat(m.hardware().answerAt(1, 0x90)).as("its VFs are gone with it").isNull();
    }

    @Test
    void plug_reports_the_function_then_each_bridges_subtree_at_discovery_without_renumbering() {
        // R 00:01.0 [0,1,9] is empty; sw 01:00.0 [1,2,4] arrives with d1 02:01.0 [2,3,3] > e1,
        // d2 02:02.0 [2,4,4] > e2 and x 02:03.0: sw, then bus 2 (d1, d2, x), then d1's bus 3, d2's bus 4.
        Machine m = machine(List.of(bridge("r", "01.0", ROOT_PORT, 0, 1, 9)));
        run(m, DOM0_BOOT);
        FunctionSpec sw = bridge("sw", "00.0", UPSTREAM_PORT, 1, 2, 4,
                bridge("d1", "01.0", DOWNSTREAM_PORT, 2, 3, 3, endpoint("e1", "00.0", PCIE_ENDPOINT)),
                bridge("d2", "02.0", DOWNSTREAM_PORT, 2, 4, 4, endpoint("e2", "00.0", PCIE_ENDPOINT)),
                endpoint("x", "03.0", PCIE_ENDPOINT));

        assertThat(lines(m, new Step.Plug("r", sw))).containsExactly(
                "plugged sw under r",
                "found sw 01:00.0", "add 01:00.0",
                "found d1 02:01.0", "add 02:01.0",
                "found d2 02:02.0", "add 02:02.0",
                "found x 02:03.0", "add 02:03.0",
                "found e1 03:00.0", "add 03:00.0",
                "found e2 04:00.0", "add 04:00.0");
        assertThat(buses(m, "sw")).isEqualTo(new BridgeBuses(1, 2, 4));
        assertThat(buses(m, "r")).isEqualTo(new BridgeBuses(0, 1, 9));
    }

    // ------------------------------------------------------------------ rules clarified 2026-12 (issue #11 §1)

    @Test
    void dom0_remove_at_a_known_vfs_address_removes_that_vf_alone_and_sriov_stays_on() {
        // igb0 RID 0x010: VFs at 0x190 + 2i -> 01:12.0, 01:12.2 (both reported by enable-sriov)
        Machine m = machine(seed());
        run(m, DOM0_BOOT);
        run(m, new Step.EnableSriov("igb0", 2));

        assertThat(lines(m, new Step.Dom0Remove(bdf("01:12.0")))).containsExactly(
                "remove 01:12.0", "forget igb0.vf0 01:12.0");
        assertThat(m.hardware().function("igb0").vfsEnabled()).as("SR-IOV stays on").isEqualTo(2);
        assertThat(m.dom0().known()).doesNotContainKey("igb0.vf0").containsKey("igb0.vf1");
    }

    @Test
    void disable_sriov_and_a_pfs_removal_report_only_the_vfs_linux_knows() {
        Machine m = machine(seed());
        run(m, DOM0_BOOT);
        run(m, new Step.EnableSriov("igb0", 2));
        run(m, new Step.Dom0Remove(bdf("01:12.0")));

        assertThat(lines(m, new Step.DisableSriov("igb0"))).as("vf0 left Linux's list already").containsExactly(
                "remove 01:12.2", "forget igb0.vf1 01:12.2", "vfs-off igb0 00:02.0 2");

        run(m, new Step.EnableSriov("igb0", 2));
        run(m, new Step.Dom0Remove(bdf("01:12.2")));
        assertThat(lines(m, new Step.Dom0Remove(bdf("00:02.0")))).containsExactly(
                "remove 01:12.0", "forget igb0.vf0 01:12.0", "vfs-off igb0 00:02.0 2",
                "remove 00:02.0", "forget igb0 00:02.0");
    }

    @Test
    void plug_reports_only_the_functions_config_reads_reach() {
        // R 00:01.0 [0,1,4]; sw arrives at 01:00.0 with secondary 3 > subordinate 2: its child e
        // (bus 3) is not reached through sw, so Linux finds sw only.
        Machine m = machine(List.of(bridge("r", "01.0", ROOT_PORT, 0, 1, 4)));
        run(m, DOM0_BOOT);
        FunctionSpec sw = bridge("sw", "00.0", PCI_BRIDGE, 1, 3, 2, endpoint("e", "00.0", PCI_ENDPOINT));

        assertThat(lines(m, new Step.Plug("r", sw))).containsExactly(
                "plugged sw under r", "found sw 01:00.0", "add 01:00.0");
        assertThat(m.dom0().known()).containsOnlyKeys("r", "sw");
        assertThat(m.hardware().contains("e")).as("e is in the hardware, just not reached").isTrue();
    }

    @Test
    void a_trapped_bus_register_write_while_xen_is_hung_is_HUNG_under_fix_trap_bus_writes_and_the_register_still_changes() {
        // b 00:01.0 is a legacy bridge with firmware subordinate 0xff: xen-boot hangs in alloc_pdev's
        // fill under both builds. The write to b's registers afterwards is a trapped Xen operation
        // under fix-trap-bus-writes (HUNG) and a plain config write under xen-4.4 (ok).
        for (Policy policy : List.of(Policy.FIX_TRAP_BUS_WRITES, Policy.XEN_4_4)) {
            Machine m = machine(policy, List.of(bridge("b", "01.0", PCI_BRIDGE, 0, 1, 0xff)));
            run(m, new Step.XenBoot());
            assertThat(m.xen().hung()).isTrue();

            StepRecording r = m.record(new Step.WriteBridgeBuses("b", null, 1, 2));
            r.events().forEach(e -> m.apply(e, XenTrace.NONE));

            assertThat(r.outcome()).as(policy.text())
                    .isEqualTo(policy == Policy.FIX_TRAP_BUS_WRITES ? Outcome.HUNG
                            : Outcome.OK);
            assertThat(buses(m, "b")).as(policy.text()).isEqualTo(new BridgeBuses(0, 1, 2));
        }
    }
}
