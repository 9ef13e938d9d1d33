package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DeviceKind;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.view.MachineView;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every real capture of {@code src/test/resources/realworld} (copied from
 * ../shared/data/realworld): it imports without error, its function or step count equals a
 * count made by hand, the output parses and replays, and the hardware view holds the dump's
 * BDFs.
 */
class RealWorldImportTest {

    static final Path DIR = Path.of("src/test/resources/realworld");

    // ------------------------------------------------------------------ lspci

    /**
     * Counted by hand, line by line, one function per "DD.F" in the tree:
     * root 00: 00.0 00.3 01.0 02.0 03.0 (5); the 03.1 chain line holds 6 (03.1, 02:00.0, 03:00.0,
     * 04:00.0, 04:10.0, 05:00.0) = 11; 14.0/18.0/1c.0 lines 2 each = 17; the 04.0 chain line 4 = 21;
     * 04.0/08.0/0c.0 lines 2 each = 27; the 0c.0 chain line 4 = 31; 15.0 and 1c.0 (empty) = 33;
     * 04.0 05.0 = 35; 05.1+00.0 = 37; 00.1 07.0 = 39; 07.1+00.0 = 41; 00.4 00.5 00.7 14.0 14.3 = 46;
     * 18.0-18.7 = 54. Root 20: 00.0 00.3 01.0 = 3; 01.1+00.0, 00.1 = 6; 02.0 03.0 = 8; 03.1 chain 3 = 11;
     * 01.0 (empty) = 12; 02.0+00.0, 03.0+00.0 = 16; 03.2+00.0 = 18; 03.4 chain 4 = 22; 0d.0+00.0 = 24;
     * 04.0 05.0 07.0 = 27; 07.1+00.0 = 29. Root c0: 00.0 00.3 01.0 = 3; 01.1+00.0, 00.1 = 6; 02.0 03.0 = 8;
     * 03.1+00.0, 00.1 = 11; 04.0 05.0 07.0 = 14; 07.1+00.0 = 16. Root e0: 00.0 00.3 01.0 02.0 03.0 04.0
     * 05.0 = 7; 05.2 chain 3 = 10; 07.0 = 11; 07.1+00.0, 00.4 = 14. Total 54 + 29 + 16 + 14 = 113.
     */
    static final int TV01_FUNCTIONS = 113;

    /**
     * Root 00: 08.0, 10.0+00.0, 11.0+00.0 = 5. Root 74: 01.0 02.0 03.0 04.0 = 4 (9). Root 7a: 3 (12).
     * Root 7b: 1 (13). Root 7c: 00.0 and 7d:00.0-00.3 = 5 (18). Root 80: 00.0 (19); 04.0, 82:00.0,
     * 00.1 (22); the eight VFs 01.2-01.7, 02.0, 02.1 (30); 08.0 0a.0 0c.0 0e.0 10.0 with one function
     * each (40). Root b4: 4 (44). Root ba: 3 (47). Root bb: 1 (48). Root bc: 00.0 (empty) (49).
     */
    static final int TV02_FUNCTIONS = 49;

    /**
     * 00.0 01.0 (2); 01.1+00.0 (4); 01.3 chain 01.3, 02:00.0, 03:00.0 (7); 01.5 and 04:00.0-00.3 (12);
     * 02.0 03.0 04.0 07.0 (16); 07.1 and 05:00.0 00.2 00.3 (20); 08.0 (21); 08.1 and 06:00.0-00.3 (26);
     * 14.0 14.3 (28); 18.0-18.7 (36).
     */
    static final int TV03_FUNCTIONS = 36;

    /** Two records (header lines at column 0): the PF 04:00.0 and its VF 05:10.0. */
    static final int VVV02_FUNCTIONS = 2;

    /** Two records: the PF 04:00.0 and its VF 05:00.0. */
    static final int VVV04_FUNCTIONS = 2;

