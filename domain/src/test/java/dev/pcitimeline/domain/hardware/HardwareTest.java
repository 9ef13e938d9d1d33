package dev.pcitimeline.domain.hardware;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DeviceKind;
import dev.pcitimeline.domain.value.XenDeviceType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.pcitimeline.domain.hardware.FunctionSpec.bridge;
import static dev.pcitimeline.domain.hardware.FunctionSpec.endpoint;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_TO_PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.ROOT_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** XEN-MODEL.md §1, one test per rule, on the seed topology of SCENARIOS.md unless said otherwise. */
class HardwareTest {

    /** rp3 00:1c.0 [0,5,7] > tundra 05:00.0 [5,6,7] > pcibr 06:01.0 [6,7,7] > nic-old 07:00.0; igb0 00:02.0 PF. */
    static List<FunctionSpec> seed() {
        return List.of(
                bridge("rp3", "1c.0", ROOT_PORT, 0, 5, 7,
                        bridge("tundra", "00.0", PCIE_TO_PCI_BRIDGE, 5, 6, 7,
                                bridge("pcibr", "01.0", PCI_BRIDGE, 6, 7, 7,
                                        endpoint("nic-old", "00.0", PCI_ENDPOINT)))),
                endpoint("igb0", "02.0", PCIE_ENDPOINT).withBar2(0xf1500000L)
                        .withSriov(new SriovSpec(7, 384, 2, 0)));
    }

    private static String at(Hardware hw, int bus, int device, int function) {
        ConfigSpace.Answer a = hw.answerAt(bus, device * 8 + function);
        return a == null ? null : a.id();
    }

    @Test
    void a_read_on_the_root_bus_answers_with_the_function_at_that_devfn() {
        Hardware hw = Hardware.fromTopology(0, seed());
        assertThat(at(hw, 0, 0x1c, 0)).isEqualTo("rp3");
        assertThat(at(hw, 0, 0x02, 0)).isEqualTo("igb0");
        assertThat(at(hw, 0, 0x03, 0)).isNull();
    }

    @Test
    void a_read_below_goes_through_the_bridge_whose_secondary_to_subordinate_holds_the_bus() {
        Hardware hw = Hardware.fromTopology(0, seed());
        assertThat(at(hw, 5, 0, 0)).isEqualTo("tundra");
        assertThat(at(hw, 6, 1, 0)).isEqualTo("pcibr");
        assertThat(at(hw, 7, 0, 0)).isEqualTo("nic-old");
        assertThat(at(hw, 7, 1, 0)).isNull();
        assertThat(at(hw, 8, 0, 0)).as("no bridge claims bus 8").isNull();
    }

    @Test
    void routing_starts_on_the_highest_root_bus_not_above_the_target() {
        List<FunctionSpec> topo = List.of(
                bridge("rp", "01.0", ROOT_PORT, 0, 0x80, 0x90, endpoint("behind", "00.0", PCIE_ENDPOINT)),
                endpoint("other-root", "00.0", PCIE_ENDPOINT).onRootBus(0x80));
        Hardware hw = Hardware.fromTopology(0, topo);
        assertThat(at(hw, 0x80, 0, 0)).as("root bus 0x80 wins over the bridge claiming it").isEqualTo("other-root");
        assertThat(at(hw, 0x81, 0, 0)).isNull();
        assertThat(hw.rootBuses()).containsExactly(0, 0x80);
    }

    @Test
    void a_read_for_the_current_bus_is_answered_there_even_if_a_bridge_claims_it_too() {
        Hardware hw = Hardware.fromTopology(0, seed());
        hw.writeBridgeBuses("tundra", new BridgeBuses(5, 5, 7));
        assertThat(at(hw, 5, 0, 0)).isEqualTo("tundra");
        assertThat(at(hw, 5, 1, 0)).isNull();
    }

    @Test
    void the_first_bridge_in_devfn_order_wins_a_decode_conflict_and_the_conflict_is_reported() {
        List<FunctionSpec> topo = List.of(
                bridge("first", "01.0", ROOT_PORT, 0, 2, 3, endpoint("a", "00.0", PCIE_ENDPOINT)),
                bridge("second", "02.0", ROOT_PORT, 0, 3, 4, endpoint("b", "00.0", PCIE_ENDPOINT)));
        Hardware hw = Hardware.fromTopology(0, topo);
        // b sits at 03:00.0, but "first" also claims bus 3 and wins: the read ends on bus 2, where nothing is
        assertThat(at(hw, 3, 0, 0)).isNull();
        assertThat(hw.decodeConflicts()).containsExactly(3);
        hw.writeBridgeBuses("first", new BridgeBuses(0, 2, 2));
        assertThat(at(hw, 3, 0, 0)).isEqualTo("b");
        assertThat(hw.decodeConflicts()).isEmpty();
    }

