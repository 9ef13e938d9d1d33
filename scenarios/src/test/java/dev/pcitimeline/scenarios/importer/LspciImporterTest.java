package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DeviceKind;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** From a dump to a scenario: kinds, registers, SR-IOV, and what the output promises. */
class LspciImporterTest {

    static LspciImport run(String tree, String detail) {
        return LspciImporter.importDump(TextInput.of("tree.txt", tree), detail == null ? null : TextInput.of("vvv.txt", detail),
                LspciImporter.Options.DEFAULT);
    }

    /** The node at {@code bdf} in the output as the model places it, after checking the output replays with the dump's BDFs. */
    static FunctionSpec at(LspciImport result, String bdf) {
        InMemoryReplay replay = InMemoryReplay.of(new ScenarioParser().parse("out.yaml", result.yaml()));
        assertThat(replay.hardwareBdfs()).isEqualTo(new TreeSet<>(result.dumpBdfs()));
        var hw = replay.machine().hardware();
        return hw.allFunctions().stream().filter(f -> hw.addressOf(f).equals(Bdf.parse(bdf))).findFirst()
                .orElseThrow().toSpec(true);
    }

    static final String SWITCH_AND_LEGACY = """
            -[0000:00]-+-00.0  Intel Corporation Host Bridge
                       +-01.0-[01-04]----00.0-[02-04]--+-00.0-[03]----00.0  Some NVMe
                       |                               \\-01.0-[04]--
                       \\-1c.0-[05-07]----00.0-[06-07]--+-00.0  Old Sound Card
                                                       \\-01.0-[07]----00.0  Older Sound Card
            """;

    @Test
    void inferredKinds_followTheTreesShape() {
        LspciImport r = run(SWITCH_AND_LEGACY, null);
        assertThat(at(r, "0000:00:00.0").kind()).isEqualTo(DeviceKind.HOST_BRIDGE);
        assertThat(at(r, "0000:00:01.0").kind()).isEqualTo(DeviceKind.ROOT_PORT);
        assertThat(at(r, "0000:01:00.0").kind()).isEqualTo(DeviceKind.UPSTREAM_PORT);
        assertThat(at(r, "0000:02:00.0").kind()).isEqualTo(DeviceKind.DOWNSTREAM_PORT);
        assertThat(at(r, "0000:02:01.0").kind()).isEqualTo(DeviceKind.DOWNSTREAM_PORT);
        assertThat(at(r, "0000:03:00.0").kind()).isEqualTo(DeviceKind.PCIE_ENDPOINT);
        assertThat(at(r, "0000:05:00.0").kind()).isEqualTo(DeviceKind.PCIE_TO_PCI_BRIDGE);
        assertThat(at(r, "0000:06:00.0").kind()).isEqualTo(DeviceKind.PCI_ENDPOINT);
        assertThat(at(r, "0000:06:01.0").kind()).isEqualTo(DeviceKind.PCI_BRIDGE);
        assertThat(at(r, "0000:07:00.0").kind()).isEqualTo(DeviceKind.PCI_ENDPOINT);
        assertThat(r.guesses()).hasSize(r.functions());
    }

    @Test
    void busRegisters_areTheDumpsNumbers() {
        LspciImport r = run(SWITCH_AND_LEGACY, null);
        assertThat(at(r, "0000:00:01.0").buses().asList()).containsExactly(0, 1, 4);
        assertThat(at(r, "0000:01:00.0").buses().asList()).containsExactly(1, 2, 4);
        assertThat(at(r, "0000:02:01.0").buses().asList()).containsExactly(2, 4, 4); // empty: [04]
        assertThat(at(r, "0000:06:01.0").buses().asList()).containsExactly(6, 7, 7);
    }

    @Test
    void theOutput_namesEveryFunctionAndMarksEveryGuess() {
        String yaml = run(SWITCH_AND_LEGACY, null).yaml();
        assertThat(yaml).contains("- id: hb-00-00.0   # Intel Corporation Host Bridge")
                .contains("kind: pcie-to-pci-bridge   # guess: below a PCIe port with endpoints")
                .contains("kind: host-bridge   # guess: on a root bus and named like a host bridge")
                .contains("steps:\n  - xen-boot\n");
        Scenario s = new ScenarioParser().parse("out.yaml", yaml);
        assertThat(s.name()).isEqualTo("tree");
        assertThat(s.steps()).hasSize(1);
    }

