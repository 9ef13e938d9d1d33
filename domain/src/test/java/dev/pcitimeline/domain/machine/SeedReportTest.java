package dev.pcitimeline.domain.machine;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.xen.XenTrace;
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

/**
 * The worked example of the original report, by hand from XEN-MODEL.md: the boot scan, then
 * Linux with pci=assign-busses reporting at discovery leaves entry 6 pointing at 06:00.0.
 */
class SeedReportTest {

    /**
     * Firmware: rp3 00:1c.0 [0,5,7] > tundra 05:00.0 [5,6,7] > pcibr 06:01.0 [6,7,7] > nic-old 07:00.0.
     * igb0 00:02.0 is an SR-IOV PF (total 7, offset 384, stride 2).
     */
    static List<FunctionSpec> seed() {
        return List.of(
                bridge("rp3", "1c.0", ROOT_PORT, 0, 5, 7,
                        bridge("tundra", "00.0", PCIE_TO_PCI_BRIDGE, 5, 6, 7,
                                bridge("pcibr", "01.0", PCI_BRIDGE, 6, 7, 7,
                                        endpoint("nic-old", "00.0", PCI_ENDPOINT)))),
                endpoint("igb0", "02.0", PCIE_ENDPOINT).withSriov(new SriovSpec(7, 384, 2, 0)));
    }

    static Machine fresh(Policy policy) {
        return Machine.created(new SegmentEvent.SystemCreated("s", "seed", null, policy, 0, seed()));
    }

    static void run(Machine m, Step step) {
        for (SegmentEvent e : m.record(step).events()) {
            m.apply(e, XenTrace.NONE);
        }
    }

    @Test
    void boot_scan_fills_bus2bridge_from_the_firmware_registers() {
        Machine m = fresh(Policy.XEN_4_4);
        run(m, new Step.XenBoot());
        // tundra (PCIe2PCI) fills 6..7 -> 05:00.0; pcibr (legacy) fills 7..7 -> 06:01.0
        assertThat(m.xen().bus2bridge(6).map()).isTrue();
        assertThat(m.xen().bus2bridge(6).bus()).isEqualTo(5);
        assertThat(m.xen().bus2bridge(7).bus()).isEqualTo(6);
        assertThat(m.xen().bus2bridge(7).devfn()).isEqualTo(0x08);
        assertThat(m.xen().pdevs()).extracting(p -> p.bdf().toString())
                .containsExactly("0000:00:02.0", "0000:00:1c.0", "0000:05:00.0", "0000:06:01.0", "0000:07:00.0");
    }

    @Test
    void assign_busses_at_discovery_leaves_a_self_referencing_entry_and_a_minus_one_walk() {
        Machine m = fresh(Policy.XEN_4_4);
        run(m, new Step.XenBoot());
        run(m, new Step.Dom0Boot(true, Step.Reporting.DISCOVERY));
        // Linux on bus 0: igb0's last VF is at 0x10 + 384 + 2*6 = 0x19c -> bus 1, so max = 1.
        // rp3 gets 0/2/ff, scan(2): tundra found at 02:00.0 and reported while its registers
        // still hold 5/6/7 (already a pdev? no: pdev 05:00.0 exists, 02:00.0 is new) -> alloc fills 6..7 -> 02:00.0.
        // tundra gets 2/3/ff, scan(3): pcibr at 03:01.0 reported with registers 6/7/7 -> fills 7 -> 03:01.0;
        // pcibr gets 3/4/ff, scan(4): nic-old at 04:00.0 reported.
        assertThat(m.hardware().addressOf(m.hardware().function("tundra"))).isEqualTo(Bdf.parse("0000:02:00.0"));
        assertThat(m.hardware().addressOf(m.hardware().function("nic-old"))).isEqualTo(Bdf.parse("0000:04:00.0"));
        assertThat(m.xen().bus2bridge(6).bus()).isEqualTo(2);
        assertThat(m.xen().bus2bridge(7).bus()).isEqualTo(3);
        assertThat(m.xen().bus2bridge(7).devfn()).isEqualTo(0x08);
    }
}
