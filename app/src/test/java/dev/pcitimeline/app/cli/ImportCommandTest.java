package dev.pcitimeline.app.cli;

import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.pcitimeline.app.cli.CliRun.realworld;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code pci-timeline import lspci|xl-dmesg}: outputs, summaries and exit codes. */
class ImportCommandTest {

    @TempDir
    Path dir;

    @Test
    void lspci_writesAScenarioThatParses_andSummarisesOnStderr() {
        Path out = dir.resolve("zen.yaml");
        CliRun run = CliRun.of("import", "lspci", realworld("lspci-tv-03.txt"), "-o", out.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("lspci-tv-03.txt: 36 functions (0 virtual functions enabled on their PF) -> " + out)
                .contains("  guess: 02:00.0 pcie-to-pci-bridge: below a PCIe port");
        Scenario s = new ScenarioParser().parse(out);
        assertThat(s.name()).isEqualTo("lspci-tv-03");
    }

    @Test
    void lspci_toStdout_withTheListingAsDetail() throws IOException {
        Path tree = dir.resolve("tree.txt");
        Files.writeString(tree, """
                -[0000:00]-+-00.0
                           \\-01.0-[04-05]--+-[0000:04]---00.0  Intel Corporation I350 Gigabit Network Connection
                                           \\-[0000:05]---10.0  Intel Corporation I350 Ethernet Controller Virtual Function
                """);
        CliRun run = CliRun.of("import", "lspci", tree.toString(), "--detail", realworld("lspci-vvv-02.txt"), "--name", "i350");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("# Imported by `pci-timeline import lspci` from tree.txt with the lspci -v listing "
                + "lspci-vvv-02.txt.").contains("scenario: i350\n")
                .contains("sriov: {total-vfs: 8, vf-offset: 384, vf-stride: 4, enabled: 1}");
        assertThat(run.err()).contains("4 functions (1 virtual functions enabled on their PF)");
    }

    @Test
    void lspci_malformedInput_exits2WithFileLineAndWhat_neverAStackTrace() throws IOException {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "-[0000:00]-+-00.0\n           +-01.0-[02]----00.0\n");
        CliRun run = CliRun.of("import", "lspci", bad.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("import lspci: bad.txt:2: the tree is truncated: the list opened on line 1 "
                + "(column 12) never got its last entry ('\\-')\n");
        assertThat(run.out()).isEmpty();

        Files.writeString(bad, "-[0000:00]-+-00.0\n           \\-1f.9\n");
        run = CliRun.of("import", "lspci", bad.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("bad.txt:2: column 14: 00:1f.9 is out of range").doesNotContain("\tat ");
    }

    @Test
    void lspci_missingFile_orNoArguments_exit2() {
        CliRun missing = CliRun.of("import", "lspci", dir.resolve("nope.txt").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("import lspci: nope.txt: no such file: ");
        CliRun none = CliRun.of("import", "lspci");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required parameter: 'TREE'");
        assertThat(CliRun.of("import").exit()).isEqualTo(2);
    }

    @Test
    void xlDmesg_writesTheStepsAndTheSummary() {
        CliRun run = CliRun.of("import", "xl-dmesg", realworld("xl-dmesg-02.txt"), "--topology",
                realworld("xl-dmesg-02.topology.yaml"));
        assertThat(run.exit()).isZero();
        assertThat(run.err()).startsWith("xl-dmesg-02.txt: 194 lines read, 17 steps written (1 xen-boot, 15 add, 1 remove) "
                + "-> stdout; 0 line(s) skipped, 177 other line(s)");
        assertThat(run.out()).contains("  - remove: \"0000:00:1f.1\"   # log 194: PCI remove device 0000:00:1f.1\n");
        Scenario s = new ScenarioParser().parse("out.yaml", run.out());
        assertThat(s.steps()).hasSize(17);
    }

    @Test
    void xlDmesg_reportsSkippedLinesWithTheirReason() throws IOException {
        Path log = dir.resolve("log.txt");
        Files.writeString(log, """
                (XEN) PCI add device 0000:00:02.0
                (XEN) PCI add device 0000:00:1
                (XEN) [VT-D]d0:PCIe: map 0000:00:02.0
                """);
        CliRun run = CliRun.of("import", "xl-dmesg", log.toString(), "--topology", realworld("xl-dmesg-02.topology.yaml"),
                "-o", dir.resolve("o.yaml").toString());
        assertThat(run.exit()).isZero();
        assertThat(run.err()).contains("3 lines read, 2 steps written (1 xen-boot, 1 add, 0 remove)")
                .contains("  skipped line 2: PCI add device: '0000:00:1' is not a BDF");
    }

    @Test
    void xlDmesg_anInvalidTopology_exits2() throws IOException {
        Path topo = dir.resolve("topo.yaml");
        Files.writeString(topo, "scenario: t\ntopology:\n  - {id: x, devfn: \"20.0\", kind: pci-endpoint}\nsteps: []\n");
        CliRun run = CliRun.of("import", "xl-dmesg", realworld("xl-dmesg-02.txt"), "--topology", topo.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("import xl-dmesg: invalid topology: topo.yaml:3: topology[0].devfn: ");
        assertThat(CliRun.of("import", "xl-dmesg", realworld("xl-dmesg-02.txt")).exit()).isEqualTo(2); // no --topology
    }

    @Test
    void xlDmesg_binaryInput_exits2() throws IOException {
        Path log = dir.resolve("core");
        Files.write(log, new byte[]{'(', 'X', 'E', 'N', ')', 0, 1, 2});
        CliRun run = CliRun.of("import", "xl-dmesg", log.toString(), "--topology", realworld("xl-dmesg-02.topology.yaml"));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("import xl-dmesg: core:1: binary data (a NUL byte): expected the text output of "
                + "lspci or xl dmesg\n");
    }
}
