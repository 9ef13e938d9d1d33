package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.scenarios.importer.LspciVerbose.ExpressType;
import dev.pcitimeline.scenarios.importer.LspciVerbose.Function;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Header spellings of -v, -vn, -vnn and -D, and the details that decide a kind. */
class LspciVerboseParserTest {

    static LspciVerbose parse(String text) {
        return LspciVerboseParser.parse(TextInput.of("v.txt", text));
    }

    static Function at(LspciVerbose v, String bdf) {
        return v.functions().get(Bdf.parse(bdf));
    }

    @Test
    void textHeadersExpressTypesAndBusLines() {
        LspciVerbose v = parse("""
                00:00.0 Host bridge: Intel Corporation Xeon E3-1200 v6/7th Gen Core Processor Host Bridge/DRAM Registers (rev 08)
                \tSubsystem: Lenovo Device 225d
                \tCapabilities: [e0] Vendor Specific Information: Len=10 <?>

                00:1c.0 PCI bridge: Intel Corporation Sunrise Point-LP PCI Express Root Port #1 (rev f1) (prog-if 00 [Normal decode])
                \tBus: primary=00, secondary=02, subordinate=03, sec-latency=0
                \tCapabilities: [40] Express (v2) Root Port (Slot+), MSI 00
                \t\tDevCap:\tMaxPayload 256 bytes, PhantFunc 0

                02:00.0 PCI bridge: Texas Instruments XIO2001 PCI Express-to-PCI Bridge (prog-if 00 [Normal decode])
                \tBus: primary=02, secondary=03, subordinate=03, sec-latency=32
                \tCapabilities: [70] Express (v2) PCI-Express to PCI/PCI-X Bridge, MSI 00

                03:00.0 Ethernet controller: Realtek RTL-8100/8101L/8139 PCI Fast Ethernet Adapter (rev 10)
                \tRegion 0: I/O ports at e000 [size=256]
                \tRegion 1: Memory at f7c00000 (32-bit, non-prefetchable) [size=256]

                00:1e.0 PCI bridge: Intel Corporation 82801 PCI Bridge (rev a5) (prog-if 01 [Subtractive decode])
                \tBus: primary=00, secondary=04, subordinate=04, sec-latency=32

                00:14.0 USB controller: Intel Corporation Sunrise Point-LP USB 3.0 xHCI Controller (rev 21)
                \tCapabilities: [70] Power Management version 2

                00:02.0 VGA compatible controller: Intel Corporation UHD Graphics 620 (rev 07)
                \tCapabilities: [40] Express (v2) Root Complex Integrated Endpoint, MSI 00
                """);
        assertThat(at(v, "0000:00:00.0").isHostBridgeClass()).isTrue();
        assertThat(at(v, "0000:00:00.0").name()).startsWith("Intel Corporation Xeon");
        assertThat(at(v, "0000:00:1c.0").buses()).isEqualTo(new BridgeBuses(0, 2, 3));
        assertThat(at(v, "0000:00:1c.0").express()).isEqualTo(ExpressType.ROOT_PORT);
        assertThat(at(v, "0000:02:00.0").express()).isEqualTo(ExpressType.PCIE_TO_PCI_BRIDGE);
        assertThat(at(v, "0000:03:00.0").express()).isNull();
        assertThat(at(v, "0000:00:1e.0").subtractive()).isTrue();
        assertThat(at(v, "0000:00:1e.0").isBridgeClass()).isTrue();
        assertThat(at(v, "0000:00:02.0").express()).isEqualTo(ExpressType.ROOT_COMPLEX_INTEGRATED_ENDPOINT);
        assertThat(v.skipped()).isEmpty();
    }

    @Test
    void numericHeadersOfDashVn_andDomainsOfDashD() {
        LspciVerbose v = parse("""
                0000:00:1c.4 0604: 8086:a114 (rev f1) (prog-if 00 [Normal decode])
                \tBus: primary=00, secondary=05, subordinate=05, sec-latency=0
                \tCapabilities: [40] Express (v2) Downstream Port (Slot+), MSI 00
                0000:05:00.0 0200: 8086:1533 (rev 03)
                \tCapabilities: [a0] Express (v2) Legacy Endpoint, MSI 00
                0000:04:00.0 0604 [0604]: 10b5:8747 (rev ca)
                """);
        assertThat(at(v, "0000:00:1c.4").classCode()).isEqualTo(0x0604);
        assertThat(at(v, "0000:00:1c.4").express()).isEqualTo(ExpressType.DOWNSTREAM_PORT);
        assertThat(at(v, "0000:05:00.0").express()).isEqualTo(ExpressType.LEGACY_ENDPOINT);
        assertThat(at(v, "0000:05:00.0").name()).isEqualTo("8086:1533");
    }

