package dev.pcitimeline.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pcitimeline.domain.machine.HistoryLandmarks;
import dev.pcitimeline.domain.xen.Bus2BridgeWriteCause;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pci-timeline audit} run in-process on report-exact-table (scenarios/library/report-exact-table.yaml,
 * whose comments show the arithmetic). Its history: step 0 xen-boot (events 3..12: alloc 05:00.0 at 10, 06:01.0
 * at 11), step 1 dom0-boot with assign-busses (14..51: tundra reported at 06:00.0 at 42 with its firmware
 * 05/06/07, pcibr at 07:01.0 at 46), step 2 dom0-report-all remove-first (53..68: remove/add 06:00.0 at 65/66,
 * 07:01.0 at 67/68).
 */
class AuditCommandTest {
    private static final String TOPOLOGY = """
            scenario: report-exact-table
            description: the exact bus2bridge table of the original xen-devel report
            policy: xen-4.4
            topology:
              - id: rp1
                devfn: "01.0"
                kind: root-port
                buses: [0, 1, 4]
                children:
                  - id: usp
                    devfn: "00.0"
                    kind: upstream-port
                    buses: [1, 2, 4]
                    children:
                      - id: dsp1
                        devfn: "00.0"
                        kind: downstream-port
                        buses: [2, 3, 3]
                        children:
                          - id: igb
                            devfn: "00.0"
                            kind: pcie-endpoint
                            sriov: {total-vfs: 7, vf-offset: 384, vf-stride: 2, enabled: 0}
                      - id: dsp2
                        devfn: "01.0"
                        kind: downstream-port
                        buses: [2, 4, 4]
              - id: rp3
                devfn: "1c.0"
                kind: root-port
                buses: [0, 5, 7]
                children:
                  - id: tundra
                    devfn: "00.0"
                    kind: pcie-to-pci-bridge
                    buses: [5, 6, 7]
                    children:
                      - id: pcibr
                        devfn: "01.0"
                        kind: pci-bridge
                        buses: [6, 7, 7]
            """;

    /** The expectation after xen-boot holds under every policy: nothing has been renumbered yet. */
    private static final String STEPS = """
            steps:
              - xen-boot
              - expect:
                  bus2bridge: {6: "0000:05:00.0", 7: "0000:06:01.0"}
              - dom0-boot: {assign-busses: true, reporting: discovery}
              - dom0-report-all: {remove-first: true}
            """;

