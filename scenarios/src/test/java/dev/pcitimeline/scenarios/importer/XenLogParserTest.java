package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.scenarios.importer.XenLog.AddKind;
import dev.pcitimeline.scenarios.importer.XenLog.ContextLine;
import dev.pcitimeline.scenarios.importer.XenLog.DeviceAdded;
import dev.pcitimeline.scenarios.importer.XenLog.DeviceRemoved;
import dev.pcitimeline.scenarios.importer.XenLog.DmaFault;
import dev.pcitimeline.scenarios.importer.XenLog.FaultReason;
import dev.pcitimeline.scenarios.importer.XenLog.Op;
import dev.pcitimeline.scenarios.importer.XenLog.XenBanner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The message forms and the mess of real captures. */
class XenLogParserTest {

    static XenLog parse(String text) {
        return XenLogParser.parse(TextInput.of("log.txt", text.getBytes(StandardCharsets.UTF_8)), 0);
    }

    static Bdf bdf(String s) {
        return Bdf.parse(s);
    }

    @Test
    void addsAndRemoves_withTimestampsInterleavedKernelLinesNbspAndGluedMessages() {
        XenLog log = parse("""
                (XEN) [2014-06-27 08:15:01] PCI add device 0000:00:1f.0
                [    3.123456] pci 0000:00:1f.2: [8086:1e03] type 00 class 0x010601
                (XEN) [    4.567890] PCI add device 0000:00:1f.2(XEN) PCI add device 0000:00:1f.3
                (XEN)\u00a0PCI add virtual function 0000:02:10.0
                (XEN) PCI add virtual function 0000:02:10.2 (PF 0000:02:00.0)
                (XEN) PCI add extended function 0000:03:00.1
                (XEN) PCI remove device 0000:00:1f.3
                """);
        assertThat(log.entries()).containsExactly(
                new DeviceAdded(1, "PCI add device 0000:00:1f.0", AddKind.DEVICE, bdf("0000:00:1f.0"), null),
                new DeviceAdded(3, "PCI add device 0000:00:1f.2", AddKind.DEVICE, bdf("0000:00:1f.2"), null),
                new DeviceAdded(3, "PCI add device 0000:00:1f.3", AddKind.DEVICE, bdf("0000:00:1f.3"), null),
                new DeviceAdded(4, "PCI add virtual function 0000:02:10.0", AddKind.VIRTUAL_FUNCTION, bdf("0000:02:10.0"), null),
                new DeviceAdded(5, "PCI add virtual function 0000:02:10.2 (PF 0000:02:00.0)", AddKind.VIRTUAL_FUNCTION,
                        bdf("0000:02:10.2"), bdf("0000:02:00.0")),
                new DeviceAdded(6, "PCI add extended function 0000:03:00.1", AddKind.EXTENDED_FUNCTION, bdf("0000:03:00.1"), null),
                new DeviceRemoved(7, "PCI remove device 0000:00:1f.3", bdf("0000:00:1f.3")));
        assertThat(log.skipped()).isEmpty();
        assertThat(log.other()).isEqualTo(1); // the dom0 kernel line
        assertThat(log.lines()).isEqualTo(7);
    }

    @Test
    void aLatin1NoBreakSpace_readsAsASpace() {
        byte[] bytes = "(XEN)\u00a0PCI add device 0000:00:02.0\n".getBytes(StandardCharsets.ISO_8859_1);
        XenLog log = XenLogParser.parse(TextInput.of("latin1.txt", bytes), 0);
        assertThat(log.entries()).singleElement().isInstanceOf(DeviceAdded.class);
    }

    @Test
    void vtdContextLines_inEveryForm() {
        XenLog log = parse("""
                (XEN) [VT-D]d0:PCIe: map 0000:02:00.0
                (XEN) [VT-D]iommu.c:1451: d0:PCI: unmap 0000:05:00.0
                (XEN) [VT-D]d0:Hostbridge: skip 0000:00:00.0 map
                (XEN) [VT-D]d[IO]:PCIe: unmap 0000:03:00.0
                (XEN) [VT-D]d32753:PCIe: map 0000:65:00.2
                (XEN) [VT-D]d1:PCIe: map 0000:03:00.0
                """);
        assertThat(log.entries()).containsExactly(
                new ContextLine(1, "[VT-D]d0:PCIe: map 0000:02:00.0", "0", 0, "PCIe", Op.MAP, bdf("0000:02:00.0")),
                new ContextLine(2, "[VT-D]iommu.c:1451: d0:PCI: unmap 0000:05:00.0", "0", 0, "PCI", Op.UNMAP,
                        bdf("0000:05:00.0")),
                new ContextLine(3, "[VT-D]d0:Hostbridge: skip 0000:00:00.0 map", "0", 0, "Hostbridge", Op.MAP,
                        bdf("0000:00:00.0")),
                new ContextLine(4, "[VT-D]d[IO]:PCIe: unmap 0000:03:00.0", "[IO]", null, "PCIe", Op.UNMAP, bdf("0000:03:00.0")),
                new ContextLine(5, "[VT-D]d32753:PCIe: map 0000:65:00.2", "32753", null, "PCIe", Op.MAP, bdf("0000:65:00.2")),
                new ContextLine(6, "[VT-D]d1:PCIe: map 0000:03:00.0", "1", 1, "PCIe", Op.MAP, bdf("0000:03:00.0")));
    }

