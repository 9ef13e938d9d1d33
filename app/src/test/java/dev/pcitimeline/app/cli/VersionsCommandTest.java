package dev.pcitimeline.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pcitimeline.domain.value.Policy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pci-timeline versions} on the library's report-exact-table (scenarios/library/report-exact-table.yaml, whose
 * comments work out each step from XEN-MODEL.md). Its history (event numbers as AuditCommandTest gives them): step 0
 * xen-boot, step 1 dom0-boot with assign-busses at discovery (the Tundra reported at 06:00.0 at event 42, then
 * Linux's pass-0 write of its registers, 0/0/0, at 43 and its 6/7/ff at 44), step 2 dom0-report-all remove-first
 * (remove/add 06:00.0 at 65/66).
 */
class VersionsCommandTest {
    static final Path TABLE = Path.of("../scenarios/library/report-exact-table.yaml");

    static CliRun json;

    @BeforeAll
    static void runOnce() {
        json = CliRun.of("versions", TABLE.toString(), "--json");
    }

    static JsonNode rows() throws IOException {
        return new ObjectMapper().readTree(json.out());
    }

    @Test
    void one_object_keyed_by_every_policy_in_the_models_order() throws IOException {
        assertThat(json.exit()).as(json.err()).isZero();
        List<String> keys = new ArrayList<>();
        rows().fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isEqualTo(Arrays.stream(Policy.values()).map(Policy::text).toList());
        assertThat(keys).contains("xen-4.4", "fix-invalidate-loop", "fix-trap-bus-writes", "fix-remember-range");
    }

    @Test
    void the_fixes_are_never_released_and_xen_4_4_is() throws IOException {
        JsonNode rows = rows();
        assertThat(rows.get("xen-4.4").get("released").asBoolean()).isTrue();
        for (String fix : List.of("fix-invalidate-loop", "fix-trap-bus-writes", "fix-remember-range")) {
            assertThat(rows.get(fix).get("released").asBoolean()).as(fix).isFalse();
        }
    }

    /**
     * xen-4.4 at the end: bus2bridge {6, 7: 06:00.0, 8: 07:01.0} against a fresh boot's {7: 06:00.0, 8: 07:01.0}.
     * Loops from 6 (itself), 7 (-> bus 6) and 8 (-> 7 -> 6); only 6 points at its own bus; only 6 differs from a
     * fresh boot. The boot pdevs 05:00.0 and 06:01.0 answer nothing. Every pdev is dom0's and only igb (03:00.0,
     * the one PCIe endpoint) has a context entry: 9 of the 10 miss their own RID.
     */
    @Test
    void xen_4_4_is_the_baseline_with_the_reports_findings() throws IOException {
        JsonNode r = rows().get("xen-4.4");
        assertThat(r.get("hung").asBoolean()).isFalse();
        assertThat(r.get("hungStep").isNull()).isTrue();
        assertThat(r.get("outcomes")).isEmpty();
        assertThat(r.get("departsAtEvent").isNull()).isTrue();
        assertThat(counts(r)).isEqualTo(Map.of("BUS2BRIDGE_LOOP", 3, "BUS2BRIDGE_SELF", 1, "BUS2BRIDGE_STALE", 1,
                "PDEV_STALE", 2, "CONTEXT_MISSING", 9));
    }

    /**
     * fix-invalidate-loop changes free_pdev only; the first free_pdev of a pdev whose bus has a mapped entry is the
     * removal of 06:00.0 (event 65): entry 6 loops and is cleared. At the end {7: 06:00.0, 8: 07:01.0} is a fresh
     * boot's table: no bus2bridge finding remains. Removing a bridge returns 0 under both.
     */
    @Test
    void fix_invalidate_loop_departs_at_the_tundras_removal() throws IOException {
        JsonNode r = rows().get("fix-invalidate-loop");
        assertThat(r.get("departsAtEvent").asLong()).isEqualTo(65);
        assertThat(r.get("departsAtStep").asInt()).isEqualTo(2);
        assertThat(r.get("hung").asBoolean()).isFalse();
        assertThat(r.get("outcomes")).isEmpty();
        assertThat(counts(r)).isEqualTo(Map.of("PDEV_STALE", 2, "CONTEXT_MISSING", 9));
    }

    /**
     * fix-remember-range: removing 06:00.0 copies over its stored 6..7 instead of the 7..8 read now, so entry 8 stays
     * unmapped at event 65 where xen-4.4 maps it; the re-adds make the tables equal again (the library's expect).
     */
    @Test
    void fix_remember_range_departs_at_the_same_removal_and_ends_like_xen_4_4() throws IOException {
        JsonNode r = rows().get("fix-remember-range");
        assertThat(r.get("departsAtEvent").asLong()).isEqualTo(65);
        assertThat(r.get("outcomes")).isEmpty();
        assertThat(counts(r)).isEqualTo(counts(rows().get("xen-4.4")));
    }

    /**
     * fix-trap-bus-writes: Linux's pass-0 write of the Tundra's registers (event 43) is trapped, since Xen holds a
     * PCIe2PCI pdev where the Tundra answers: the fill over the new range 0..0 maps bus 0, so the state departs
     * there. The next write, 6/7/ff (event 44), fills 7..ff with the 8-bit counter: Xen hangs in step 1 and every
     * later step's outcome is HUNG.
     */
    @Test
    void fix_trap_bus_writes_hangs_on_linuxs_temporary_ff() throws IOException {
        JsonNode r = rows().get("fix-trap-bus-writes");
        assertThat(r.get("hung").asBoolean()).isTrue();
        assertThat(r.get("hungStep").asInt()).isEqualTo(1);
        assertThat(r.get("hungEvent").asLong()).isEqualTo(44);
        assertThat(r.get("hungAtEnd").asBoolean()).isTrue();
        assertThat(r.get("departsAtEvent").asLong()).isEqualTo(43);
        assertThat(r.get("departsAtStep").asInt()).isEqualTo(1);
        assertThat(r.get("outcomes")).hasSize(2);
        assertThat(r.get("outcomes").get(0).get("step").asInt()).isEqualTo(1);
        assertThat(r.get("outcomes").get(0).get("baseline").asText()).isEqualTo("ok");
        assertThat(r.get("outcomes").get(0).get("outcome").asText()).isEqualTo("HUNG");
        assertThat(r.get("outcomes").get(1).get("step").asInt()).isEqualTo(2);
        assertThat(r.get("outcomes").get(1).get("outcome").asText()).isEqualTo("HUNG");
        assertThat(counts(r)).containsEntry("XEN_HUNG", 1);
    }

    @Test
    void the_table_has_a_row_per_policy() {
        CliRun text = CliRun.of("versions", TABLE.toString());

        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("== versions of report-exact-table");
        List<String> lines = text.out().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  xen-4.4 ").contains(" released "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  fix-trap-bus-writes ")
                .contains("never released", "step 1 (event 44)", "steps 1-2 ok -> HUNG", "event 43 (step 1)"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  fix-invalidate-loop ")
                .contains("event 65 (step 2)"));
    }

    @Test
    void a_failed_expectation_still_exits_0() {
        CliRun r = CliRun.of("versions", ReplayCommandTest.resource("failing-expectation.yaml").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("FAILED");
        assertThat(r.out()).contains("fix-remember-range");
    }

    @Test
    void an_invalid_file_exits_2_naming_file_line_and_key() {
        CliRun parse = CliRun.of("versions", ReplayCommandTest.resource("invalid-unknown-key.yaml").toString());
        assertThat(parse.exit()).isEqualTo(2);
        assertThat(parse.err()).contains("invalid-unknown-key.yaml:7", "topology[0].colour");
        assertThat(parse.out()).isEmpty();

        CliRun model = CliRun.of("versions", ReplayCommandTest.resource("invalid-unknown-pf.yaml").toString(), "--json");
        assertThat(model.exit()).isEqualTo(2);
        assertThat(model.err()).contains("invalid-unknown-pf.yaml:11", "steps[2].enable-sriov.pf");
        assertThat(model.out()).contains("\"line\" : 11").doesNotContain("xen-4.4");
    }

    private static Map<String, Integer> counts(JsonNode row) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        row.get("findings").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
        return out;
    }
}
