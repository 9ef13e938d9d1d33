package dev.pcitimeline.projections.audit;

import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.audit.Bus2BridgeAudit.Entry;
import dev.pcitimeline.projections.audit.Bus2BridgeAudit.Write;
import dev.pcitimeline.projections.audit.PdevAudit.Answer;
import dev.pcitimeline.projections.audit.PdevAudit.Current;
import dev.pcitimeline.projections.audit.PdevAudit.Happening;
import dev.pcitimeline.projections.it.TestApplication;
import dev.pcitimeline.projections.query.StateDocument.FindingEntry;
import dev.pcitimeline.projections.query.UnknownSystemException;
import dev.pcitimeline.projections.views.EventHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import java.util.ArrayList;
import java.util.List;

import static dev.pcitimeline.projections.audit.AuditFixtures.DOM0_BOOT_ASSIGN_BUSSES;
import static dev.pcitimeline.projections.audit.AuditFixtures.REPORT_ALL_REMOVE_FIRST;
import static dev.pcitimeline.projections.audit.AuditFixtures.XEN_BOOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Audits on report-exact-table and on the seed machine, against values worked out by hand from XEN-MODEL.md
 * (the event numbers are derived in {@link AuditFixtures}).
 */
@SpringBootTest(classes = TestApplication.class, properties = "pcitimeline.db=mem")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditQueriesTest {
    private static final String TABLE = "audit-report-exact-table";
    private static final String SEED = "audit-seed";
    private static final String RELEASE = "audit-seed-xen-4.17";

    @Autowired
    ApplicationContext context;
    @Autowired
    AuditQueries audit;
    @Autowired
    EventHistory history;

    @BeforeAll
    void replay() {
        assertThat(AuditFixtures.run(context, TABLE, "report-exact-table", Policy.XEN_4_4,
                AuditFixtures.reportExactTable(), XEN_BOOT, DOM0_BOOT_ASSIGN_BUSSES, REPORT_ALL_REMOVE_FIRST))
                .isEqualTo(68);
        assertThat(AuditFixtures.run(context, SEED, "seed", Policy.XEN_4_4, AuditFixtures.seed(), XEN_BOOT,
                DOM0_BOOT_ASSIGN_BUSSES, new Step.Remove(Bdf.parse("0000:05:00.0")))).isEqualTo(32);
        AuditFixtures.run(context, RELEASE, "seed", Policy.XEN_4_17, AuditFixtures.seed(), XEN_BOOT,
                new Step.Assign(Bdf.parse("0000:00:02.0"), DomainId.of(1)), new Step.Deassign(Bdf.parse("0000:00:02.0")));
    }

    private static Entry mapped(String bdf) {
        return new Entry(true, bdf);
    }

    private static ConfigReadEntry read(String at, String register, int value, String answeredBy) {
        return new ConfigReadEntry(at, register, value, answeredBy);
    }

    // ------------------------------------------------------------------ bus2bridge

    /**
     * Issue #17 point 4: the pdev audit names the row of XEN-MODEL.md §4b when a context entry changes through a
     * release's rule. The seed machine under xen-4.17: boot maps igb0's own RID 00:02.0 for d0 (4.4's mapping);
     * assign to d1 maps directly and map_one takes d0's entry over (row k); deassign's target is dom_io, so the
     * entry is unmapped from d1 (quarantine, row i).
     */
    @Test
    void under_xen_4_17_the_pdev_audit_names_the_row_of_a_takeover_and_of_quarantine() {
        PdevAudit a = audit.pdev(RELEASE, Bdf.parse("0000:00:02.0"), null, null);

        List<String> contexts = a.history().stream().filter(h -> h.what().startsWith("context"))
                .map(Happening::explanation).toList();
        assertThat(contexts).hasSize(3);
        assertThat(contexts.get(0)).startsWith("context entry 00:02.0 created for d0").doesNotContain("§4b");
        assertThat(contexts.get(1)).startsWith("context entry 00:02.0 taken over by d1").contains("§4b row k");
        assertThat(contexts.get(2)).startsWith("context entry 00:02.0 (d1) removed").contains("§4b row i");
    }

    /**
     * Issue #12 point 2: each bus2bridge write carries its cause, so the audit does not depend on the order of
     * independent statements inside Xen. alloc_pdev lists the pdev and fills; free_pdev copies and drops the
     * pdev. A Xen that filled before listing (and dropped before copying) is simulated by moving each
     * pdev-added notice after the writes that follow it and each pdev-removed notice before the writes that
     * precede it: the audits of entries 6, 7 and 8 (alloc fills and free copies) stay the same.
     */
    @Test
    void reordering_the_pdev_notices_around_the_fill_and_the_copy_does_not_change_an_audit() {
        for (int bus : List.of(6, 7, 8)) {
            Bus2BridgeAuditor inOrder = new Bus2BridgeAuditor(bus);
            AuditFold.run(history, TABLE, null, 68, inOrder);
            Bus2BridgeAuditor reordered = new Bus2BridgeAuditor(bus);
            AuditFold.run(history, TABLE, null, 68, (advance, items, fold) -> reordered.event(advance, swapped(items), fold));

            assertThat(inOrder.writes()).as("bus %d", bus).isNotEmpty();
            assertThat(reordered.writes()).as("bus %d", bus).isEqualTo(inOrder.writes());
        }
    }

    private static List<EventTrace.Item> swapped(List<EventTrace.Item> items) {
        List<EventTrace.Item> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            EventTrace.Item item = items.get(i);
            if (item instanceof EventTrace.Added) {
                int j = i + 1;
                while (j < items.size() && items.get(j) instanceof EventTrace.Write) {
                    out.add(items.get(j++));
                }
                out.add(item);
                i = j - 1;
            } else if (item instanceof EventTrace.Removed) {
                int k = out.size();
                while (k > 0 && out.get(k - 1) instanceof EventTrace.Write) {
                    k--;
                }
                out.add(k, item);
            } else {
                out.add(item);
            }
        }
        return out;
    }

    /**
     * Entry 6: boot's alloc_pdev(05:00.0) reads tundra's 6..7; dom0 reports tundra at 06:00.0 with the same
     * firmware registers, so alloc_pdev(06:00.0) fills 6..7 again, now with a bridge on bus 6 itself.
     * report-all's free_pdev(06:00.0) reads 7..8 and never touches 6.
     */
    @Test
    void entry_6_points_at_its_own_bus_since_tundra_was_reported_with_its_firmware_registers() {
        Bus2BridgeAudit a = audit.bus2bridge(TABLE, 6, null, null);

        assertThat(a.system()).isEqualTo(TABLE);
        assertThat(a.scenario()).isEqualTo("report-exact-table");
        assertThat(a.policy()).isEqualTo("xen-4.4");
        assertThat(a.event()).isEqualTo(68);
        assertThat(a.step()).isEqualTo(2);
        assertThat(a.bus()).isEqualTo(6);
        assertThat(a.current()).isEqualTo(mapped("0000:06:00.0"));
        // fresh boot now: tundra 06:00.0 (6/7/8) fills 7,8 and pcibr 07:01.0 (7/8/8) fills 8: 6 stays unmapped
        assertThat(a.expected()).isEqualTo(Entry.INITIAL);
        // self and loop since tundra's report; stale since tundra got 06/07/08 at 50 (before it, Linux's temporary
        // 0xff made the fresh boot itself hang with every entry at 06:00.0, or tundra 0/0/0 at 43 made it differ)
        assertThat(a.findings()).extracting(f -> f.kind() + " " + f.since())
                .containsExactly("BUS2BRIDGE_LOOP 42", "BUS2BRIDGE_SELF 42", "BUS2BRIDGE_STALE 50");

        assertThat(a.writes()).extracting(Write::event).containsExactly(10L, 42L);
        Write boot = a.writes().get(0);
        assertThat(boot.step()).isZero();
        assertThat(boot.stepText()).isEqualTo("xen-boot");
        assertThat(boot.operation()).isEqualTo("alloc_pdev 0000:05:00.0 (boot scan)");
        assertThat(boot.outcome()).isEqualTo("ok");
        assertThat(boot.rule()).isEqualTo("alloc_pdev fill");
        assertThat(boot.before()).isEqualTo(Entry.INITIAL);
        assertThat(boot.after()).isEqualTo(mapped("0000:05:00.0"));
        assertThat(boot.reads()).containsExactly(read("0000:05:00.0", "class", 0x0604, "tundra"),
                read("0000:05:00.0", "secondary", 6, "tundra"), read("0000:05:00.0", "subordinate", 7, "tundra"));
        assertThat(boot.explanation()).contains("boot scan found 05:00.0 (tundra) with its firmware registers 05/06/07",
                        "filled entries 06..07 with 05:00.0")
                .doesNotContain("itself");

        Write report = a.writes().get(1);
        assertThat(report.step()).isEqualTo(1);
        assertThat(report.stepText()).startsWith("dom0-boot");
        assertThat(report.operation()).isEqualTo("PHYSDEVOP_pci_device_add 0000:06:00.0");
        assertThat(report.rule()).isEqualTo("alloc_pdev fill");
        assertThat(report.before()).isEqualTo(mapped("0000:05:00.0"));
        assertThat(report.after()).isEqualTo(mapped("0000:06:00.0"));
        assertThat(report.reads()).containsExactly(read("0000:06:00.0", "class", 0x0604, "tundra"),
                read("0000:06:00.0", "secondary", 6, "tundra"), read("0000:06:00.0", "subordinate", 7, "tundra"));
        assertThat(report.explanation()).contains("dom0 reported 06:00.0 (tundra) at discovery during step 1 dom0-boot",
                "still held the firmware values 05/06/07", "(dom0 later renumbered it: 06/07/08 since event 50)",
                "PCIe2PCI_BRIDGE", "filled entries 06..07 with 06:00.0", "points at a bridge on bus 06 itself");

        assertThat(a.summary().get(0)).isEqualTo("bus2bridge[06] after event 68 under xen-4.4: 06:00.0; a fresh boot"
                + " on this hardware gives unmapped");
        assertThat(a.summary().get(1)).contains("changed 2 times", "event 42", "alloc_pdev fill");
    }

    /** Entry 7: four fills, then free_pdev(06:00.0) re-reads 7..8 and copies entry 6 over it. */
    @Test
    void entry_7_gets_entry_6_copied_over_it_by_free_pdev_of_the_renumbered_bridge() {
        Bus2BridgeAudit a = audit.bus2bridge(TABLE, 7, null, null);

        assertThat(a.writes()).extracting(w -> w.event() + " " + w.rule() + " " + w.before().text() + " -> "
                + w.after().text()).containsExactly(
                "10 alloc_pdev fill unmapped -> 05:00.0",
                "11 alloc_pdev fill 05:00.0 -> 06:01.0",
                "42 alloc_pdev fill 06:01.0 -> 06:00.0",
                "46 alloc_pdev fill 06:00.0 -> 07:01.0",
                "65 free_pdev copy 07:01.0 -> 06:00.0");
        Write free = a.writes().get(4);
        assertThat(free.step()).isEqualTo(2);
        assertThat(free.operation()).isEqualTo("PHYSDEVOP_pci_device_remove 0000:06:00.0");
        assertThat(free.reads()).containsExactly(read("0000:06:00.0", "secondary", 7, "tundra"),
                read("0000:06:00.0", "subordinate", 8, "tundra"));
        assertThat(free.explanation()).isEqualTo("free_pdev of 06:00.0 re-read secondary/subordinate now (07..08,"
                + " the renumbered bridge) and copied entry 06 (06:00.0) over 07..08; entries of the range it was"
                + " added with (06..07, at event 42) outside 07..08 are never cleared");
        // pcibr was reported with its firmware 06/07/07 at 07:01.0: entry 7 pointed at its own bus from 46 to 65
        assertThat(a.writes().get(3).explanation()).contains("07:01.0 (pcibr)", "firmware values 06/07/07",
                "points at a bridge on bus 07 itself");

        assertThat(a.current()).isEqualTo(mapped("0000:06:00.0"));
        assertThat(a.expected()).isEqualTo(mapped("0000:06:00.0"));
        // 7 -> 06:00.0 -> bus 6 -> 06:00.0 ... since 42 without a break (07:01.0 pointed at bus 7 itself)
        assertThat(a.findings()).extracting(f -> f.kind() + " " + f.since()).containsExactly("BUS2BRIDGE_LOOP 42");
    }

    @Test
    void entry_7_at_the_end_of_dom0_boot() {
        Bus2BridgeAudit a = audit.bus2bridge(TABLE, 7, 51, null);

        assertThat(a.event()).isEqualTo(51);
        assertThat(a.step()).isEqualTo(1);
        assertThat(a.writes()).extracting(Write::event).containsExactly(10L, 11L, 42L, 46L);
        assertThat(a.current()).isEqualTo(mapped("0000:07:01.0"));
        assertThat(a.expected()).isEqualTo(mapped("0000:06:00.0"));
        // stale from 46: from 44 to 49 tundra's 06/07/ff makes a fresh boot hang with every entry at 06:00.0
        assertThat(a.findings()).extracting(f -> f.kind() + " " + f.since())
                .containsExactly("BUS2BRIDGE_LOOP 42", "BUS2BRIDGE_SELF 46", "BUS2BRIDGE_STALE 46");
    }

    @Test
    void entry_8_is_filled_by_free_pdev_then_by_the_pci_bridge_reported_with_its_new_registers() {
        Bus2BridgeAudit a = audit.bus2bridge(TABLE, 8, null, null);

        assertThat(a.writes()).extracting(w -> w.event() + " " + w.rule() + " " + w.before().text() + " -> "
                + w.after().text()).containsExactly("65 free_pdev copy unmapped -> 06:00.0",
                "68 alloc_pdev fill 06:00.0 -> 07:01.0");
        Write add = a.writes().get(1);
        assertThat(add.operation()).isEqualTo("PHYSDEVOP_pci_device_add 0000:07:01.0");
        assertThat(add.reads()).containsExactly(read("0000:07:01.0", "class", 0x0604, "pcibr"),
                read("0000:07:01.0", "secondary", 8, "pcibr"), read("0000:07:01.0", "subordinate", 8, "pcibr"));
        assertThat(add.explanation()).isEqualTo("dom0 reported 07:01.0 (pcibr) during step 2 dom0-report-all with"
                + " secondary 08, subordinate 08 in its registers; alloc_pdev classified it LEGACY_PCI_BRIDGE, read"
                + " secondary 08 and subordinate 08 and filled entry 08 with 07:01.0");
        assertThat(a.current()).isEqualTo(mapped("0000:07:01.0"));
        assertThat(a.expected()).isEqualTo(mapped("0000:07:01.0"));
        // 8 -> 06:00.0 (65) then 8 -> 07:01.0 -> 7 -> 06:00.0 -> 6 -> 06:00.0 ...
        assertThat(a.findings()).extracting(f -> f.kind() + " " + f.since()).containsExactly("BUS2BRIDGE_LOOP 65");
    }

    /** The same history under fix 2 of the report: free_pdev(06:00.0) clears entry 6 once its walk loops. */
    @Test
    void under_fix_invalidate_loop_free_pdev_clears_entry_6() {
        Bus2BridgeAudit a = audit.bus2bridge(TABLE, 6, null, Policy.FIX_INVALIDATE_LOOP);

        assertThat(a.policy()).isEqualTo("fix-invalidate-loop");
        assertThat(a.writes()).extracting(w -> w.event() + " " + w.rule()).containsExactly("10 alloc_pdev fill",
                "42 alloc_pdev fill", "65 fix-invalidate-loop clear");
        Write clear = a.writes().get(2);
        assertThat(clear.before()).isEqualTo(mapped("0000:06:00.0"));
        assertThat(clear.after()).isEqualTo(new Entry(false, "0000:06:00.0"));
        assertThat(clear.after().text()).isEqualTo("unmapped (was 06:00.0)");
        assertThat(clear.explanation()).contains("after free_pdev of 06:00.0", "find_upstream_bridge from bus 06 gave -1");
        assertThat(a.current()).isEqualTo(new Entry(false, "0000:06:00.0"));
        assertThat(a.expected()).isEqualTo(Entry.INITIAL);
        assertThat(a.findings()).isEmpty();
        assertThat(a.summary()).contains("no finding holds for it");
    }

    /** The seed's remove of 05:00.0: free_pdev reads ff/ff where nothing answers and its 8-bit loop never ends. */
    @Test
    void seed_entry_6_is_frozen_by_the_hung_free_pdev_loop() {
        Bus2BridgeAudit a = audit.bus2bridge(SEED, 6, null, null);

        assertThat(a.writes()).extracting(w -> w.event() + " " + w.rule() + " " + w.before().text() + " -> "
                + w.after().text()).containsExactly("6 alloc_pdev fill unmapped -> 05:00.0",
                "19 alloc_pdev fill 05:00.0 -> 02:00.0", "32 hung loop 02:00.0 -> unmapped");
        assertThat(a.writes().get(1).explanation()).contains("dom0 reported 02:00.0 (tundra) at discovery",
                "still held the firmware values 05/06/07", "(dom0 later renumbered it: 02/03/04 since event 29)",
                "filled entries 06..07 with 02:00.0").doesNotContain("itself");
        Write hang = a.writes().get(2);
        assertThat(hang.operation()).isEqualTo("PHYSDEVOP_pci_device_remove 0000:05:00.0");
        assertThat(hang.outcome()).isEqualTo("HUNG");
        assertThat(hang.reads()).containsExactly(read("0000:05:00.0", "secondary", 0xff, null),
                read("0000:05:00.0", "subordinate", 0xff, null));
        assertThat(hang.explanation()).startsWith("Xen hung in free_pdev copy 05:00.0: it read secondary ff,"
                + " subordinate ff at 05:00.0 where nothing answers any more").endsWith("every entry holds unmapped");
        assertThat(a.current()).isEqualTo(Entry.INITIAL);
        // fresh boot now: tundra 02:00.0 (2/3/4) fills 3,4; pcibr 03:01.0 fills 4
        assertThat(a.expected()).isEqualTo(Entry.INITIAL);
        assertThat(a.findings()).extracting(FindingEntry::kind, FindingEntry::since)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("XEN_HUNG", 32L));
    }

    /**
     * The seed history (recorded under xen-4.4) folded under fix 3 of the report: the trap sees tundra reported at
     * 02:00.0 with 05/06/07 (fills 6, 7), then Linux's pass-0 write 05/06/07 -> 00/00/00 at 20 (copy entry 2,
     * unmapped, over 6..7; fill 0..0) and its pass-1 write 00/00/00 -> 02/03/ff at 21 (copy entry 2 over 0..0,
     * then a fill of 3..ff that never ends: every entry frozen at 02:00.0).
     */
    @Test
    void seed_under_fix_trap_bus_writes_entries_6_and_0() {
        Bus2BridgeAudit six = audit.bus2bridge(SEED, 6, null, Policy.FIX_TRAP_BUS_WRITES);

        assertThat(six.policy()).isEqualTo("fix-trap-bus-writes");
        assertThat(six.writes()).extracting(w -> w.event() + " " + w.rule() + " " + w.before().text() + " -> "
                + w.after().text()).containsExactly("6 alloc_pdev fill unmapped -> 05:00.0",
                "19 alloc_pdev fill 05:00.0 -> 02:00.0", "20 fix-trap-bus-writes copy 02:00.0 -> unmapped",
                "21 hung loop unmapped -> 02:00.0");
        Write copy = six.writes().get(2);
        assertThat(copy.operation()).isEqualTo("config write 0000:02:00.0 (tundra) bus registers 05/06/07 -> 00/00/00"
                + " by dom0");
        assertThat(copy.explanation()).isEqualTo("fix-trap-bus-writes trapped dom0's write of tundra at 02:00.0"
                + " (05/06/07 -> 00/00/00) and, as free_pdev would, copied entry 02 (unmapped) over the old range 06..07");
        Write hang = six.writes().get(3);
        assertThat(hang.outcome()).isEqualTo("HUNG");
        assertThat(hang.reads()).isEmpty();
        assertThat(hang.explanation()).startsWith("Xen hung in fix-trap-bus-writes fill 02:00.0;")
                .endsWith("every entry holds 02:00.0");

        Bus2BridgeAudit zero = audit.bus2bridge(SEED, 0, null, Policy.FIX_TRAP_BUS_WRITES);
        assertThat(zero.writes()).extracting(w -> w.event() + " " + w.rule() + " " + w.before().text() + " -> "
                + w.after().text()).containsExactly("20 fix-trap-bus-writes fill unmapped -> 02:00.0",
                "21 fix-trap-bus-writes copy 02:00.0 -> unmapped", "21 hung loop unmapped -> 02:00.0");
        assertThat(zero.writes().get(0).explanation()).endsWith("as alloc_pdev would, filled the new range 00 with"
                + " 02:00.0");
        assertThat(zero.current()).isEqualTo(mapped("0000:02:00.0"));
        assertThat(zero.findings()).extracting(FindingEntry::kind).contains("XEN_HUNG");
    }

    // ------------------------------------------------------------------ pdevs

    /** The Tundra's boot-time pdev: allocated at 05:00.0, left behind when rp3 was zeroed in pass 0. */
    @Test
    void the_boot_pdev_of_the_tundra_is_stale_since_pass_0_zeroed_its_root_port() {
        PdevAudit a = audit.pdev(TABLE, Bdf.parse("0000:05:00.0"), null, null);

        assertThat(a.bdf()).isEqualTo("0000:05:00.0");
        assertThat(a.current()).isEqualTo(new Current("PCIe2PCI_BRIDGE", 0, null, "tundra", 10L));
        assertThat(a.answersNow()).isNull();
        assertThat(a.stale()).isTrue();
        assertThat(a.staleBecause()).isEqualTo("allocated for tundra at event 10 (step 0 xen-boot); since event 20"
                + " (step 1 dom0-boot: config write 0000:00:1c.0 (rp3) bus registers 00/05/07 -> 00/00/00 by dom0)"
                + " tundra no longer answers there; now nothing answers there and tundra answers at 06:00.0");
        assertThat(a.expectedType()).isNull();
        assertThat(a.findings()).extracting(f -> f.kind() + " " + f.since())
                .containsExactly("PDEV_STALE 20", "CONTEXT_MISSING 12");
        assertThat(a.history()).extracting(h -> h.event() + " " + h.what()).containsExactly("10 allocated",
                "12 owner", "20 answer");
        Happening allocated = a.history().get(0);
        assertThat(allocated.type()).isEqualTo("PCIe2PCI_BRIDGE");
        assertThat(allocated.answeredBy()).isEqualTo("tundra");
        assertThat(allocated.operation()).isEqualTo("alloc_pdev 0000:05:00.0 (boot scan)");
        assertThat(allocated.reads()).containsExactly(read("0000:05:00.0", "class", 0x0604, "tundra"),
                read("0000:05:00.0", "secondary", 6, "tundra"), read("0000:05:00.0", "subordinate", 7, "tundra"));
        assertThat(allocated.explanation()).isEqualTo("alloc_pdev: tundra answered at 05:00.0, classified"
                + " PCIe2PCI_BRIDGE; it read secondary 06, subordinate 07 and filled bus2bridge 06..07 with 05:00.0");
        Happening owner = a.history().get(1);
        assertThat(owner.previousDomain()).isNull();
        assertThat(owner.domain()).isZero();
        Happening gone = a.history().get(2);
        assertThat(gone.answeredBy()).isNull();
        assertThat(gone.explanation()).isEqualTo("tundra no longer answers at 05:00.0; now nothing answers there");
        assertThat(a.summary()).contains("now nothing answers at 05:00.0",
                "a fresh boot on this hardware has no pdev there");
    }

    @Test
    void the_renumbered_tundra_is_removed_and_added_again_by_report_all() {
        PdevAudit a = audit.pdev(TABLE, Bdf.parse("0000:06:00.0"), null, null);

        assertThat(a.history()).extracting(h -> h.event() + " " + h.what()).containsExactly("42 allocated",
                "42 owner", "65 removed", "66 allocated", "66 owner");
        assertThat(a.history().get(0).reads()).extracting(ConfigReadEntry::value).containsExactly(0x0604, 6, 7);
        assertThat(a.history().get(3).reads()).extracting(ConfigReadEntry::value).containsExactly(0x0604, 7, 8);
        assertThat(a.current()).isEqualTo(new Current("PCIe2PCI_BRIDGE", 0, null, "tundra", 66L));
        assertThat(a.answersNow()).isEqualTo(new Answer("tundra", "pcie-to-pci-bridge"));
        assertThat(a.stale()).isFalse();
        assertThat(a.staleBecause()).isNull();
        assertThat(a.expectedType()).isEqualTo("PCIe2PCI_BRIDGE");
        // Xen 4.4 never maps a bridge's own requester ID; the run restarted with the new pdev at 66
        assertThat(a.findings()).extracting(f -> f.kind() + " " + f.since()).containsExactly("CONTEXT_MISSING 66");
    }

    @Test
    void at_event_41_there_is_no_pdev_at_06_00_0_yet() {
        PdevAudit a = audit.pdev(TABLE, Bdf.parse("0000:06:00.0"), 41, null);

        assertThat(a.event()).isEqualTo(41);
        assertThat(a.current()).isNull();
        assertThat(a.stale()).isFalse();
        assertThat(a.history()).isEmpty();
        // rp3 got 0/6/ff at 40: tundra answers at its new address before dom0 reports it at 42
        assertThat(a.answersNow()).isEqualTo(new Answer("tundra", "pcie-to-pci-bridge"));
        assertThat(a.findings()).extracting(FindingEntry::kind).containsExactly("PDEV_MISSING");
        assertThat(a.summary().get(0)).endsWith("no pdev (Xen never allocated one there)");
    }

    /**
     * The seed NIC's boot pdev: domain_context_mapping of a PCI device behind the Tundra maps its own RID, the
     * top-most bridge find_upstream_bridge gives (05:00.0, secbus 6) and the alias 06:00.0.
     */
    @Test
    void the_seed_nic_boot_pdev_with_its_upstream_and_alias_context_entries() {
        PdevAudit a = audit.pdev(SEED, Bdf.parse("0000:07:00.0"), 30, null);

        assertThat(a.history()).extracting(h -> h.event() + " " + h.what() + (h.context() == null ? "" : " " + h.context()))
                .containsExactly("8 allocated", "9 owner", "9 context-mapped 0000:07:00.0",
                        "9 context-mapped 0000:05:00.0", "9 context-mapped 0000:06:00.0", "16 answer", "17 answer",
                        "20 answer", "21 answer", "24 answer");
        // where a read at 07:00.0 goes while Linux renumbers: rp3 0/0/0 at 16 ends it at bus 0; rp3 0/2/ff at 17
        // routes bus 7 to tundra (still 5/6/7) and pcibr (6/7/7): nic-old again; tundra 0/0/0 at 20 cuts it, tundra
        // 2/3/ff at 21 routes it to pcibr again, pcibr 0/0/0 at 24 cuts it for good (3/4/ff sends bus 7 to bus 4)
        assertThat(a.history().subList(5, 10)).extracting(Happening::answeredBy)
                .containsExactly(null, "nic-old", null, "nic-old", null);
        assertThat(a.history().get(0).type()).isEqualTo("PCI");
        assertThat(a.history().get(0).reads()).containsExactly(read("0000:07:00.0", "class", 0, "nic-old"));
        assertThat(a.history().get(2).explanation()).isEqualTo("context entry 07:00.0 created for d0: its own requester ID");
        assertThat(a.history().get(3).explanation()).isEqualTo("context entry 05:00.0 created for d0: the requester"
                + " ID of its upstream bridge (find_upstream_bridge)");
        assertThat(a.history().get(4).explanation()).isEqualTo("context entry 06:00.0 created for d0: the secbus:00.0"
                + " alias requests from behind its PCIe-to-PCI bridge carry");
        assertThat(a.current()).isEqualTo(new Current("PCI", 0, null, "nic-old", 8L));
        assertThat(a.stale()).isTrue();
        assertThat(a.staleBecause()).isEqualTo("allocated for nic-old at event 8 (step 0 xen-boot); since event 24"
                + " (step 1 dom0-boot: config write 0000:03:01.0 (pcibr) bus registers 06/07/07 -> 00/00/00 by dom0)"
                + " nic-old no longer answers there; now nothing answers there and nic-old answers at 04:00.0");
        assertThat(a.findings()).extracting(f -> f.kind() + " " + f.since()).containsExactly("PDEV_STALE 24");
    }

    /** The Tundra's own RID 05:00.0 got its context entry while Xen mapped the NIC behind it. */
    @Test
    void the_seed_tundra_boot_pdev_lists_the_entry_mapped_at_its_rid_for_the_nic() {
        PdevAudit a = audit.pdev(SEED, Bdf.parse("0000:05:00.0"), null, null);

        assertThat(a.history()).extracting(h -> h.event() + " " + h.what()).containsExactly("6 allocated", "9 owner",
                "9 context-mapped", "16 answer");
        assertThat(a.history().get(2).explanation()).isEqualTo("context entry 05:00.0 created for d0: its requester ID,"
                + " as the upstream bridge of 07:00.0");
        // the hung free_pdev never got to drop it
        assertThat(a.current()).isNotNull();
        assertThat(a.findings()).extracting(FindingEntry::kind).containsExactly("PDEV_STALE");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void unknown_systems_buses_out_of_range_and_points_out_of_range_are_refused() {
        assertThatThrownBy(() -> audit.bus2bridge("no-such-system", 6, null, null))
                .isInstanceOf(UnknownSystemException.class);
        assertThatThrownBy(() -> audit.bus2bridge(TABLE, 256, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
        assertThatThrownBy(() -> audit.bus2bridge(TABLE, 6, 69, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("events 1..68");
        assertThatThrownBy(() -> audit.pdev(TABLE, Bdf.parse("0001:05:00.0"), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment 0000");
        assertThatThrownBy(() -> audit.pdev(TABLE, Bdf.parse("0000:05:00.0"), 0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void audits_are_plain_json() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode b = mapper.valueToTree(audit.bus2bridge(TABLE, 7, null, null));
        assertThat(b.get("current").toString()).isEqualTo("{\"mapped\":true,\"bridge\":\"0000:06:00.0\"}");
        assertThat(b.get("writes").get(0).get("before").toString()).isEqualTo("{\"mapped\":false,\"bridge\":null}");
        assertThat(b.get("writes").get(4).get("reads").get(0).toString())
                .isEqualTo("{\"at\":\"0000:06:00.0\",\"register\":\"secondary\",\"value\":7,\"answeredBy\":\"tundra\"}");
        com.fasterxml.jackson.databind.JsonNode p = mapper.valueToTree(audit.pdev(TABLE, Bdf.parse("0000:05:00.0"), null, null));
        assertThat(p.get("answersNow").isNull()).isTrue();
        assertThat(p.get("history").get(2).get("what").asText()).isEqualTo("answer");
        assertThat(List.of(p.fieldNames()).isEmpty()).isFalse();
    }
}