    @Test
    void lspciTv01_threadripperFourRootBuses() {
        Imported i = importLspci("lspci-tv-01.txt", TV01_FUNCTIONS);
        // spot checks, read off the tree by hand
        assertThat(i.bdfs()).contains(bdf("0000:e2:00.0"), bdf("0000:8e:00.0"), bdf("0000:11:00.0"),
                bdf("0000:e3:00.4"), bdf("0000:88:00.0"), bdf("0000:c2:00.1"));
        assertThat(i.spec("0000:20:03.1").buses().asList()).containsExactly(0x20, 0x22, 0x89);
        assertThat(i.spec("0000:23:00.0").buses().asList()).containsExactly(0x23, 0x28, 0x57); // empty, reserves 28-57
        assertThat(i.spec("0000:10:15.0").buses().asList()).containsExactly(0x10, 0x12, 0x12);
        assertThat(i.spec("0000:10:15.0").children()).isEmpty();
        // ASPEED VGA behind a PCIe-to-PCI bridge: the shape decides the guess
        assertThat(i.spec("0000:e1:00.0").kind()).isEqualTo(DeviceKind.PCIE_TO_PCI_BRIDGE);
        assertThat(i.spec("0000:e2:00.0").kind()).isEqualTo(DeviceKind.PCI_ENDPOINT);
        // switches four deep: root port, upstream, downstream, upstream, downstream, endpoint
        assertThat(List.of("0000:00:03.1", "0000:01:00.0", "0000:02:00.0", "0000:03:00.0", "0000:04:10.0", "0000:05:00.0")
                .stream().map(b -> i.spec(b).kind()).toList()).containsExactly(DeviceKind.ROOT_PORT,
                DeviceKind.UPSTREAM_PORT, DeviceKind.DOWNSTREAM_PORT, DeviceKind.UPSTREAM_PORT, DeviceKind.DOWNSTREAM_PORT,
                DeviceKind.PCIE_ENDPOINT);
        assertThat(i.result().guesses()).hasSize(TV01_FUNCTIONS); // no -v listing: every kind is a guess
        assertThat(i.result().yaml()).contains("kind: pcie-to-pci-bridge   # guess: ");
    }

    @Test
    void lspciTv02_kunpengVirtualFunctionsWithoutSriovData() {
        Imported i = importLspci("lspci-tv-02.txt", TV02_FUNCTIONS);
        assertThat(i.bdfs()).contains(bdf("0000:82:01.2"), bdf("0000:82:02.1"), bdf("0000:7d:00.3"), bdf("0000:bb:00.0"));
        assertThat(i.spec("0000:bc:00.0").buses().asList()).containsExactly(0xbc, 0xbd, 0xbd);
        // the ConnectX-5 VFs: no PF SR-IOV data, so plain endpoints at their BDF and one warning each
        assertThat(i.result().vfs()).isZero();
        assertThat(i.spec("0000:82:01.2").kind()).isEqualTo(DeviceKind.PCIE_ENDPOINT);
        assertThat(i.result().warnings()).filteredOn(w -> w.contains("virtual function")).hasSize(8);
    }

    @Test
    void lspciTv03_zenPcieToPciBridgeBeforeVga() {
        Imported i = importLspci("lspci-tv-03.txt", TV03_FUNCTIONS);
        assertThat(i.spec("0000:00:01.3").buses().asList()).containsExactly(0, 2, 3);
        assertThat(i.spec("0000:02:00.0").kind()).isEqualTo(DeviceKind.PCIE_TO_PCI_BRIDGE);
        assertThat(i.spec("0000:02:00.0").buses().asList()).containsExactly(2, 3, 3);
        assertThat(i.spec("0000:03:00.0").kind()).isEqualTo(DeviceKind.PCI_ENDPOINT);
        assertThat(i.spec("0000:00:00.0").kind()).isEqualTo(DeviceKind.HOST_BRIDGE); // "Root Complex"
        assertThat(i.spec("0000:00:01.0").kind()).isEqualTo(DeviceKind.HOST_BRIDGE); // "Dummy Host Bridge"
        // the classic case: Xen's bus2bridge maps bus 3 to the PCIe-to-PCI bridge after boot
        InMemoryReplay replay = InMemoryReplay.of(i.result().scenario());
        assertThat(MachineView.bus2bridge(replay.machine().xen())).singleElement()
                .satisfies(row -> assertThat(row.bridge()).isEqualTo(bdf("0000:02:00.0")));
    }

