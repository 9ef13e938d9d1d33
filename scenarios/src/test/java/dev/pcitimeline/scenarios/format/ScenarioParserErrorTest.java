package dev.pcitimeline.scenarios.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Broken scenario files: each must fail with the right line, key and reason. */
class ScenarioParserErrorTest {

    private final ScenarioParser parser = new ScenarioParser();

    /** A valid file (lines 1-12) that the cases below break in one place. */
    private static final String HEAD = """
            scenario: t
            topology:
              - id: rp
                devfn: "1c.0"
                kind: root-port
                buses: [0, 5, 7]
                children:
                  - id: nic
                    devfn: "00.0"
                    kind: pcie-endpoint
            steps:
              - xen-boot
            """;

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                // ---- unknown keys, at every level ----
                arguments("unknown top-level key", HEAD + "author: me\n",
                        13, "author", "unknown key 'author'"),
                arguments("unknown key in a topology node", HEAD.replace("    kind: root-port\n", "    kind: root-port\n    colour: red\n"),
                        6, "topology[0].colour", "unknown key 'colour'"),
                arguments("unknown key in a child node", HEAD.replace("        kind: pcie-endpoint\n", "        kind: pcie-endpoint\n        vendor: 8086\n"),
                        11, "topology[0].children[0].vendor", "unknown key 'vendor'"),
                arguments("unknown key in sriov", HEAD.replace("        kind: pcie-endpoint\n",
                                "        kind: pcie-endpoint\n        sriov: {total-vfs: 7, vf-offset: 1, vf-stride: 1, vfs: 2}\n"),
                        11, "topology[0].children[0].sriov.vfs", "unknown key 'vfs'"),
                arguments("unknown key in step arguments", HEAD + "  - dom0-boot: {assign-buses: true}\n",
                        13, "steps[1].dom0-boot.assign-buses", "unknown key 'assign-buses'"),
                arguments("unknown key in expect", HEAD + "  - expect:\n      hung: false\n      pdev: []\n",
                        15, "steps[1].expect.pdev", "unknown key 'pdev'"),
                arguments("unknown key in a finding", HEAD + "  - expect: {findings: [{kind: BUS2BRIDGE_LOOP, buss: 6}]}\n",
                        13, "steps[1].expect.findings[0].buss", "unknown key 'buss'"),
                arguments("unknown key in a plugged function",
                        HEAD + "  - plug: {parent: rp, function: {id: x, devfn: \"01.0\", kind: pci-endpoint, irq: 5}}\n",
                        13, "steps[1].plug.function.irq", "unknown key 'irq'"),

                // ---- missing required keys ----
                arguments("missing scenario", "topology: []\nsteps: []\n",
                        1, "scenario", "missing required key 'scenario'"),
                arguments("missing topology", "scenario: t\nsteps: []\n",
                        1, "topology", "missing required key 'topology'"),
                arguments("missing steps", "scenario: t\ntopology: []\n",
                        1, "steps", "missing required key 'steps'"),
                arguments("missing id", HEAD.replace("  - id: nic\n        devfn", "  - devfn"),
                        8, "topology[0].children[0].id", "missing required key 'id'"),
                arguments("missing kind", HEAD.replace("    kind: root-port\n", ""),
                        3, "topology[0].kind", "missing required key 'kind'"),
                arguments("missing buses on a bridge", HEAD.replace("    buses: [0, 5, 7]\n", ""),
                        3, "topology[0].buses", "a root-port needs buses"),
                arguments("assign without domain", HEAD + "  - assign: {bdf: \"0000:05:00.0\"}\n",
                        13, "steps[1].assign.domain", "missing required key 'domain'"),