    @Test
    void bridges_with_an_empty_range_claim_nothing() {
        List<FunctionSpec> topo = List.of(
                bridge("x", "01.0", ROOT_PORT, 0, 4, 3), bridge("y", "02.0", ROOT_PORT, 0, 4, 3));
        Hardware hw = Hardware.fromTopology(0, topo);
        assertThat(hw.decodeConflicts()).isEmpty();
    }

    @Test
    void each_kind_classifies_as_the_table_says() {
        assertThat(DeviceKind.HOST_BRIDGE.xenType()).isEqualTo(XenDeviceType.PCI_HOST_BRIDGE);
        assertThat(DeviceKind.ROOT_PORT.xenType()).isEqualTo(XenDeviceType.PCIe_BRIDGE);
        assertThat(DeviceKind.UPSTREAM_PORT.xenType()).isEqualTo(XenDeviceType.PCIe_BRIDGE);
        assertThat(DeviceKind.DOWNSTREAM_PORT.xenType()).isEqualTo(XenDeviceType.PCIe_BRIDGE);
        assertThat(DeviceKind.PCIE_TO_PCI_BRIDGE.xenType()).isEqualTo(XenDeviceType.PCIe2PCI_BRIDGE);
        assertThat(DeviceKind.PCI_TO_PCIE_BRIDGE.xenType()).isEqualTo(XenDeviceType.PCI2PCIe_BRIDGE);
        assertThat(DeviceKind.PCI_BRIDGE.xenType()).isEqualTo(XenDeviceType.LEGACY_PCI_BRIDGE);
        assertThat(DeviceKind.PCIE_ENDPOINT.xenType()).isEqualTo(XenDeviceType.PCIe_ENDPOINT);
        assertThat(DeviceKind.PCI_ENDPOINT.xenType()).isEqualTo(XenDeviceType.PCI);
        Hardware hw = Hardware.fromTopology(0, seed());
        assertThat(hw.classify(5, 0)).isEqualTo(XenDeviceType.PCIe2PCI_BRIDGE);
        assertThat(hw.classify(7, 0)).isEqualTo(XenDeviceType.PCI);
    }

    @Test
    void where_nothing_answers_every_byte_reads_all_ones_and_the_type_is_unknown() {
        Hardware hw = Hardware.fromTopology(0, seed());
        assertThat(hw.present(9, 0)).isFalse();
        assertThat(hw.readSecondary(9, 0)).isEqualTo(0xff);
        assertThat(hw.readSubordinate(9, 0)).isEqualTo(0xff);
        assertThat(hw.classify(9, 0)).isEqualTo(XenDeviceType.PCI_UNKNOWN);
    }

    @Test
    void a_bridge_reads_its_secondary_and_subordinate_registers() {
        Hardware hw = Hardware.fromTopology(0, seed());
        assertThat(hw.readSecondary(5, 0)).isEqualTo(6);
        assertThat(hw.readSubordinate(5, 0)).isEqualTo(7);
    }

    @Test
    void a_type_0_function_reads_bytes_1_and_2_of_bar2_as_secondary_and_subordinate() {
        Hardware hw = Hardware.fromTopology(0, seed());
        // BAR2 0xf1500000: byte 1 = 0x00, byte 2 = 0x50
        assertThat(hw.readSecondary(0, 0x10)).isEqualTo(0x00);
        assertThat(hw.readSubordinate(0, 0x10)).isEqualTo(0x50);
        // BAR2 defaults to 0
        assertThat(hw.readSecondary(7, 0)).isZero();
        assertThat(hw.readSubordinate(7, 0)).isZero();
    }

    @Test
    void function_0_reports_multi_function_only_when_another_function_of_its_slot_exists() {
        List<FunctionSpec> topo = List.of(endpoint("f0", "03.0", PCI_ENDPOINT), endpoint("f1", "03.1", PCI_ENDPOINT),
                endpoint("alone", "04.0", PCI_ENDPOINT));
        Hardware hw = Hardware.fromTopology(0, topo);
        assertThat(hw.multiFunction(0, 3 * 8)).isTrue();
        assertThat(hw.multiFunction(0, 3 * 8 + 1)).as("only function 0 carries the bit").isFalse();
        assertThat(hw.multiFunction(0, 4 * 8)).isFalse();
    }

