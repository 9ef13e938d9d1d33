package dev.pcitimeline.domain.hardware;

import dev.pcitimeline.domain.value.Devfn;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.pcitimeline.domain.hardware.FunctionSpec.bridge;
import static dev.pcitimeline.domain.hardware.FunctionSpec.endpoint;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_TO_PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.ROOT_PORT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Hardware#answerAt} answers through {@link HardwareAnswerCache}: a lone read routed, whole buses tabulated by
 * the walk, buses where nothing can answer skipped, all kept until the next change and shared with copies. It must
 * give, for every one of the 65536 addresses, what {@link Hardware#route} walking to that one address gives, after
 * any change (and {@link Hardware#mayAnswerOn} may only say no where nothing does): register writes (overlapping ranges, decode conflicts), VF enables with strides from 0 to 0xffff and VFs
 * spilling onto the next buses, unplugs, plugs, firmware resets; plus the derived lists and copies.
 */
class HardwareAnswerCacheTest {

    private static List<FunctionSpec> topology() {
        return List.of(
                bridge("rp1", "01.0", ROOT_PORT, 0, 1, 3,
                        endpoint("pf", "00.0", PCIE_ENDPOINT).withSriov(new SriovSpec(40, 384, 2, 3)),
                        endpoint("pf2", "00.1", PCIE_ENDPOINT).withSriov(new SriovSpec(8, 6, 1, 0))),
                bridge("rp2", "1c.0", ROOT_PORT, 0, 5, 7,
                        bridge("tundra", "00.0", PCIE_TO_PCI_BRIDGE, 5, 6, 7,
                                bridge("pcibr", "01.0", PCI_BRIDGE, 6, 7, 7,
                                        endpoint("nic", "00.0", PCI_ENDPOINT)),
                                endpoint("old", "02.0", PCI_ENDPOINT).withBar2(0xf1070600L)),
                        bridge("second", "01.0", PCI_BRIDGE, 5, 7, 8, endpoint("behind", "00.0", PCI_ENDPOINT))),
                endpoint("igb", "02.0", PCIE_ENDPOINT).withSriov(new SriovSpec(16, 0x80, 0, 0)),
                endpoint("wide", "04.0", PCIE_ENDPOINT).withSriov(new SriovSpec(300, 0x100, 0x300, 0)),
                endpoint("huge", "05.0", PCIE_ENDPOINT).withSriov(new SriovSpec(4096, 0x20, 65535, 0)),
                endpoint("root2", "00.0", PCIE_ENDPOINT).onRootBus(0x40),
                endpoint("multi", "03.0", PCIE_ENDPOINT),
                endpoint("multi1", "03.3", PCI_ENDPOINT));
    }

    @Test
    void cached_answers_equal_routing_each_read_after_every_kind_of_change() {
        Hardware hw = Hardware.fromTopology(0, topology());
        Random random = new Random(5);
        List<FunctionSpec> unplugged = new ArrayList<>();
        List<String> parents = new ArrayList<>();
        assertSameAsRouting(hw);
        for (int change = 0; change < 300; change++) {
            List<HardwareFunction> all = hw.allFunctions();
            HardwareFunction f = all.get(random.nextInt(all.size()));
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    if (f.isBridge()) {
                        int secondary = random.nextInt(12);
                        hw.writeBridgeBuses(f.id(), new BridgeBuses(random.nextInt(8), secondary,
                                random.nextInt(5) == 0 ? 0xff : secondary + random.nextInt(4) - 1 & 0xff));
                    }
                }
                case 2 -> {
                    if (f.isPhysicalFunction()) {
                        if (f.vfsEnabled() > 0) {
                            hw.disableVfs(f.id());
                        } else {
                            hw.enableVfs(f.id(), 1 + random.nextInt(f.sriov().totalVfs()));
                        }
                    }
                }
                case 3 -> {
                    if (!f.isTopLevel()) {
                        parents.add(f.parent().id());
                        unplugged.add(f.toSpec(true));
                        hw.unplug(f.id());
                    }
                }
                case 4 -> {
                    for (int i = 0; i < unplugged.size(); i++) {
                        if (hw.plugProblem(parents.get(i), unplugged.get(i)) == null) {
                            hw.plug(parents.get(i), unplugged.remove(i));
                            parents.remove(i);
                            break;
                        }
                    }
                }
                default -> {
                    if (random.nextInt(4) == 0) {
                        hw.resetToPowerOn();
                    }
                }
            }
            assertSameAsRouting(hw);
        }
    }

    @Test
    void a_plugged_root_bus_is_routed_from_the_next_read_on() {
        Hardware hw = Hardware.fromTopology(0, topology());
        assertThat(hw.answerAt(0x60, 0)).isNull();
        hw.plug(Hardware.ROOT, new FunctionSpec("late", Devfn.parse("00.0"), 0x60, PCIE_ENDPOINT, null, 0, null,
                List.of()));
        assertThat(hw.answerAt(0x60, 0).id()).isEqualTo("late");
        assertSameAsRouting(hw);
    }

    private static void assertSameAsRouting(Hardware hw) {
        for (int bus = 0; bus < 256; bus++) {
            for (int devfn = 0; devfn < 256; devfn++) {
                ConfigSpace.Answer routed = hw.route(bus, devfn);
                ConfigSpace.Answer cached = hw.answerAt(bus, devfn);
                if (routed == null ? cached != null : !routed.equals(cached)) {
                    throw new AssertionError(String.format("%02x:%02x.%x: routed %s, cached %s", bus, devfn >> 3,
                            devfn & 7, routed, cached));
                }
                // Xen's boot scan passes such a bus by: it must not hide anything that answers
                if (routed != null && !hw.mayAnswerOn(bus)) {
                    throw new AssertionError(String.format("%02x:%02x.%x answers (%s) on a bus said to answer nothing",
                            bus, devfn >> 3, devfn & 7, routed));
                }
            }
        }
        // the lists derived from the answers are kept too: they must follow the same changes
        Hardware fresh = Hardware.restore(hw.snapshot());
        assertThat(hw.reachableFunctions()).isEqualTo(fresh.reachableFunctions());
        assertThat(hw.decodeConflicts()).isEqualTo(fresh.decodeConflicts());
        // a copy (every command runs on one) is the same machine, power-on registers included
        Hardware copy = hw.copy();
        assertThat(copy.snapshot()).isEqualTo(hw.snapshot());
        assertThat(copy.reachableFunctions()).isEqualTo(hw.reachableFunctions());
    }
}