                // ---- bad values ----
                arguments("bad BDF", HEAD + "  - add: \"0000:06:0.0\"\n",
                        13, "steps[1].add", "'0000:06:0.0' is not a BDF"),
                arguments("device 0x20 in a BDF", HEAD + "  - dom0-remove: {bdf: \"0000:06:20.0\"}\n",
                        13, "steps[1].dom0-remove.bdf", "device 20 is out of range 00..1f"),
                arguments("bus 256 in buses", HEAD.replace("[0, 5, 7]", "[0, 256, 7]"),
                        6, "topology[0].buses[1]", "secondary 256 is out of range 0..255"),
                arguments("bus 256 in a step", HEAD + "  - dom0-rescan: {bus: 256}\n",
                        13, "steps[1].dom0-rescan.bus", "bus 256 is out of range 0..255"),
                arguments("bus 256 as a bus2bridge key", HEAD + "  - expect: {bus2bridge: {256: \"0000:05:00.0\"}}\n",
                        13, "steps[1].expect.bus2bridge.256", "bus 256 is out of range 0..255"),
                arguments("bad devfn", HEAD.replace("\"1c.0\"", "\"1c\""),
                        4, "topology[0].devfn", "'1c' is not a devfn"),
                arguments("devfn device out of range", HEAD.replace("\"1c.0\"", "\"20.0\""),
                        4, "topology[0].devfn", "device 32 is out of range"),
                arguments("bad kind", HEAD.replace("kind: pcie-endpoint", "kind: nvme"),
                        10, "topology[0].children[0].kind", "unknown kind 'nvme'"),
                arguments("bad scenario name", HEAD.replace("scenario: t", "scenario: Seed_Test"),
                        1, "scenario", "'Seed_Test' is not a scenario name"),
                arguments("bad id", HEAD.replace("id: nic", "id: NIC"),
                        8, "topology[0].children[0].id", "'NIC' is not a device id"),
                arguments("reserved id root", HEAD.replace("id: nic", "id: root"),
                        8, "topology[0].children[0].id", "'root' is reserved"),
                arguments("bad policy", "policy: xen-4.5\n" + HEAD,
                        1, "policy", "unknown policy 'xen-4.5'"),
                arguments("segment out of range", "segment: 65536\n" + HEAD,
                        1, "segment", "65536 is out of range 0..65535"),
                arguments("assign to domain 0", HEAD + "  - assign: {bdf: \"0000:05:00.0\", domain: 0}\n",
                        13, "steps[1].assign.domain", "domain 0 is not a guest"),
                arguments("bar2 wider than 32 bits", HEAD.replace("        kind: pcie-endpoint\n",
                                "        kind: pcie-endpoint\n        bar2: 0x100000000\n"),
                        11, "topology[0].children[0].bar2", "0x100000000 is out of range 0..4294967295"),
                arguments("more enabled VFs than total", HEAD.replace("        kind: pcie-endpoint\n",
                                "        kind: pcie-endpoint\n        sriov: {total-vfs: 2, vf-offset: 1, vf-stride: 1, enabled: 3}\n"),
                        11, "topology[0].children[0].sriov", "enabled 3 is out of range 0..total-vfs (2)"),
                arguments("bad finding kind", HEAD + "  - expect: {findings: [{kind: BUS2BRIDGE_LOOPS, bus: 6}]}\n",
                        13, "steps[1].expect.findings[0].kind", "unknown finding kind 'BUS2BRIDGE_LOOPS'"),
                arguments("finding with the wrong subject", HEAD + "  - expect: {findings: [{kind: PDEV_STALE, bus: 6}]}\n",
                        13, "steps[1].expect.findings[0].bus", "PDEV_STALE is about a function"),
                arguments("upstream result 1 without a bridge", HEAD + "  - expect: {upstream: {\"0000:06:00.0\": 1}}\n",
                        13, "steps[1].expect.upstream.0000:06:00.0", "expected -1, 0 or the bridge BDF"),
                arguments("bad outcome", HEAD + "  - expect: {outcome: ENOENT}\n",
                        13, "steps[1].expect.outcome", "unknown outcome 'ENOENT'"),
                arguments("outcome before the first step", "scenario: t\ntopology: []\nsteps:\n  - expect: {outcome: ok}\n",
                        4, "steps[0].expect.outcome", "no step comes before this expect"),
                arguments("pdev listed twice", HEAD + "  - expect:\n      pdevs: [\"0000:00:1c.0\",\n              \"0000:00:1c.0\"]\n",
                        15, "steps[1].expect.pdevs[1]", "0000:00:1c.0 is listed twice"),
                arguments("bad reporting", HEAD + "  - dom0-boot: {reporting: later}\n",
                        13, "steps[1].dom0-boot.reporting", "unknown reporting 'later'"),