    @Test
    void namedHeadersWithCodesOfDashVnn() {
        LspciVerbose v = parse("""
                00:01.0 PCI bridge [0604]: Intel Corporation 6th-10th Gen Core Processor PCIe Controller (x16) [8086:1901] (rev 07) (prog-if 00 [Normal decode])
                \tBus: primary=00, secondary=01, subordinate=01, sec-latency=0
                \tCapabilities: [a0] Express (v2) Root Port (Slot+), MSI 00
                01:00.0 Non-Volatile memory controller [0108]: Samsung Electronics Co Ltd NVMe SSD Controller SM981/PM981/PM983 [144d:a808] (prog-if 02 [NVM Express])
                \tCapabilities: [70] Express (v2) Endpoint, MSI 00
                """);
        assertThat(at(v, "0000:00:01.0").classCode()).isEqualTo(0x0604);
        assertThat(at(v, "0000:01:00.0").classCode()).isEqualTo(0x0108);
        assertThat(at(v, "0000:01:00.0").className()).isEqualTo("Non-Volatile memory controller");
    }

    @Test
    void theSriovBlock() {
        LspciVerbose v = parse("""
                02:00.0 Ethernet controller: Intel Corporation 82576 Gigabit Network Connection (rev 01)
                \tCapabilities: [a0] Express (v2) Endpoint, MSI 00
                \tCapabilities: [160 v1] Single Root I/O Virtualization (SR-IOV)
                \t\tIOVCap:\tMigration-, Interrupt Message Number: 000
                \t\tIOVCtl:\tEnable- Migration- Interrupt- MSE- ARIHierarchy-
                \t\tIOVSta:\tMigration-
                \t\tInitial VFs: 8, Total VFs: 8, Number of VFs: 7, Function Dependency Link: 00
                \t\tVF offset: 128, stride: 2, Device ID: 10ca
                \t\tRegion 0: Memory at 00000000f0000000 (64-bit, prefetchable)
                \tKernel driver in use: igb
                """);
        LspciVerbose.Sriov s = at(v, "0000:02:00.0").sriov();
        assertThat(s).isEqualTo(new LspciVerbose.Sriov(8, 7, false, 128, 2));
        assertThat(s.liveVfs()).isZero(); // VF Enable is off: the 7 VFs do not exist
        assertThat(at(v, "0000:02:00.0").bar2()).isZero(); // the SR-IOV block's regions are not BARs
    }

    @Test
    void hiddenCapabilities_andSriovWithoutDetails() {
        LspciVerbose v = parse("""
                00:1c.0 PCI bridge: Intel Corporation Device a110 (rev f1)
                \tBus: primary=00, secondary=01, subordinate=01, sec-latency=0
                \tCapabilities: <access denied>
                02:00.0 Ethernet controller: Intel Corporation I350 Gigabit Network Connection (rev 01)
                \tCapabilities: [160] Single Root I/O Virtualization (SR-IOV)
                """);
        assertThat(at(v, "0000:00:1c.0").capabilitiesHidden()).isTrue();
        assertThat(at(v, "0000:02:00.0").sriovShown()).isTrue();
        assertThat(at(v, "0000:02:00.0").sriov()).isNull();
    }

    @Test
    void bar2FromRegionTwo_orTheHighHalfOfA64BitRegionOne() {
        LspciVerbose v = parse("""
                01:00.0 Ethernet controller: X
                \tRegion 0: Memory at f7c00000 (32-bit, non-prefetchable) [size=128K]
                \tRegion 2: I/O ports at e000 [size=32]
                01:00.1 Ethernet controller: Y
                \tRegion 1: Memory at 00000012f7c00000 (64-bit, prefetchable) [size=1M]
                """);
        assertThat(at(v, "0000:01:00.0").bar2()).isEqualTo(0xe001L);
        assertThat(at(v, "0000:01:00.1").bar2()).isEqualTo(0x12L);
    }

    @Test
    void promptsAreSkipped_andVmdDomainsToo() {
        LspciVerbose v = parse("""
                root@host:~# lspci -vvv
                00:00.0 Host bridge: X
                10000:e0:00.0 PCI bridge: Intel Corporation Device 9a0d
                \tBus: primary=e0, secondary=e1, subordinate=e1, sec-latency=0
                root@host:~#
                """);
        assertThat(v.functions()).containsOnlyKeys(Bdf.parse("0000:00:00.0"));
        assertThat(v.skipped()).extracting(SkippedLine::line).containsExactly(1, 3, 5);
        assertThat(v.skipped().get(1).reason()).contains("not a 16-bit PCI segment");
    }

    @Test
    void aHeaderOutOfRange_isAnError() {
        assertThatThrownBy(() -> parse("00:20.0 Host bridge: X\n"))
                .isInstanceOf(ImportException.class)
                .hasMessage("v.txt:1: 00:20.0 is out of range: a device is 00-1f and a function 0-7");
    }

    @Test
    void aFunctionListedTwice_isAnError() {
        assertThatThrownBy(() -> parse("00:01.0 Host bridge: X\n00:01.0 Host bridge: X\n"))
                .isInstanceOf(ImportException.class).hasMessage("v.txt:2: 0000:00:01.0 is listed twice (first on line 1)");
    }
}