    @Test
    void lspciVvv02_i350PfWithItsVfOnTheNextBus() throws IOException {
        Imported i = importLspci("lspci-vvv-02.txt", VVV02_FUNCTIONS);
        assertThat(i.bdfs()).isEqualTo(headerBdfs("lspci-vvv-02.txt"));
        FunctionSpec pf = i.spec("0000:04:00.0");
        assertThat(pf.kind()).isEqualTo(DeviceKind.PCIE_ENDPOINT); // Express (v2) Endpoint
        assertThat(pf.sriov()).isEqualTo(new SriovSpec(8, 384, 4, 1));
        assertThat(pf.rootBus()).isEqualTo(4);
        assertThat(i.result().vfs()).isEqualTo(1);
        assertThat(i.result().guesses()).isEmpty();
        assertThat(i.result().warnings()).isEmpty();
    }

    @Test
    void lspciVvv04_designWareEpWithItsVfAtOffset256() throws IOException {
        Imported i = importLspci("lspci-vvv-04.txt", VVV04_FUNCTIONS);
        assertThat(i.bdfs()).isEqualTo(headerBdfs("lspci-vvv-04.txt"));
        FunctionSpec pf = i.spec("0000:04:00.0");
        assertThat(pf.sriov()).isEqualTo(new SriovSpec(8, 256, 1, 1));
        assertThat(pf.bar2()).isEqualTo(0x58730000L); // "Region 2: Memory at 58730000 (32-bit, ...)"
        assertThat(i.bdfs()).contains(bdf("0000:05:00.0"));
    }

    // ------------------------------------------------------------------ xl dmesg

    /**
     * By hand: 15 "(XEN) PCI add device" lines (00:00.0 02.0 04.0 14.0 14.2 1c.0 1c.6 1d.0 1f.0 1f.2
     * 1f.3 1f.6, 02:00.0, 03:00.0, then 00:1f.1) and one "PCI remove device 0000:00:1f.1": 16.
     */
    static final int XL02_ADD_REMOVE = 16;

    /**
     * By hand: bus ff 0b.0-3 (4), 0c.0-3 (8), 0f.0 .4 .5 .6 (12), 10.0 .1 .5 .6 .7 (17), 12.0 .1 (19),
     * 13.0-7 (27), 14.0-7 (35), 15.0-3 (39), 1e.0-4 (44), 1f.0 .2 (46); bus 00: 00.0 01.0 02.0 02.2 03.0
     * 05.0 05.1 05.2 14.0 16.0 16.1 1a.0 1c.0 1c.4 1d.0 1f.0 1f.2 1f.3 1f.6 (65); 02:00.0-3 (69),
     * 03:00.0-1 (71), 04:00.0 (72), 05:00.0-1 (74), 06:00.0 (75), 07:00.0 (76). No remove: 76.
     */
    static final int XL04_ADD_REMOVE = 76;

    @Test
    void xlDmesg02_t480sWithNbspAndAnAddRemovePair() throws IOException {
        XlDmesgImport imported = importLog("xl-dmesg-02.txt", "xl-dmesg-02.topology.yaml", XL02_ADD_REMOVE);
        assertThat(imported.log().skipped()).isEmpty();
        assertThat(imported.steps().get(XL02_ADD_REMOVE).step()).isEqualTo(new Step.Remove(bdf("0000:00:1f.1")));
        assertThat(imported.steps().get(15).step()).isEqualTo(new Step.Add(bdf("0000:00:1f.1"), null)); // unsorted: last
        InMemoryReplay replay = InMemoryReplay.of(imported.scenario());
        assertThat(replay.outcomes()).containsOnly(Outcome.OK);
        assertThat(LogChecker.check(imported).agrees()).isTrue();
    }