    @Test
    void virtual_function_i_has_rid_pf_rid_plus_offset_plus_stride_times_i() {
        Hardware hw = Hardware.fromTopology(0, seed());
        hw.enableVfs("igb0", 7);
        // PF 00:02.0 = RID 0x10; VF0 = 0x10 + 384 = 0x190 = 01:12.0; VF3 = 0x196 = 01:12.6; VF6 = 0x19c = 01:13.4
        assertThat(at(hw, 1, 0x12, 0)).isEqualTo("igb0.vf0");
        assertThat(at(hw, 1, 0x12, 6)).isEqualTo("igb0.vf3");
        assertThat(at(hw, 1, 0x13, 4)).isEqualTo("igb0.vf6");
        assertThat(at(hw, 1, 0x12, 1)).as("between strides").isNull();
        assertThat(hw.answerAt(1, 0x90).kind()).isEqualTo(PCIE_ENDPOINT);
        assertThat(hw.answerAt(1, 0x90).multiFunction()).as("VFs never report multi-function").isFalse();
        assertThat(hw.virtualFunctions(hw.function("igb0"))).extracting(Hardware.VirtualFunction::address)
                .startsWith(Bdf.parse("0000:01:12.0"), Bdf.parse("0000:01:12.2")).hasSize(7);
    }

    @Test
    void a_vf_whose_rid_is_beyond_ffff_does_not_exist_however_far_beyond() {
        // PF 00:02.0 = RID 0x10, offset 0x80, stride 0xffff: VF0 = 0x90 = 00:12.0, VF1 = 0x1008f is past bus ff, and
        // VF 65534 = 0x90 + 0xffff * 0xfffe = 4294770834 is past what an int holds (as an int it wrapped to -196462)
        List<FunctionSpec> topo = List.of(endpoint("huge", "02.0", PCIE_ENDPOINT)
                .withSriov(new SriovSpec(0xffff, 0x80, 0xffff, 0)));
        Hardware hw = Hardware.fromTopology(0, topo);
        hw.enableVfs("huge", 0xffff);
        HardwareFunction pf = hw.function("huge");
        assertThat(pf.vfRid(0xfffe)).isEqualTo(4_294_770_834L);
        assertThat(hw.virtualFunctions(pf)).extracting(Hardware.VirtualFunction::address)
                .containsExactly(Bdf.parse("0000:00:12.0"));
        assertThat(at(hw, 0, 0x12, 0)).isEqualTo("huge.vf0");
    }

    @Test
    void a_bridge_claiming_a_vf_bus_takes_the_read_before_the_vf() {
        List<FunctionSpec> topo = List.of(
                endpoint("pf", "02.0", PCIE_ENDPOINT).withSriov(new SriovSpec(2, 256, 1, 2)),
                bridge("rp", "03.0", ROOT_PORT, 0, 1, 1));
        Hardware hw = Hardware.fromTopology(0, topo);
        assertThat(at(hw, 1, 2, 0)).as("rp forwards bus 1; nothing behind it at 02.0").isNull();
        hw.writeBridgeBuses("rp", new BridgeBuses(0, 2, 2));
        assertThat(at(hw, 1, 2, 0)).isEqualTo("pf.vf0");
    }

    @Test
    void vf_enable_is_bounded_by_total_vfs_and_refused_on_a_function_without_sriov() {
        Hardware hw = Hardware.fromTopology(0, seed());
        assertThatThrownBy(() -> hw.enableVfs("igb0", 8)).hasMessageContaining("out of range 1..7");
        assertThatThrownBy(() -> hw.enableVfs("tundra", 1)).hasMessageContaining("without SR-IOV");
        assertThatThrownBy(() -> hw.enableVfs("nope", 1)).hasMessageContaining("unknown device 'nope'");
    }

    @Test
    void register_writes_move_what_a_read_reaches() {
        Hardware hw = Hardware.fromTopology(0, seed());
        BridgeBuses before = hw.writeBridgeBuses("tundra", new BridgeBuses(5, 8, 9));
        assertThat(before).isEqualTo(new BridgeBuses(5, 6, 7));
        assertThat(at(hw, 6, 1, 0)).as("rp3 still forwards 5..7 but tundra no longer holds 6").isNull();
        hw.writeBridgeBuses("rp3", new BridgeBuses(0, 5, 9));
        hw.writeBridgeBuses("pcibr", new BridgeBuses(8, 9, 9));
        assertThat(at(hw, 8, 1, 0)).isEqualTo("pcibr");
        assertThat(at(hw, 9, 0, 0)).isEqualTo("nic-old");
        assertThat(hw.addressOf(hw.function("nic-old"))).isEqualTo(Bdf.parse("0000:09:00.0"));
        assertThatThrownBy(() -> hw.writeBridgeBuses("nic-old", BridgeBuses.ZERO)).hasMessageContaining("not a bridge");
    }

