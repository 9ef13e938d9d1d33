package dev.pcitimeline.projections.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.audit.AuditFixtures;
import dev.pcitimeline.projections.diff.StateDiff.Bus2BridgeChange;
import dev.pcitimeline.projections.diff.StateDiff.PdevChange;
import dev.pcitimeline.projections.diff.StateDiff.Side;
import dev.pcitimeline.projections.diff.StateDiff.Summary;
import dev.pcitimeline.projections.diff.StateDiff.UpstreamChange;
import dev.pcitimeline.projections.it.TestApplication;
import dev.pcitimeline.projections.query.StateDocument.Pdev;
import dev.pcitimeline.projections.query.StateDocument.Upstream;
import dev.pcitimeline.projections.query.UnknownSystemException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import java.util.List;

import static dev.pcitimeline.projections.audit.AuditFixtures.DOM0_BOOT_ASSIGN_BUSSES;
import static dev.pcitimeline.projections.audit.AuditFixtures.REPORT_ALL_REMOVE_FIRST;
import static dev.pcitimeline.projections.audit.AuditFixtures.XEN_BOOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Diffs on report-exact-table (history in {@link AuditFixtures}): after xen-boot (12), after dom0-boot (51),
 * after dom0-report-all (68), and xen-4.4 against fix-invalidate-loop at 68, worked out from XEN-MODEL.md.
 */
