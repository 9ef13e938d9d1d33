package dev.pcitimeline.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.pcitimeline.app.cli.CliRun.realworld;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code pci-timeline check-log}: 0 when model and log agree, 1 when they do not, 2 on invalid input. */
class CheckLogCommandTest {

    @TempDir
    Path dir;

    static final String TOPOLOGY = """
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
            """;

    static final String LOG = """
            (XEN) [VT-D]d0:Hostbridge: skip 0000:00:00.0 map
            (XEN) [VT-D]d0:PCIe: map 0000:00:19.0
            (XEN) [VT-D]d0:PCI: map 0000:02:00.0
            (XEN) [VT-D]d0:PCI: map 0000:02:01.0
            (XEN) PCI add device 0000:02:00.0
            (XEN) PCI add device 0000:02:01.0
            (XEN) [VT-D]d0:PCI: unmap 0000:02:01.0
            (XEN) PCI remove device 0000:02:01.0
            (XEN) [VT-D]DMAR:[DMA Read] Request device [0000:02:00.0] fault addr 7f000, iommu reg = ffff82c3ffd54000
            (XEN) [VT-D]DMAR: reason 02 - Present bit in context entry is clear
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void agreement_exits0_andNamesTheMissingEntryBehindTheFault() throws IOException {
        CliRun run = CliRun.of("check-log", write("log.txt", LOG).toString(), "--topology", write("t.yaml", TOPOLOGY).toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("log.txt on t.yaml: 4 steps replayed under xen-4.4; 5 VT-d map/unmap line(s), 5 matched")
                .contains("DMA faults:\n  log line 9: DMA read from 0000:02:00.0: missing context entry: the model has none "
                        + "for 0000:02:00.0 after step 3")
                .endsWith("The model agrees with the log.\n");
        assertThat(run.err()).startsWith("log.txt: 10 lines read, 4 steps written");
    }

    /** --policy folds the log under that build instead of the topology's (here none: xen-4.4); adds and removes of
     *  endpoints are the same under every fix, so the result is too. */
    @Test
    void policy_option_replaces_the_topologys_policy() throws IOException {
        CliRun run = CliRun.of("check-log", write("log.txt", LOG).toString(), "--topology",
                write("t.yaml", TOPOLOGY).toString(), "--policy", "fix-remember-range");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("log.txt on t.yaml: 4 steps replayed under fix-remember-range;");

        CliRun unknown = CliRun.of("check-log", write("log.txt", LOG).toString(), "--topology",
                write("t.yaml", TOPOLOGY).toString(), "--policy", "xen-9");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--policy", "unknown policy 'xen-9'");
        assertThat(unknown.out()).isEmpty();
    }

    @Test
    void disagreement_exits1_andListsEachDifference() throws IOException {
        String log = LOG.replace("(XEN) [VT-D]d0:PCIe: map 0000:00:19.0\n", "")
                .replace("d0:PCI: map 0000:02:00.0", "d0:PCIe: map 0000:02:00.0");
        CliRun run = CliRun.of("check-log", write("log.txt", log).toString(), "--topology", write("t.yaml", TOPOLOGY).toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("Disagreements:\n")
                .contains("  log line 2, step 0: the log treats 0000:02:00.0 as PCIe, the model as PCI")
                .contains("  step 0: the model calls d0:PCIe: map 0000:00:19.0 (xen-boot) but the log has no such line")
                .endsWith("The model disagrees with the log: 2 difference(s).\n");
    }

    @Test
    void theRealXeonDLog_agreesWithItsTopology() {
        CliRun run = CliRun.of("check-log", realworld("xl-dmesg-04.txt"), "--topology", realworld("xl-dmesg-04.topology.yaml"));
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("note: the log has no [VT-D] map/unmap lines");
    }

    @Test
    void invalidInput_exits2() throws IOException {
        CliRun binary = CliRun.of("check-log", write("bin", "\0\0").toString(), "--topology", write("t.yaml", TOPOLOGY).toString());
        assertThat(binary.exit()).isEqualTo(2);
        assertThat(binary.err()).startsWith("check-log: bin:1: binary data");
        CliRun badTopo = CliRun.of("check-log", write("log.txt", LOG).toString(), "--topology",
                write("t.yaml", "scenario: t\nsteps: []\n").toString());
        assertThat(badTopo.exit()).isEqualTo(2);
        assertThat(badTopo.err()).startsWith("check-log: invalid topology or scenario: t.yaml:1: topology: missing required key");
        assertThat(CliRun.of("check-log").exit()).isEqualTo(2);
    }
}