    @Test
    void xlDmesg04_xeonDRootBusFfFirst() throws IOException {
        XlDmesgImport imported = importLog("xl-dmesg-04.txt", "xl-dmesg-04.topology.yaml", XL04_ADD_REMOVE);
        assertThat(imported.log().skipped()).isEmpty();
        assertThat(imported.steps().get(1).step()).isEqualTo(new Step.Add(bdf("0000:ff:0b.0"), null));
        assertThat(imported.steps().get(47).step()).isEqualTo(new Step.Add(bdf("0000:00:00.0"), null));
        InMemoryReplay replay = InMemoryReplay.of(imported.scenario());
        assertThat(replay.outcomes()).containsOnly(Outcome.OK);
        LogCheck check = LogChecker.check(imported);
        assertThat(check.agrees()).isTrue();
        assertThat(check.notes()).anyMatch(n -> n.contains("no [VT-D] map/unmap lines"));
    }

    // ------------------------------------------------------------------ helpers

    record Imported(LspciImport result, Set<Bdf> bdfs, InMemoryReplay replay) {
        /** The topology node at {@code bdf} (as the replayed hardware places it). */
        FunctionSpec spec(String bdf) {
            var hw = replay.machine().hardware();
            for (var f : hw.allFunctions()) {
                if (hw.addressOf(f).equals(bdf(bdf))) {
                    return f.toSpec(true);
                }
            }
            throw new AssertionError("no function at " + bdf);
        }
    }

    /** Imports, checks the count, re-parses the YAML, replays it and compares the hardware view with the dump. */
    private static Imported importLspci(String file, int handCount) {
        LspciImport result = LspciImporter.importDump(TextInput.read(DIR.resolve(file)), null, LspciImporter.Options.DEFAULT);
        assertThat(result.functions()).as("functions of " + file).isEqualTo(handCount);
        Scenario reparsed = new ScenarioParser().parse(file + ".yaml", result.yaml());
        assertThat(reparsed.steps()).extracting(s -> s.step()).containsExactly(new Step.XenBoot());
        InMemoryReplay replay = InMemoryReplay.of(reparsed);
        assertThat(replay.outcomes()).containsExactly(Outcome.OK);
        assertThat(replay.hardwareBdfs()).as("hardware view of " + file).isEqualTo(new TreeSet<>(result.dumpBdfs()));
        return new Imported(result, new TreeSet<>(result.dumpBdfs()), replay);
    }

    private static XlDmesgImport importLog(String log, String topology, int handCount) throws IOException {
        Scenario topo = XlDmesgImporter.readTopology(DIR.resolve(topology));
        XlDmesgImport imported = XlDmesgImporter.importLog(TextInput.read(DIR.resolve(log)), topo, null);
        assertThat(imported.addRemoveSteps()).as("add/remove steps of " + log).isEqualTo(handCount);
        assertThat(imported.steps()).hasSize(handCount + 1); // xen-boot first
        assertThat(imported.log().lines()).isEqualTo(Files.readAllLines(DIR.resolve(log)).size());
        Scenario reparsed = new ScenarioParser().parse(log + ".yaml", imported.yaml());
        assertThat(reparsed.steps()).extracting(s -> s.step())
                .containsExactlyElementsOf(imported.steps().stream().map(XlDmesgImport.ImportedStep::step).toList());
        assertThat(reparsed.topology()).isEqualTo(topo.topology());
        return imported;
    }

    /** The BDFs of a verbose listing's header lines, read independently of the importer. */
    private static Set<Bdf> headerBdfs(String file) throws IOException {
        Pattern header = Pattern.compile("^([0-9a-f]{2}):([0-9a-f]{2})\\.([0-7]) ");
        Set<Bdf> bdfs = new TreeSet<>();
        for (String line : Files.readAllLines(DIR.resolve(file))) {
            Matcher m = header.matcher(line);
            if (m.find()) {
                bdfs.add(bdf("0000:" + m.group(1) + ":" + m.group(2) + "." + m.group(3)));
            }
        }
        return bdfs;
    }

    static Bdf bdf(String text) {
        return Bdf.parse(text);
    }
}
