package dev.pcitimeline.scenarios.format;

import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static dev.pcitimeline.domain.value.DeviceKind.HOST_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_TO_PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.ROOT_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioParserTest {

    private final ScenarioParser parser = new ScenarioParser();

    private static Bdf bdf(String text) {
        return Bdf.parse(text);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ScenarioParserTest.class.getResourceAsStream("/format/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** SCENARIOS.md's topology, built by hand. */
    private static List<FunctionSpec> exampleTopology() {
        FunctionSpec nicOld = FunctionSpec.endpoint("nic-old", "00.0", PCI_ENDPOINT);
        FunctionSpec pcibr = FunctionSpec.bridge("pcibr", "01.0", PCI_BRIDGE, 6, 7, 7, nicOld);
        FunctionSpec tundra = FunctionSpec.bridge("tundra", "00.0", PCIE_TO_PCI_BRIDGE, 5, 6, 7, pcibr);
        FunctionSpec rp3 = FunctionSpec.bridge("rp3", "1c.0", ROOT_PORT, 0, 5, 7, tundra).onRootBus(0);
        FunctionSpec igb0 = FunctionSpec.endpoint("igb0", "02.0", PCIE_ENDPOINT)
                .withBar2(0xf1500000L)
                .withSriov(new SriovSpec(7, 384, 2, 0));
        return List.of(rp3, igb0);
    }

    /** SCENARIOS.md's step list, in order. */
    private static List<Step> exampleSteps() {
        return List.of(
                new Step.XenBoot(),
                new Step.Dom0Boot(true, Step.Reporting.DISCOVERY),
                new Step.Dom0Remove(bdf("0000:07:01.0")),
                new Step.Dom0Rescan(6),
                new Step.LinuxAssignBusses(),
                new Step.WriteBridgeBuses("tundra", 5, 6, 8),
                new Step.EnableSriov("igb0", 7),
                new Step.DisableSriov("igb0"),
                new Step.Add(bdf("0000:06:00.0"), null),
                new Step.Add(bdf("0000:03:10.0"), bdf("0000:02:00.0")),
                new Step.Remove(bdf("0000:06:00.0")),
                new Step.Dom0ReportAll(false),
                new Step.Dom0ReportAll(true),
                new Step.Assign(bdf("0000:07:00.0"), DomainId.of(1)),
                new Step.Deassign(bdf("0000:07:00.0")),
                new Step.Unplug("pcibr", false),
                new Step.Unplug("pcibr", true),
                new Step.Plug("tundra", FunctionSpec.endpoint("nic2", "02.0", PCI_ENDPOINT)),
                new Step.Reboot());
    }

    /** The expect block of SCENARIOS.md, at {@code line}. */
    private static Expectation exampleExpectation(int line) {
        TreeMap<Integer, Bdf> bus2bridge = new TreeMap<>(Map.of(6, bdf("0000:06:00.0"), 8, bdf("0000:07:01.0")));
        return new Expectation(line, Outcome.ENODEV, bus2bridge,
                List.of(bdf("0000:00:1c.0"), bdf("0000:05:00.0")),
                Map.of(bdf("0000:07:00.0"), UpstreamExpectation.loop(),
                        bdf("0000:06:01.0"), UpstreamExpectation.bridge(bdf("0000:05:00.0")),
                        bdf("0000:00:02.0"), UpstreamExpectation.none()),
                Map.of(bdf("0000:06:01.0"), 0, bdf("0000:05:00.0"), 1),
                List.of(new ExpectedFinding(ExpectedFinding.Kind.BUS2BRIDGE_LOOP, 6, null)),
                false, Policy.FIX_INVALIDATE_LOOP);
    }

    @Test
    void theFullExampleOfTheSpecParsesToTheExpectedObjects() throws IOException {
        Scenario s = parser.parse("full-example.yaml", resource("full-example.yaml"));

        assertThat(s.name()).isEqualTo("seed-assign-busses");
        assertThat(s.description()).isEqualTo("free text");
        assertThat(s.policy()).isEqualTo(Policy.XEN_4_4);
        assertThat(s.segment()).isZero();
        assertThat(s.source()).isEqualTo("full-example.yaml");
        assertThat(s.topology()).isEqualTo(exampleTopology());
        assertThat(s.initialExpectations()).isEmpty();

        assertThat(s.steps()).extracting(ScenarioStep::step).isEqualTo(exampleSteps());
        assertThat(s.steps()).extracting(ScenarioStep::index).isEqualTo(IntStream.range(0, 19).boxed().toList());
        // The list starts on line 25, one step per line.
        assertThat(s.steps()).extracting(ScenarioStep::line).isEqualTo(IntStream.range(25, 44).boxed().toList());

        ScenarioStep reboot = s.steps().get(18);
        assertThat(reboot.expectations()).containsExactly(exampleExpectation(44));
        assertThat(s.steps().subList(0, 18)).allSatisfy(step -> assertThat(step.expectations()).isEmpty());
    }

    @Test
    void theSameScenarioInJsonParsesToTheSameObjects() throws IOException {
        Scenario yaml = parser.parse("full-example.yaml", resource("full-example.yaml"));
        Scenario json = parser.parse("full-example.json", resource("full-example.json"));

        assertThat(json.name()).isEqualTo(yaml.name());
        assertThat(json.description()).isEqualTo(yaml.description());
        assertThat(json.policy()).isEqualTo(yaml.policy());
        assertThat(json.topology()).isEqualTo(yaml.topology());
        assertThat(json.steps()).extracting(ScenarioStep::step).isEqualTo(exampleSteps());
        ScenarioStep last = json.steps().get(18);
        assertThat(last.expectations()).containsExactly(exampleExpectation(last.expectations().get(0).line()));
    }

    @Test
    void parsesAFileFromDiskNamingItByItsFileName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("from-disk.yaml");
        Files.writeString(file, resource("full-example.yaml"));

        assertThat(parser.parse(file).source()).isEqualTo("from-disk.yaml");
    }

    @Test
    void aMissingFileIsAScenarioException(@TempDir Path dir) {
        assertThatThrownBy(() -> parser.parse(dir.resolve("nope.yaml")))
                .isInstanceOfSatisfying(ScenarioException.class, e -> {
                    assertThat(e.file()).isEqualTo("nope.yaml");
                    assertThat(e.line()).isZero();
                    assertThat(e.reason()).startsWith("cannot read the file");
                });
    }

    @Test
    void defaultsApplyWhenOptionalKeysAreAbsent() {
        Scenario s = parser.parse(null, """
                scenario: minimal
                topology: []
                steps: []
                """);

        assertThat(s.source()).isEqualTo("<request>");
        assertThat(s.description()).isNull();
        assertThat(s.policy()).isEqualTo(Policy.XEN_4_4);
        assertThat(s.segment()).isZero();
        assertThat(s.topology()).isEmpty();
        assertThat(s.steps()).isEmpty();
    }

    @Test
    void topologyDefaultsAndRootBuses() {
        Scenario s = parser.parse("t.yaml", """
                scenario: two-roots
                policy: fix-remember-range
                topology:
                  - {id: hb, devfn: "00.0", kind: host-bridge}
                  - {id: nic, devfn: 00.0, bus: 0x80, kind: pci-endpoint}
                  - {id: vf-pf, devfn: "1f.7", kind: pcie-endpoint, sriov: {total-vfs: 2, vf-offset: 1, vf-stride: 1}}
                  - {id: rp, devfn: "01.0", kind: root-port, buses: [0, 1, 1], children: []}
                steps: []
                """);

        assertThat(s.policy()).isEqualTo(Policy.FIX_REMEMBER_RANGE);
        assertThat(s.topology()).containsExactly(
                FunctionSpec.endpoint("hb", "00.0", HOST_BRIDGE),
                // An unquoted 00.0 is a YAML number; the parser keeps what the file says.
                FunctionSpec.endpoint("nic", "00.0", PCI_ENDPOINT).onRootBus(0x80),
                FunctionSpec.endpoint("vf-pf", "1f.7", PCIE_ENDPOINT).withSriov(new SriovSpec(2, 1, 1, 0)),
                FunctionSpec.bridge("rp", "01.0", ROOT_PORT, 0, 1, 1));
    }

    @Test
    void alternativeStepFormsAndDefaults() {
        Scenario s = parser.parse("t.yaml", """
                scenario: forms
                segment: 2
                topology: []
                steps:
                  - dom0-boot
                  - dom0-boot: {}
                  - dom0-boot: {reporting: after-scan}
                  - dom0-report-all: {}
                  - add: {bdf: "0002:06:00.0"}
                  - add: 0002:06:00.1
                  - write-bridge-buses: {bridge: tundra, subordinate: 0xff}
                  - write-bridge-buses: {bridge: tundra}
                  - enable-sriov: {pf: igb0, vfs: 0}
                  - assign: {bdf: "0002:07:00.0", domain: 32751}
                  - unplug: {device: pcibr, surprise: false}
                  - plug:
                      parent: root
                      function:
                        id: rp9
                        devfn: "09.0"
                        bus: 0x40
                        kind: root-port
                        buses: [0x40, 0x41, 0x41]
                        children:
                          - {id: nic9, devfn: "00.0", kind: pcie-endpoint, bar2: 4294967295}
                """);

        assertThat(s.segment()).isEqualTo(2);
        assertThat(s.steps()).extracting(ScenarioStep::step).containsExactly(
                new Step.Dom0Boot(false, Step.Reporting.DISCOVERY),
                new Step.Dom0Boot(false, Step.Reporting.DISCOVERY),
                new Step.Dom0Boot(false, Step.Reporting.AFTER_SCAN),
                new Step.Dom0ReportAll(false),
                new Step.Add(bdf("0002:06:00.0"), null),
                new Step.Add(bdf("0002:06:00.1"), null),
                new Step.WriteBridgeBuses("tundra", null, null, 0xff),
                new Step.WriteBridgeBuses("tundra", null, null, null),
                new Step.EnableSriov("igb0", 0),
                new Step.Assign(bdf("0002:07:00.0"), DomainId.of(32751)),
                new Step.Unplug("pcibr", false),
                new Step.Plug("root", FunctionSpec.bridge("rp9", "09.0", ROOT_PORT, 0x40, 0x41, 0x41,
                                FunctionSpec.endpoint("nic9", "00.0", PCIE_ENDPOINT).withBar2(0xffffffffL))
                        .onRootBus(0x40)));
        assertThat(s.steps().get(11).line()).isEqualTo(16);
    }

    @Test
    void expectationsAttachToTheStepBeforeThemAndTakeNoNumber() {
        Scenario s = parser.parse("t.yaml", """
                scenario: expects
                topology: []
                steps:
                  - expect: {pdevs: [], hung: false}
                  - xen-boot
                  - expect: {outcome: ok}
                  - expect: {bus2bridge: {}, findings: [{kind: XEN_HUNG}, {kind: PDEV_STALE, bdf: "0000:01:00.0"}]}
                  - reboot
                  - expect: {outcome: HUNG, hung: true, contexts: {}, upstream: {}}
                """);

        assertThat(s.initialExpectations()).containsExactly(
                new Expectation(4, null, null, List.of(), null, null, null, false, null));
        assertThat(s.steps()).hasSize(2);
        assertThat(s.steps().get(0).index()).isZero();
        assertThat(s.steps().get(0).expectations()).containsExactly(
                new Expectation(6, Outcome.OK, null, null, null, null, null, null, null),
                new Expectation(7, null, new TreeMap<>(), null, null, null, List.of(
                        new ExpectedFinding(ExpectedFinding.Kind.XEN_HUNG, null, null),
                        new ExpectedFinding(ExpectedFinding.Kind.PDEV_STALE, null, bdf("0000:01:00.0"))),
                        null, null));
        assertThat(s.steps().get(1).index()).isEqualTo(1);
        assertThat(s.steps().get(1).line()).isEqualTo(8);
        assertThat(s.steps().get(1).expectations()).containsExactly(
                new Expectation(9, Outcome.HUNG, null, null, Map.of(), Map.of(), null, true, null));
    }

    @Test
    void aFindingWithoutSubjectMatchesAnyAndBusKeysMayBeHex() {
        Scenario s = parser.parse("t.yaml", """
                scenario: findings
                topology: []
                steps:
                  - xen-boot
                  - expect:
                      findings: [{kind: BUS2BRIDGE_SELF}, {kind: DECODE_CONFLICT, bus: 0x10}]
                      bus2bridge: {0x06: "0000:06:00.0", "255": "0000:07:00.0"}
                """);

        Expectation e = s.steps().get(0).expectations().get(0);
        assertThat(e.findings()).containsExactly(
                new ExpectedFinding(ExpectedFinding.Kind.BUS2BRIDGE_SELF, null, null),
                new ExpectedFinding(ExpectedFinding.Kind.DECODE_CONFLICT, 0x10, null));
        assertThat(e.bus2bridge()).containsExactly(
                Map.entry(6, bdf("0000:06:00.0")), Map.entry(255, bdf("0000:07:00.0")));
    }

    @Test
    void parseStepReadsOneStepInJson() {
        assertThat(parser.parseStep(null, "\"xen-boot\"", 0).step()).isEqualTo(new Step.XenBoot());
        assertThat(parser.parseStep(null, "{\"add\": \"0000:06:00.0\"}", 0).step())
                .isEqualTo(new Step.Add(bdf("0000:06:00.0"), null));
        assertThat(parser.parseStep(null, "{\"assign\": {\"bdf\": \"0003:07:00.0\", \"domain\": 2}}", 3).step())
                .isEqualTo(new Step.Assign(bdf("0003:07:00.0"), DomainId.of(2)));
        ScenarioStep plug = parser.parseStep(null,
                "{\"plug\": {\"parent\": \"root\", \"function\": {\"id\": \"x\", \"devfn\": \"03.0\", \"bus\": 0, \"kind\": \"pci-endpoint\"}}}", 0);
        assertThat(plug.step()).isEqualTo(new Step.Plug("root", FunctionSpec.endpoint("x", "03.0", PCI_ENDPOINT).onRootBus(0)));
        assertThat(plug.index()).isZero();
        assertThat(plug.expectations()).isEmpty();
    }

    @Test
    void parseStepRefusesWhatIsNotAStep() {
        assertThatThrownBy(() -> parser.parseStep(null, "{\"expect\": {\"hung\": true}}", 0))
                .isInstanceOfSatisfying(ScenarioException.class, e -> {
                    assertThat(e.file()).isEqualTo("<request>");
                    assertThat(e.key()).isEqualTo("expect");
                    assertThat(e.reason()).contains("expect is not a step");
                });
        assertThatThrownBy(() -> parser.parseStep(null, "{\"add\": \"0000:06:00.0\"}", 1))
                .isInstanceOfSatisfying(ScenarioException.class, e -> {
                    assertThat(e.key()).isEqualTo("add");
                    assertThat(e.reason()).contains("segment 0000").contains("segment is 0001");
                });
        assertThatThrownBy(() -> parser.parseStep(null, "{\"remove\": \"0000:06:00.0\", \"add\": \"0000:06:00.0\"}", 0))
                .isInstanceOfSatisfying(ScenarioException.class, e -> assertThat(e.key()).isEqualTo("add"));
        assertThatThrownBy(() -> parser.parseStep(null, "", 0))
                .isInstanceOfSatisfying(ScenarioException.class, e -> assertThat(e.reason()).startsWith("empty"));
        assertThatThrownBy(() -> parser.parseStep(null, "\"xen-boot\"", 65536))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMessageNamesFileLineAndKey() {
        assertThatThrownBy(() -> parser.parse("seed.yaml", """
                scenario: t
                topology: []
                steps:
                  - xen-boot
                  - add: "0000:06:20.0"
                """))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("seed.yaml:5: steps[1].add: '0000:06:20.0': device 20 is out of range 00..1f");
    }
}