                // ---- where keys may appear ----
                arguments("buses on an endpoint", HEAD.replace("        kind: pcie-endpoint\n", "        kind: pcie-endpoint\n        buses: [0, 0, 0]\n"),
                        11, "topology[0].children[0].buses", "buses are for bridges only, not a pcie-endpoint"),
                arguments("children on an endpoint", HEAD.replace("        kind: pcie-endpoint\n", "        kind: pcie-endpoint\n        children: []\n"),
                        11, "topology[0].children[0].children", "children are for bridges only"),
                arguments("bar2 on a bridge", HEAD.replace("    kind: root-port\n", "    kind: root-port\n    bar2: 0\n"),
                        6, "topology[0].bar2", "bar2 is for endpoints only, not a root-port"),
                arguments("sriov on a bridge", HEAD.replace("    kind: root-port\n", "    kind: root-port\n    sriov: {total-vfs: 1, vf-offset: 1, vf-stride: 1}\n"),
                        6, "topology[0].sriov", "sriov is for physical functions (endpoints) only"),
                arguments("bus below the top level", HEAD.replace("        kind: pcie-endpoint\n", "        kind: pcie-endpoint\n        bus: 5\n"),
                        11, "topology[0].children[0].bus", "bus is only for a function on a root bus"),
                arguments("bus on a function plugged under a bridge",
                        HEAD + "  - plug: {parent: rp, function: {id: x, devfn: \"01.0\", bus: 5, kind: pci-endpoint}}\n",
                        13, "steps[1].plug.function.bus", "bus is only for a function on a root bus"),
                arguments("duplicate id", HEAD + "  - plug: {parent: root, function: {id: x, devfn: \"01.0\", kind: root-port, buses: [0, 1, 1],\n"
                                + "             children: [{id: x, devfn: \"00.0\", kind: pci-endpoint}]}}\n",
                        14, "steps[1].plug.function.children[0].id", "duplicate id 'x' (first on line 13)"),
                arguments("duplicate id in the topology", HEAD.replace("steps:\n",
                                "  - {id: nic, devfn: \"02.0\", kind: pci-endpoint}\nsteps:\n"),
                        11, "topology[1].id", "duplicate id 'nic' (first on line 8)"),
                arguments("two functions at one devfn", HEAD.replace("steps:\n",
                                "  - {id: nic2, devfn: \"1c.0\", kind: pci-endpoint}\nsteps:\n"),
                        11, "topology[1].devfn", "devfn 1c.0 on this bus is already taken by 'rp' (line 4)"),

                // ---- YAML structure and types ----
                arguments("duplicate key", HEAD.replace("    kind: root-port\n", "    kind: root-port\n    kind: pci-bridge\n"),
                        6, "topology[0].kind", "duplicate key 'kind' (first on line 5)"),
                arguments("topology is a map", "scenario: t\ntopology: {id: rp}\nsteps: []\n",
                        2, "topology", "expected a list of functions, got a map"),
                arguments("steps is a string", "scenario: t\ntopology: []\nsteps: xen-boot\n",
                        3, "steps", "expected a list of steps, got a string 'xen-boot'"),
                arguments("a string for a number", HEAD + "  - dom0-rescan: {bus: \"6\"}\n",
                        13, "steps[1].dom0-rescan.bus", "expected an integer, got a string '6'"),
                arguments("a boolean for a number", HEAD + "  - assign: {bdf: \"0000:05:00.0\", domain: true}\n",
                        13, "steps[1].assign.domain", "expected an integer, got a boolean true"),
                arguments("a string for a boolean", HEAD + "  - unplug: {device: nic, surprise: \"true\"}\n",
                        13, "steps[1].unplug.surprise", "expected true or false, got a string 'true'"),
                arguments("a list for a map", HEAD + "  - dom0-boot: [assign-busses]\n",
                        13, "steps[1].dom0-boot", "expected a map of arguments (usage: dom0-boot or dom0-boot: {assign-busses: true, reporting: discovery}), got a list"),
                arguments("a float for a number", HEAD + "  - enable-sriov: {pf: nic, vfs: 7.0}\n",
                        13, "steps[1].enable-sriov.vfs", "expected an integer, got a number 7.0"),
                arguments("buses with two numbers", HEAD.replace("[0, 5, 7]", "[5, 7]"),
                        6, "topology[0].buses", "expected [primary, secondary, subordinate], got 2 numbers"),
                arguments("empty id", HEAD.replace("id: nic", "id:"),
                        8, "topology[0].children[0].id", "'' is not a device id"),
                arguments("null id", HEAD.replace("id: nic", "id: ~"),
                        8, "topology[0].children[0].id", "expected a string, got an empty value"),

