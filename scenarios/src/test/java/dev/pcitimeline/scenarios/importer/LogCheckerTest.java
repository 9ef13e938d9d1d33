package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import dev.pcitimeline.scenarios.importer.LogCheck.Cause;
import dev.pcitimeline.scenarios.importer.LogCheck.FaultCheck;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * check-log's comparison on a small machine: a host bridge, a PCIe NIC, and a conventional VGA
 * behind a PCIe-to-PCI bridge (so that its bridge entry is mapped without a log line).
 */
class LogCheckerTest {

    static final Scenario TOPOLOGY = new ScenarioParser().parse("topo.yaml", """
            scenario: topo
            topology:
              - {id: host, devfn: "00.0", kind: host-bridge}
              - {id: nic, devfn: "19.0", kind: pcie-endpoint}
              - id: rp
                devfn: "1c.0"
                kind: root-port
                buses: [0, 1, 2]
                children:
                  - id: p2p
                    devfn: "00.0"
                    kind: pcie-to-pci-bridge
                    buses: [1, 2, 2]
                    children:
                      - {id: vga, devfn: "00.0", kind: pci-endpoint}
                      - {id: sound, devfn: "01.0", kind: pci-endpoint}
            steps: []
            """);

    /** What Xen 4.4 with iommu=debug prints for this machine: boot maps, dom0's adds, one remove, a fault. */
    static final String AGREEING = """
            (XEN) Xen version 4.4.0 (root@) (gcc) debug=n
            (XEN) [VT-D]d0:Hostbridge: skip 0000:00:00.0 map
            (XEN) [VT-D]d0:PCIe: map 0000:00:19.0
            (XEN) [VT-D]d0:PCI: map 0000:02:00.0
            (XEN) [VT-D]d0:PCI: map 0000:02:01.0
            (XEN) Freed 268kB init memory.
            (XEN) PCI add device 0000:00:00.0
            (XEN) PCI add device 0000:00:19.0
            (XEN) PCI add device 0000:00:1c.0
            (XEN) PCI add device 0000:01:00.0
            (XEN) PCI add device 0000:02:00.0
            (XEN) PCI add device 0000:02:01.0
            (XEN) [VT-D]d0:PCI: unmap 0000:02:01.0
            (XEN) PCI remove device 0000:02:01.0
            (XEN) [VT-D]DMAR:[DMA Read] Request device [0000:02:00.0] fault addr 7f000, iommu reg = ffff82c3ffd54000
            (XEN) [VT-D]DMAR: reason 02 - Present bit in context entry is clear
            """;

    static LogCheck check(String log) {
        return LogChecker.check(XlDmesgImporter.importLog(TextInput.of("log.txt", log), TOPOLOGY, "t"));
    }

    @Test
    void theModelAgrees_andAMissingEntryExplainsTheFault() {
        LogCheck c = check(AGREEING);
        assertThat(c.disagreements()).isEmpty();
        assertThat(c.contextLines()).isEqualTo(5);
        assertThat(c.matchedLines()).isEqualTo(5);
        assertThat(c.modelOperations()).isEqualTo(5);
        // removing 02:01.0 unmapped the bridge's secondary-bus alias 02:00.0: the VGA lost its entry
        assertThat(c.faults()).singleElement().satisfies(f -> {
            assertThat(f.cause()).isEqualTo(Cause.MISSING);
            assertThat(f.afterStep()).isEqualTo(7);
            assertThat(f.reason()).isEqualTo(2);
            assertThat(f.consistent()).isTrue();
            assertThat(f.explanation()).startsWith("missing context entry: the model has none for 0000:02:00.0 after step 7");
        });
        assertThat(c.agrees()).isTrue();
    }

    @Test
    void aModelCallWithoutItsLine() {
        LogCheck c = check(AGREEING.replace("(XEN) [VT-D]d0:PCIe: map 0000:00:19.0\n", ""));
        assertThat(c.agrees()).isFalse();
        assertThat(c.disagreements()).singleElement().hasToString(
                "step 0: the model calls d0:PCIe: map 0000:00:19.0 (xen-boot) but the log has no such line before dom0's first report");
    }

    @Test
    void aLineTheModelDoesNotAccountFor() {
        LogCheck c = check(AGREEING.replace("(XEN) PCI add device 0000:02:01.0\n",
                "(XEN) PCI add device 0000:02:01.0\n(XEN) [VT-D]d0:PCIe: map 0000:00:1f.0\n"));
        assertThat(c.disagreements()).singleElement().satisfies(d -> {
            assertThat(d.logLine()).isEqualTo(13);
            assertThat(d.message()).startsWith("the log maps 0000:00:1f.0 for d0 (PCIe) and the model does not");
        });
    }