    @Test
    void theListingDecidesKinds_andItsNamesHelpWhenCapabilitiesAreHidden() {
        String tree = """
                -[0000:00]-+-00.0
                           +-1c.0-[01-02]----00.0-[02]----00.0
                           \\-1e.0-[03]----00.0
                """;
        String detail = """
                00:00.0 Host bridge: Intel Corporation 440FX - 82441FX PMC [Natoma] (rev 02)
                00:1c.0 PCI bridge: Intel Corporation Device a110 (rev f1)
                \tBus: primary=00, secondary=01, subordinate=02, sec-latency=0
                \tCapabilities: [40] Express (v2) Root Port (Slot+), MSI 00
                01:00.0 PCI bridge: Tundra Semiconductor Corp. Tsi384 PCI Express-to-PCI-X Bridge
                \tBus: primary=01, secondary=02, subordinate=02, sec-latency=32
                \tCapabilities: <access denied>
                02:00.0 Ethernet controller: Intel Corporation 82546EB Gigabit Ethernet Controller (Copper)
                00:1e.0 PCI bridge: Intel Corporation 82801 PCI Bridge (rev a5) (prog-if 01 [Subtractive decode])
                \tBus: primary=00, secondary=03, subordinate=03, sec-latency=32
                03:00.0 Multimedia audio controller: Creative Labs SB Live!
                """;
        LspciImport r = run(tree, detail);
        assertThat(at(r, "0000:00:00.0").kind()).isEqualTo(DeviceKind.HOST_BRIDGE);
        assertThat(at(r, "0000:00:1c.0").kind()).isEqualTo(DeviceKind.ROOT_PORT);
        assertThat(at(r, "0000:01:00.0").kind()).isEqualTo(DeviceKind.PCIE_TO_PCI_BRIDGE);
        assertThat(at(r, "0000:02:00.0").kind()).isEqualTo(DeviceKind.PCI_ENDPOINT);
        assertThat(at(r, "0000:00:1e.0").kind()).isEqualTo(DeviceKind.PCI_BRIDGE); // no Express capability
        assertThat(r.guesses()).singleElement().satisfies(g -> assertThat(g)
                .startsWith("01:00.0 pcie-to-pci-bridge: named like a PCIe-to-PCI bridge")
                .contains("hides its capabilities"));
    }

    @Test
    void vfsInTheTree_becomeTheirPfsEnabledCount_withTheListing() {
        String tree = """
                -[0000:00]-+-00.0
                           \\-01.0-[04-05]--+-[0000:04]---00.0  Intel Corporation I350 Gigabit Network Connection
                                           \\-[0000:05]---10.0  Intel Corporation I350 Ethernet Controller Virtual Function
                """;
        LspciImport r = LspciImporter.importDump(TextInput.of("tree.txt", tree),
                TextInput.read(Path.of("src/test/resources/realworld/lspci-vvv-02.txt")), LspciImporter.Options.DEFAULT);
        assertThat(r.vfs()).isEqualTo(1);
        assertThat(r.warnings()).isEmpty();
        FunctionSpec pf = at(r, "0000:04:00.0");
        assertThat(pf.sriov()).isEqualTo(new SriovSpec(8, 384, 4, 1));
        assertThat(r.dumpBdfs()).contains(Bdf.parse("0000:05:10.0"));
    }