@SpringBootTest(classes = TestApplication.class, properties = "pcitimeline.db=mem")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiffQueriesTest {
    private static final String TABLE = "diff-report-exact-table";

    @Autowired
    ApplicationContext context;
    @Autowired
    DiffQueries diff;

    @BeforeAll
    void replay() {
        assertThat(AuditFixtures.run(context, TABLE, "report-exact-table", Policy.XEN_4_4,
                AuditFixtures.reportExactTable(), XEN_BOOT, DOM0_BOOT_ASSIGN_BUSSES, REPORT_ALL_REMOVE_FIRST))
                .isEqualTo(68);
    }

    private static List<String> findings(StateDiff d) {
        return d.findings().stream().map(f -> f.kind() + " " + (f.bus() != null ? f.bus() : f.bdf())
                + (f.from() == null ? " appears" : f.to() == null ? " goes" : " ?")).toList();
    }

    /**
     * dom0-boot with assign-busses: tundra and pcibr reported at their new addresses with their firmware
     * registers; every bridge renumbered.
     */
    @Test
    void from_xen_boot_to_the_end_of_dom0_boot() {
        StateDiff d = diff.events(TABLE, 12, 51, null);

        assertThat(d.kind()).isEqualTo("events");
        assertThat(d.from()).isEqualTo(new Side("xen-4.4", 12, 0));
        assertThat(d.to()).isEqualTo(new Side("xen-4.4", 51, 1));
        assertThat(d.hung()).isNull();
        assertThat(d.bus2bridge()).containsExactly(new Bus2BridgeChange(6, "0000:05:00.0", "0000:06:00.0"),
                new Bus2BridgeChange(7, "0000:06:01.0", "0000:07:01.0"));
        assertThat(d.pdevs()).containsExactly(
                new PdevChange("0000:06:00.0", null, new Pdev("0000:06:00.0", "PCIe2PCI_BRIDGE", 0, null)),
                new PdevChange("0000:07:01.0", null, new Pdev("0000:07:01.0", "LEGACY_PCI_BRIDGE", 0, null)));
        // 06:01.0 walked 6 -> 05:00.0 -> unmapped 5; now 6 points at 06:00.0 on bus 6: -1, as both new bridges
        assertThat(d.upstream()).containsExactly(
                new UpstreamChange("0000:06:00.0", null, new Upstream("0000:06:00.0", -1, null, null)),
                new UpstreamChange("0000:06:01.0", new Upstream("0000:06:01.0", 1, "0000:05:00.0", 6),
                        new Upstream("0000:06:01.0", -1, null, null)),
                new UpstreamChange("0000:07:01.0", null, new Upstream("0000:07:01.0", -1, null, null)));
        assertThat(d.contexts()).isEmpty();
        // rp1, rp3, usp, dsp1, dsp2 renumbered in place; tundra 05:00.0 -> 06:00.0, pcibr 06:01.0 -> 07:01.0; igb stays
        assertThat(d.hardware()).extracting(StateDiff.HardwareChange::bdf).containsExactly("0000:00:01.0",
                "0000:00:1c.0", "0000:01:00.0", "0000:02:00.0", "0000:02:01.0", "0000:05:00.0", "0000:06:00.0",
                "0000:06:01.0", "0000:07:01.0");
        assertThat(d.hardware().get(0).from().buses()).containsExactly(0, 1, 4);
        assertThat(d.hardware().get(0).to().buses()).containsExactly(0, 1, 5);
        assertThat(findings(d)).containsExactly("BUS2BRIDGE_LOOP 6 appears", "BUS2BRIDGE_LOOP 7 appears",
                "BUS2BRIDGE_SELF 6 appears", "BUS2BRIDGE_SELF 7 appears", "BUS2BRIDGE_STALE 6 appears",
                "BUS2BRIDGE_STALE 7 appears", "BUS2BRIDGE_STALE 8 appears", "PDEV_STALE 0000:05:00.0 appears",
                "PDEV_STALE 0000:06:01.0 appears", "CONTEXT_MISSING 0000:06:00.0 appears",
                "CONTEXT_MISSING 0000:07:01.0 appears");
        assertThat(d.summary()).isEqualTo(new Summary(2, 2, 3, 0, 9, 11, 27));
    }

    /** The draft dom0 patch: remove and re-add everything; the exact table of the report. */
    @Test
    void from_the_end_of_dom0_boot_to_the_end_of_report_all() {
        StateDiff d = diff.events(TABLE, 51, null, null);

        assertThat(d.to()).isEqualTo(new Side("xen-4.4", 68, 2));
        assertThat(d.bus2bridge()).containsExactly(new Bus2BridgeChange(7, "0000:07:01.0", "0000:06:00.0"),
                new Bus2BridgeChange(8, null, "0000:07:01.0"));
        assertThat(d.pdevs()).isEmpty();
        assertThat(d.upstream()).isEmpty();
        assertThat(d.contexts()).isEmpty();
        assertThat(d.hardware()).isEmpty();
        // LOOP 7 holds on both sides (its message names another target): not a change
        assertThat(findings(d)).containsExactly("BUS2BRIDGE_LOOP 8 appears", "BUS2BRIDGE_SELF 7 goes",
                "BUS2BRIDGE_STALE 7 goes", "BUS2BRIDGE_STALE 8 goes");
        assertThat(d.summary()).isEqualTo(new Summary(2, 0, 0, 0, 0, 4, 6));
    }

    /** Fix 2 of the report at the end: entry 6 cleared, the walks from 6, 7 and 8 end. */
    @Test
    void xen_4_4_against_fix_invalidate_loop_at_the_end() {
        StateDiff d = diff.policies(TABLE, null, null, Policy.FIX_INVALIDATE_LOOP);

        assertThat(d.kind()).isEqualTo("policies");
        assertThat(d.from()).isEqualTo(new Side("xen-4.4", 68, 2));
        assertThat(d.to()).isEqualTo(new Side("fix-invalidate-loop", 68, 2));
        assertThat(d.bus2bridge()).containsExactly(new Bus2BridgeChange(6, "0000:06:00.0", null));
        assertThat(d.pdevs()).isEmpty();
        // 7 -> 06:00.0, then bus 6 unmapped: the top-most bridge is 06:00.0 with secbus 7
        assertThat(d.upstream()).containsExactly(
                new UpstreamChange("0000:06:00.0", new Upstream("0000:06:00.0", -1, null, null),
                        new Upstream("0000:06:00.0", 0, null, null)),
                new UpstreamChange("0000:06:01.0", new Upstream("0000:06:01.0", -1, null, null),
                        new Upstream("0000:06:01.0", 0, null, null)),
                new UpstreamChange("0000:07:01.0", new Upstream("0000:07:01.0", -1, null, null),
                        new Upstream("0000:07:01.0", 1, "0000:06:00.0", 7)));
        assertThat(findings(d)).containsExactly("BUS2BRIDGE_LOOP 6 goes", "BUS2BRIDGE_LOOP 7 goes",
                "BUS2BRIDGE_LOOP 8 goes", "BUS2BRIDGE_SELF 6 goes", "BUS2BRIDGE_STALE 6 goes");
        assertThat(d.summary()).isEqualTo(new Summary(1, 0, 3, 0, 0, 5, 9));
    }

    @Test
    void a_point_against_itself_has_no_difference() {
        StateDiff d = diff.policies(TABLE, 42, Policy.XEN_4_4, Policy.XEN_4_4);
        assertThat(d.summary().total()).isZero();
        assertThat(diff.events(TABLE, 30, 30, Policy.FIX_REMEMBER_RANGE).summary().total()).isZero();
    }

    @Test
    void json_shape() {
        JsonNode j = new ObjectMapper().valueToTree(diff.events(TABLE, 51, 68, null));
        assertThat(j.get("bus2bridge").get(1).toString()).isEqualTo("{\"bus\":8,\"from\":null,\"to\":\"0000:07:01.0\"}");
        assertThat(j.get("hung").isNull()).isTrue();
        assertThat(j.get("summary").get("total").asInt()).isEqualTo(6);
        assertThat(j.get("findings").get(0).get("from").isNull()).isTrue();
        assertThat(j.get("findings").get(0).get("to").get("since").asLong()).isEqualTo(65);
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> diff.events("nope", 1, 2, null)).isInstanceOf(UnknownSystemException.class);
        assertThatThrownBy(() -> diff.events(TABLE, 1, 69, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> diff.policies(TABLE, 10, null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vs");
    }
}