    @TempDir
    static Path dir;
    static Path table;
    static Path failing;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void files() throws IOException {
        // Axon prints an advertisement on stdout unless told not to (main does the same); stdout is the output.
        System.setProperty("disable-axoniq-console-message", "true");
        table = Files.writeString(dir.resolve("report-exact-table.yaml"), TOPOLOGY + STEPS);
        failing = Files.writeString(dir.resolve("wrong-expectation.yaml"), TOPOLOGY + """
                steps:
                  - xen-boot
                  - expect:
                      bus2bridge: {6: "0000:06:00.0"}
                """);
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = PciTimelineCommand.commandLine().execute(args);
            System.out.flush();
            System.err.flush();
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void bus_audit_as_text() {
        Run r = run("audit", table.toString(), "--bus", "6");

        assertThat(r.exit()).as(r.err()).isZero();
        // where things happened, by meaning: the end, and alloc_pdev's two fills of entry 6 (boot scan, dom0's report)
        HistoryLandmarks at = new ScenarioParser().parse(table).landmarks();
        long end = at.lastEvent();
        long bootFill = at.write(6, Bus2BridgeWriteCause.Rule.ALLOC_FILL, 0);
        long reportFill = at.write(6, Bus2BridgeWriteCause.Rule.ALLOC_FILL, 1);
        assertThat(r.out()).startsWith("== bus2bridge[06] (bus 6) of report-exact-table");
        assertThat(r.out()).contains("after event " + end + ", step 2",
                "bus2bridge[06] after event " + end + " under xen-4.4: 06:00.0; a fresh boot on this hardware gives unmapped",
                "BUS2BRIDGE_SELF since event " + reportFill);
        // the table: one row per write, then one explanation per write with the reads behind it
        assertThat(r.out()).containsPattern("\\n  " + bootFill + " +0 +alloc_pdev 0000:05:00.0 \\(boot scan\\) +alloc_pdev fill +unmapped +05:00.0 +ok\\n");
        assertThat(r.out()).containsPattern("\\n  " + reportFill + " +1 +PHYSDEVOP_pci_device_add 0000:06:00.0 +alloc_pdev fill +05:00.0 +06:00.0 +ok\\n");
        assertThat(r.out()).contains("  event 42: dom0 reported 06:00.0 (tundra) at discovery during step 1 dom0-boot"
                + " while its registers still held the firmware values 05/06/07",
                "    Xen read at 06:00.0: class=0604 (tundra), secondary=06 (tundra), subordinate=07 (tundra)");
        assertThat(r.err()).contains("1 expectations held, 0 failed");
    }

    @Test
    void bus_audit_as_json_with_a_hex_bus() throws Exception {
        Run r = run("audit", table.toString(), "--bus", "0x07", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(r.out());
        assertThat(a.get("bus").asInt()).isEqualTo(7);
        assertThat(a.get("policy").asText()).isEqualTo("xen-4.4");
        assertThat(a.get("event").asLong()).isEqualTo(68);
        assertThat(a.get("current").toString()).isEqualTo("{\"mapped\":true,\"bridge\":\"0000:06:00.0\"}");
        JsonNode writes = a.get("writes");
        assertThat(writes.size()).isEqualTo(5);
        JsonNode free = writes.get(4);
        assertThat(free.get("event").asLong()).isEqualTo(65);
        assertThat(free.get("rule").asText()).isEqualTo("free_pdev copy");
        assertThat(free.get("operation").asText()).isEqualTo("PHYSDEVOP_pci_device_remove 0000:06:00.0");
        assertThat(free.get("before").get("bridge").asText()).isEqualTo("0000:07:01.0");
        assertThat(free.get("after").get("bridge").asText()).isEqualTo("0000:06:00.0");
        assertThat(free.get("reads").get(1).toString()).isEqualTo(
                "{\"at\":\"0000:06:00.0\",\"register\":\"subordinate\",\"value\":8,\"answeredBy\":\"tundra\"}");
        assertThat(free.get("explanation").asText()).contains("(07..08, the renumbered bridge)",
                "entries of the range it was added with (06..07, at event 42) outside 07..08 are never cleared");
    }

    /** Under fix-invalidate-loop the boot pdev of the Tundra has the same life: policies change bus2bridge only. */
    @Test
    void pdev_audit_as_json_under_another_policy() throws Exception {
        Run r = run("audit", table.toString(), "--bdf", "0000:05:00.0", "--policy", "fix-invalidate-loop", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(r.out());
        assertThat(a.get("policy").asText()).isEqualTo("fix-invalidate-loop");
        assertThat(a.get("bdf").asText()).isEqualTo("0000:05:00.0");
        assertThat(a.get("current").get("type").asText()).isEqualTo("PCIe2PCI_BRIDGE");
        assertThat(a.get("current").get("allocatedFor").asText()).isEqualTo("tundra");
        assertThat(a.get("answersNow").isNull()).isTrue();
        assertThat(a.get("stale").asBoolean()).isTrue();
        // pass 0 zeroed rp3 at event 20: bus 5 reaches nothing since
        assertThat(a.get("staleBecause").asText()).startsWith("allocated for tundra at event 10 (step 0 xen-boot);"
                + " since event 20 (step 1 dom0-boot: config write 0000:00:1c.0 (rp3)");
        assertThat(a.get("history").findValuesAsText("what")).containsExactly("allocated", "owner", "answer");
    }

    @Test
    void pdev_audit_as_text_at_an_event() {
        Run r = run("audit", table.toString(), "--bdf", "0000:06:00.0", "--at-event", "64");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("== pdev 0000:06:00.0 of report-exact-table");
        assertThat(r.out()).contains("after event 64, step 2", "a PCIe2PCI_BRIDGE pdev owned by d0, allocated for tundra"
                + " at event 42", "now tundra (pcie-to-pci-bridge) answers at 06:00.0");
        assertThat(r.out()).containsPattern("\\n  42 +1 +PHYSDEVOP_pci_device_add 0000:06:00.0 +allocated +ok\\n");
        assertThat(r.out()).doesNotContain("removed");
    }

    @Test
    void a_failed_expectation_exits_1_and_still_prints_the_audit() {
        Run r = run("audit", failing.toString(), "--bus", "6");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("FAILED");
        assertThat(r.out()).contains("bus2bridge[06] after event 12 under xen-4.4: 05:00.0");
    }

    @Test
    void an_event_out_of_range_exits_2() {
        Run r = run("audit", table.toString(), "--bus", "6", "--at-event", "69");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("at-event 69 is out of range", "1..68");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void usage_errors_exit_2_naming_the_option() {
        Run bus = run("audit", table.toString(), "--bus", "256");
        assertThat(bus.exit()).isEqualTo(2);
        assertThat(bus.err()).contains("--bus", "256 is out of range 0..255");
        assertThat(bus.out()).isEmpty();

        Run notANumber = run("audit", table.toString(), "--bus", "six");
        assertThat(notANumber.exit()).isEqualTo(2);
        assertThat(notANumber.err()).contains("--bus", "'six' is not a bus number");

        Run bdf = run("audit", table.toString(), "--bdf", "0000:5:00.0");
        assertThat(bdf.exit()).isEqualTo(2);
        assertThat(bdf.err()).contains("--bdf", "'0000:5:00.0' is not a BDF");

        Run both = run("audit", table.toString(), "--bus", "6", "--bdf", "0000:05:00.0");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");

        Run neither = run("audit", table.toString());
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("--bus", "--bdf");

        Run policy = run("audit", table.toString(), "--bus", "6", "--policy", "xen-9");
        assertThat(policy.exit()).isEqualTo(2);
        assertThat(policy.err()).contains("--policy", "unknown policy 'xen-9'");
    }

    @Test
    void an_invalid_file_exits_2_with_file_line_and_key() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), TOPOLOGY.replace("kind: pci-bridge", "kind: pci-brdige")
                + STEPS);
        Run r = run("audit", bad.toString(), "--bus", "6", "--json");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("invalid scenario", "bad.yaml");
        JsonNode error = new ObjectMapper().readTree(r.out());
        assertThat(error.get("error").get("line").asInt()).isPositive();
        assertThat(error.get("error").get("key").asText()).contains("kind");
    }

    @Test
    void help() {
        Run r = run("audit", "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: pci-timeline audit", "FILE", "--bus=N", "--bdf=BDF", "--policy=P",
                "--at-event=N", "--json", "Exit status:");
        assertThat(run("--help").out()).contains("audit");
    }
}