    @Test
    void vfsInTheTree_withoutSriovData_stayPlainFunctionsAtTheirBdf() {
        String tree = """
                -[0000:00]-+-00.0
                           \\-01.0-[04-05]--+-[0000:04]---00.0  Intel Corporation I350 Gigabit Network Connection
                                           \\-[0000:05]---10.0  Intel Corporation I350 Ethernet Controller Virtual Function
                """;
        LspciImport r = run(tree, null);
        assertThat(r.vfs()).isZero();
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("05:10.0 is a virtual function, but no PF's SR-IOV data"))
                .anyMatch(w -> w.startsWith("05:10.0 is on bus 05, inside 00:01.0's range but not its secondary bus"));
        FunctionSpec vf = at(r, "0000:05:10.0");
        assertThat(vf.kind()).isEqualTo(DeviceKind.PCIE_ENDPOINT);
        assertThat(vf.rootBus()).isEqualTo(5);
        assertThat(r.yaml()).contains("# Warnings:");
    }

    @Test
    void fewerVfsInTheTreeThanTheListingSays_theTreeWins() {
        String tree = """
                -[0000:00]-+-02.0  Intel Corporation 82576 Gigabit Network Connection
                           \\-10.0  Intel Corporation 82576 Virtual Function
                """;
        String detail = """
                00:02.0 Ethernet controller: Intel Corporation 82576 Gigabit Network Connection (rev 01)
                \tCapabilities: [a0] Express (v2) Endpoint, MSI 00
                \tCapabilities: [160 v1] Single Root I/O Virtualization (SR-IOV)
                \t\tIOVCtl:\tEnable+ Migration- Interrupt- MSE+ ARIHierarchy-
                \t\tInitial VFs: 8, Total VFs: 8, Number of VFs: 2, Function Dependency Link: 00
                \t\tVF offset: 112, stride: 2, Device ID: 10ca
                """;
        LspciImport r = run(tree, detail);
        assertThat(at(r, "0000:00:02.0").sriov()).isEqualTo(new SriovSpec(8, 112, 2, 1));
        assertThat(r.warnings()).anyMatch(w -> w.contains("the listing says 2 VF(s) enabled") && w.contains("enabled: 1"));
    }

    @Test
    void aListingAlone_rebuildsTheTreeFromBusLines() {
        String detail = """
                00:1c.0 PCI bridge: Intel Corporation Device a110 (rev f1)
                \tBus: primary=00, secondary=02, subordinate=02, sec-latency=0
                \tCapabilities: [40] Express (v2) Root Port (Slot+), MSI 00
                02:00.0 Non-Volatile memory controller: Samsung NVMe
                \tCapabilities: [70] Express (v2) Endpoint, MSI 00
                """;
        LspciImport r = LspciImporter.importDump(TextInput.of("only.txt", detail), null, LspciImporter.Options.DEFAULT);
        assertThat(at(r, "0000:02:00.0").kind()).isEqualTo(DeviceKind.PCIE_ENDPOINT);
        assertThat(at(r, "0000:00:1c.0").children()).extracting(FunctionSpec::id).containsExactly("ep-02-00.0");
        assertThat(r.guesses()).isEmpty();
    }

    @Test
    void severalSegments_needAChoice() {
        String tree = """
                -+-[0000:00]---00.0
                 \\-[0001:00]-+-00.0
                             \\-01.0-[01]----00.0
                """;
        assertThatThrownBy(() -> run(tree, null)).isInstanceOf(ImportException.class)
                .hasMessage("tree.txt: the dump covers segments 0000, 0001 and a scenario models one: choose one with --segment");
        LspciImport r = LspciImporter.importDump(TextInput.of("tree.txt", tree), null, new LspciImporter.Options(1, "seg1"));
        assertThat(r.dumpBdfs()).containsExactlyInAnyOrder(Bdf.parse("0001:00:00.0"), Bdf.parse("0001:00:01.0"),
                Bdf.parse("0001:01:00.0"));
        assertThat(r.yaml()).contains("scenario: seg1\n").contains("segment: 1\n");
    }

    @Test
    void anEmptyFileOrBinaryData_isAClearError() {
        assertThatThrownBy(() -> run("", null)).isInstanceOf(ImportException.class).hasMessageContaining("no lspci tree found");
        assertThatThrownBy(() -> LspciImporter.importDump(TextInput.of("bin.dat", new byte[]{0x7f, 'E', 'L', 'F', 0, 1}), null,
                LspciImporter.Options.DEFAULT)).isInstanceOf(ImportException.class)
                .hasMessage("bin.dat:1: binary data (a NUL byte): expected the text output of lspci or xl dmesg");
    }

    @Test
    void theHardwareViewHoldsExactlyTheDumpsFunctions() {
        LspciImport r = run(SWITCH_AND_LEGACY, null);
        Set<Bdf> expected = new TreeSet<>();
        for (String b : new String[]{"00:00.0", "00:01.0", "01:00.0", "02:00.0", "02:01.0", "03:00.0", "00:1c.0", "05:00.0",
                "06:00.0", "06:01.0", "07:00.0"}) {
            expected.add(Bdf.parse("0000:" + b));
        }
        assertThat(r.dumpBdfs()).isEqualTo(expected);
        assertThat(InMemoryReplay.of(r.scenario()).hardwareBdfs()).isEqualTo(expected);
    }
}