    @Test
    void aDeviceTypeThatDiffers() {
        LogCheck c = check(AGREEING.replace("d0:PCI: map 0000:02:00.0", "d0:PCIe: map 0000:02:00.0"));
        assertThat(c.disagreements()).singleElement().satisfies(d -> assertThat(d.message())
                .isEqualTo("the log treats 0000:02:00.0 as PCIe, the model as PCI (Xen type PCI): the topology's kind "
                        + "differs from the real device"));
    }

    @Test
    void aQuarantineDomain_isNotModelled() {
        LogCheck c = check(AGREEING + "(XEN) [VT-D]d[IO]:PCIe: map 0000:00:19.0\n");
        assertThat(c.disagreements()).singleElement().satisfies(d -> assertThat(d.message()).contains("dom_io"));
    }

    @Test
    void anAddTheModelRefuses_andARemoveOfNothing() {
        LogCheck c = check("""
                (XEN) PCI add device 0000:00:1f.0
                (XEN) PCI remove device 0000:00:1f.3
                """);
        assertThat(c.disagreements()).extracting(LogCheck.Disagreement::toString).containsExactly(
                "log line 1, step 1: Xen printed \"PCI add\" for 0000:00:1f.0, which it does only when the add succeeds; "
                        + "the model's add gives EINVAL (nothing of the topology answers there: the topology lacks this device)",
                "log line 2, step 2: Xen printed \"PCI remove device\" for 0000:00:1f.3, so it had a pdev there; the model "
                        + "has none (ENODEV)");
        assertThat(c.notes()).singleElement().satisfies(n -> assertThat(n).contains("no [VT-D] map/unmap lines"));
    }

    @Test
    void aFaultReasonThatContradictsTheModel() {
        LogCheck c = check(AGREEING.replace("reason 02 - Present bit in context entry is clear", "reason 06 - PTE Read access is not set"));
        assertThat(c.faults()).singleElement().satisfies(f -> assertThat(f.consistent()).isFalse());
        assertThat(c.agrees()).isFalse();
    }

    @Test
    void aFaultWithItsEntryInPlace_isNotExplained() {
        LogCheck c = check(AGREEING.replace("Request device [0000:02:00.0]", "Request device [0000:00:19.0]"));
        FaultCheck f = c.faults().get(0);
        assertThat(f.cause()).isEqualTo(Cause.NONE);
        assertThat(f.consistent()).isFalse(); // reason 02 says no entry, the model has one
    }

    @Test
    void aForeignEntry_afterPassthroughOfADeviceBehindTheSameBridge() {
        // 02:01.0 to d1: the unmap from dom0 removes the shared alias 02:00.0, the map for d1 recreates it for d1,
        // so the VGA (still dom0's) finds d1's entry at its own requester ID.
        Scenario s = new ScenarioParser().parse("assign.yaml", """
                scenario: assign
                topology:
                  - id: rp
                    devfn: "1c.0"
                    kind: root-port
                    buses: [0, 1, 2]
                    children:
                      - id: p2p
                        devfn: "00.0"
                        kind: pcie-to-pci-bridge
                        buses: [1, 2, 2]
                        children:
                          - {id: vga, devfn: "00.0", kind: pci-endpoint}
                          - {id: sound, devfn: "01.0", kind: pci-endpoint}
                steps:
                  - xen-boot
                  - assign: {bdf: "0000:02:01.0", domain: 1}
                """);
        InMemoryReplay replay = InMemoryReplay.of(s);
        XenLog.DmaFault fault = new XenLog.DmaFault(9, "DMAR:[DMA Write] Request device [0000:02:00.0]", true,
                Bdf.parse("0000:02:00.0"));
        FaultCheck f = LogChecker.explainFault(fault, 6, 1, replay.machine().xen());
        assertThat(f.cause()).isEqualTo(Cause.FOREIGN);
        assertThat(f.consistent()).isTrue();
        assertThat(f.explanation()).startsWith("foreign context entry: 0000:02:00.0 is mapped for d1 after step 1, but "
                + "0000:02:00.0 is a pdev (PCI, owned by d0)");
        assertThat(LogChecker.explainFault(fault, 2, 1, replay.machine().xen()).consistent()).isFalse();
    }
}