    @Test
    void the_hardware_view_lists_what_config_space_reaches_sorted_by_address() {
        Hardware hw = Hardware.fromTopology(0, seed());
        hw.enableVfs("igb0", 2);
        assertThat(hw.reachableFunctions()).extracting(r -> r.bdf().toString() + "=" + r.id()).containsExactly(
                "0000:00:02.0=igb0", "0000:00:1c.0=rp3", "0000:01:12.0=igb0.vf0", "0000:01:12.2=igb0.vf1",
                "0000:05:00.0=tundra", "0000:06:01.0=pcibr", "0000:07:00.0=nic-old");
        hw.writeBridgeBuses("rp3", new BridgeBuses(0, 5, 5));
        assertThat(hw.reachableFunctions()).extracting(Hardware.Reached::id).doesNotContain("pcibr", "nic-old");
    }

    @Test
    void unplug_removes_the_function_and_everything_below_it() {
        Hardware hw = Hardware.fromTopology(0, seed());
        assertThat(hw.unplug("tundra")).containsExactly("tundra", "pcibr", "nic-old");
        assertThat(hw.contains("nic-old")).isFalse();
        assertThat(at(hw, 5, 0, 0)).isNull();
    }

    @Test
    void plug_refuses_an_occupied_devfn_a_used_id_and_a_non_bridge_parent() {
        Hardware hw = Hardware.fromTopology(0, seed());
        assertThatThrownBy(() -> hw.plug("tundra", endpoint("x", "01.0", PCI_ENDPOINT)))
                .hasMessageContaining("already taken by pcibr");
        assertThatThrownBy(() -> hw.plug("tundra", endpoint("nic-old", "02.0", PCI_ENDPOINT)))
                .hasMessageContaining("id 'nic-old' is already used");
        assertThatThrownBy(() -> hw.plug("nic-old", endpoint("y", "00.0", PCI_ENDPOINT)))
                .hasMessageContaining("not a bridge");
        hw.plug("tundra", endpoint("nic2", "02.0", PCI_ENDPOINT));
        assertThat(at(hw, 6, 2, 0)).isEqualTo("nic2");
        hw.plug(Hardware.ROOT, endpoint("late", "05.0", PCIE_ENDPOINT));
        assertThat(at(hw, 0, 5, 0)).isEqualTo("late");
    }

    @Test
    void firmware_reset_restores_power_on_registers_and_vf_counts() {
        Hardware hw = Hardware.fromTopology(0, seed());
        hw.writeBridgeBuses("tundra", BridgeBuses.ZERO);
        hw.enableVfs("igb0", 3);
        hw.resetToPowerOn();
        assertThat(hw.function("tundra").buses()).isEqualTo(new BridgeBuses(5, 6, 7));
        assertThat(hw.function("igb0").vfsEnabled()).isZero();
    }

    @Test
    void a_copy_is_independent_and_a_snapshot_restores_the_same_machine() {
        Hardware hw = Hardware.fromTopology(0, seed());
        hw.writeBridgeBuses("tundra", new BridgeBuses(5, 6, 9));
        hw.enableVfs("igb0", 2);
        Hardware copy = hw.copy();
        copy.writeBridgeBuses("tundra", BridgeBuses.ZERO);
        copy.unplug("pcibr");
        assertThat(hw.function("tundra").buses()).isEqualTo(new BridgeBuses(5, 6, 9));
        assertThat(hw.contains("pcibr")).isTrue();

        Hardware restored = Hardware.restore(hw.snapshot());
        assertThat(restored.reachableFunctions()).isEqualTo(hw.reachableFunctions());
        restored.resetToPowerOn();
        assertThat(restored.function("tundra").buses()).isEqualTo(new BridgeBuses(5, 6, 7));
        assertThat(restored.function("igb0").vfsEnabled()).isZero();
    }

    @Test
    void the_topology_must_be_buildable_hardware() {
        assertThatThrownBy(() -> Hardware.fromTopology(0, List.of(endpoint("a", "01.0", PCI_ENDPOINT),
                endpoint("a", "02.0", PCI_ENDPOINT)))).hasMessageContaining("id 'a' is already used");
        assertThatThrownBy(() -> Hardware.fromTopology(0, List.of(endpoint("a", "01.0", PCI_ENDPOINT),
                endpoint("b", "01.0", PCI_ENDPOINT)))).hasMessageContaining("already taken by a");
    }
}