                // ---- step forms ----
                arguments("step map with two keys", HEAD + "  - unplug: {device: nic}\n    surprise: true\n",
                        14, "steps[1].surprise", "a step map has exactly one key"),
                arguments("unknown step", HEAD + "  - xen-shutdown\n",
                        13, "steps[1]", "unknown step 'xen-shutdown'"),
                arguments("unknown step with arguments", HEAD + "  - hotplug: {device: nic}\n",
                        13, "steps[1].hotplug", "unknown step 'hotplug'"),
                arguments("bare step that needs arguments", HEAD + "  - add\n",
                        13, "steps[1]", "step 'add' needs arguments"),
                arguments("arguments for a bare step", HEAD + "  - xen-boot: {}\n",
                        13, "steps[1].xen-boot", "xen-boot takes no arguments"),
                arguments("remove in map form", HEAD + "  - remove: {bdf: \"0000:06:00.0\"}\n",
                        13, "steps[1].remove", "expected a BDF (SSSS:BB:DD.F), got a map"),
                arguments("empty step map", HEAD + "  - {}\n",
                        13, "steps[1]", "got an empty map"),
                arguments("a number as a step", HEAD + "  - 5\n",
                        13, "steps[1]", "expected a step"),
                arguments("bare expect", HEAD + "  - expect\n",
                        13, "steps[1]", "step 'expect' needs arguments"),
                arguments("segment mismatch in a BDF", "segment: 1\n" + HEAD + "  - add: {bdf: \"0001:06:00.0\", virtfn-of: \"0000:05:00.0\"}\n",
                        14, "steps[1].add.virtfn-of", "0000:05:00.0 is in segment 0000, but the scenario's segment is 0001"),
                arguments("segment mismatch in an expect key", HEAD + "  - expect: {contexts: {\"0002:06:00.0\": 0}}\n",
                        13, "steps[1].expect.contexts.0002:06:00.0", "is in segment 0002"),

                // ---- documents ----
                arguments("empty file", "", 1, "", "the file is empty"),
                arguments("only comments", "# nothing here\n\n", 1, "", "the file is empty"),
                arguments("top-level list", "- scenario: t\n", 1, "", "expected a scenario (a map with the keys scenario, topology and steps), got a list"),
                arguments("top-level string", "hello\n", 1, "", "got a string 'hello'"),
                arguments("malformed YAML", "scenario: t\ntopology: [\n  {id: a\nsteps: []\n", 4, "topology[0]", "malformed YAML"),
                arguments("tab indentation", "scenario: t\ntopology:\n\t- id: a\n", 3, "topology", "malformed YAML"),
                arguments("two documents", "scenario: t\ntopology: []\nsteps: []\n---\nscenario: u\n", 5, "", "found a second one"),
                arguments("YAML alias bomb", HEAD + """
                                description: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
                                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
                                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
                                d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]
                                """,
                        13, "description", "YAML anchors (&a) are not allowed"),
                arguments("YAML alias", HEAD + "  - *step\n", 13, "steps[1]", "YAML aliases (*step) are not allowed"),
                arguments("YAML tag", HEAD.replace("kind: root-port", "kind: !!str root-port"),
                        5, "topology[0].kind", "YAML tags ('tag:yaml.org,2002:str') are not allowed"),
                arguments("nesting too deep", "scenario: t\ntopology: []\nsteps: []\ndescription: " + "[".repeat(120) + "]".repeat(120) + "\n",
                        4, "description" + "[0]".repeat(99), "nested deeper than 100 levels"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void aBrokenFileIsRejectedNamingLineAndKey(String name, String yaml, int line, String key, String reason) {
        assertThatThrownBy(() -> parser.parse("broken.yaml", yaml))
                .isInstanceOfSatisfying(ScenarioException.class, e -> {
                    assertThat(e.file()).isEqualTo("broken.yaml");
                    assertThat(e.reason()).contains(reason);
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith("broken.yaml:" + line + ": ");
                });
    }

    @Test
    void theBaseOfTheBrokenCasesIsValid() {
        assertThat(parser.parse("base.yaml", HEAD).steps()).hasSize(1);
    }

    @Test
    void aHugeDocumentIsRejected() {
        String huge = "scenario: t\ntopology: []\nsteps: []\ndescription: '" + "x".repeat(YamlTree.MAX_CODE_POINTS) + "'\n";
        assertThatThrownBy(() -> parser.parse("huge.yaml", huge))
                .isInstanceOfSatisfying(ScenarioException.class,
                        e -> assertThat(e.reason()).contains("exceeds the limit"));
    }
}