    @Test
    void dmaFaultsAndTheirReasons() {
        XenLog log = parse("""
                (XEN) [VT-D]DMAR:[DMA Read] Request device [0000:06:00.0] fault addr 7f000, iommu reg = ffff82c3ffd54000
                (XEN) [VT-D]DMAR: reason 02 - Present bit in context entry is clear
                (XEN) [VT-D]DMAR:[DMA Write] Request device [0000:00:02.0] fault addr 8e43c000
                (XEN) [VT-D]DMAR:[fault reason 06h] PTE Read access is not set
                """);
        assertThat(log.entries()).hasSize(4);
        assertThat(log.entries().get(0)).isEqualTo(new DmaFault(1,
                "DMAR:[DMA Read] Request device [0000:06:00.0]", false, bdf("0000:06:00.0")));
        assertThat(log.entries().get(1)).isInstanceOfSatisfying(FaultReason.class, r -> {
            assertThat(r.reason()).isEqualTo(2);
            assertThat(r.description()).isEqualTo("Present bit in context entry is clear");
        });
        assertThat(((DmaFault) log.entries().get(2)).write()).isTrue();
        assertThat(((FaultReason) log.entries().get(3)).reason()).isEqualTo(6);
    }

    @Test
    void unusableLines_areSkippedWithTheirReason() {
        XenLog log = parse("""
                (XEN) PCI add device 0000:00:20.0
                (XEN) PCI add device 0000:00:1
                (XEN) PCI add device 0001:00:01.0
                (XEN) PCI add device
                (XEN) [VT-D]INTR-REMAP: Request device [0000:f0:1f.0] fault index 0, iommu reg = ffff82c3ffd57000
                (XEN) PCI: add device of an unknown form
                (XEN) Brought up 4 CPUs
                garbage \u0001\u0002 line
                """);
        assertThat(log.entries()).isEmpty();
        assertThat(log.skipped()).extracting(SkippedLine::line).containsExactly(1, 2, 3, 4, 5);
        assertThat(log.skipped()).extracting(SkippedLine::reason).containsExactly(
                "PCI add device: '0000:00:20.0': device 20 is out of range 00..1f",
                "PCI add device: '0000:00:1' is not a BDF: expected SSSS:BB:DD.F in hex, e.g. 0000:06:00.0",
                "PCI add device: 0001:00:01.0 is in segment 0001, the topology models segment 0000",
                "PCI add device without an address",
                "an interrupt-remapping fault: not about DMA context entries");
        assertThat(log.other()).isEqualTo(3);
    }

    @Test
    void aSecondBoot_afterDom0Reported() {
        XenLog log = parse("""
                (XEN) Xen version 4.4.0 (root@) (gcc) debug=n Mon Jan 1 00:00:00 UTC 2014
                (XEN) PCI add device 0000:00:02.0
                (XEN) Xen version 4.4.0 (root@) (gcc) debug=n Mon Jan 1 00:00:00 UTC 2014
                (XEN) PCI add device 0000:00:02.0
                """);
        assertThat(log.entries()).hasSize(3);
        assertThat(log.entries().get(1)).isInstanceOf(XenBanner.class);
    }

    @Test
    void aFileThatIsNoXenLog_isRefused_andALogWithoutPciLinesIsWarnedAbout() {
        var topology = new dev.pcitimeline.scenarios.format.ScenarioParser().parse("t.yaml",
                "scenario: t\ntopology: [{id: host, devfn: \"00.0\", kind: host-bridge}]\nsteps: []\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> XlDmesgImporter.importLog(
                        TextInput.of("lspci.txt", "-[0000:00]---00.0\n"), topology, null))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("lspci.txt: not an xl dmesg capture");
        XlDmesgImport quiet = XlDmesgImporter.importLog(TextInput.of("quiet.txt", "(XEN) Brought up 4 CPUs\n"), topology, null);
        assertThat(quiet.steps()).hasSize(1);
        assertThat(quiet.warnings()).singleElement().satisfies(w -> assertThat(w).contains("loglvl=all"));
    }
}
