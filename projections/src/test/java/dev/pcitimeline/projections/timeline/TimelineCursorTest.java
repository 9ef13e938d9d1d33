package dev.pcitimeline.projections.timeline;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.view.Finding.Kind;
import dev.pcitimeline.domain.view.MachineView;
import dev.pcitimeline.domain.view.MachineView.Bus2BridgeRow;
import dev.pcitimeline.domain.view.MachineView.ContextRow;
import dev.pcitimeline.domain.view.MachineView.UpstreamRow;
import dev.pcitimeline.projections.Seed;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fold step without Spring, against values worked out by hand from XEN-MODEL.md on the seed machine. */
class TimelineCursorTest {
    private static final Bdf TUNDRA_AT_BOOT = Bdf.parse("0000:05:00.0");
    private static final Bdf PCIBR_AT_BOOT = Bdf.parse("0000:06:01.0");

    private static List<SegmentEvent> seedHistory(Policy policy) {
        return Seed.history("s1", policy, Seed.XEN_BOOT, Seed.DOM0_BOOT_ASSIGN_BUSSES, Seed.REMOVE_OLD_TUNDRA);
    }

    /** A cursor over {@code events} folded up to event {@code upTo}. */
    private static TimelineCursor foldTo(List<SegmentEvent> events, Policy policy, long upTo) {
        TimelineCursor c = TimelineCursor.start((SystemCreated) events.get(0), policy);
        for (SegmentEvent e : events.subList(1, (int) upTo)) {
            c.advance(e);
        }
        assertThat(c.events()).isEqualTo(upTo);
        return c;
    }

    private static List<String> findingKeys(TimelineCursor c) {
        return c.findings().stream().map(d -> d.key() + " since " + d.since()).toList();
    }

    @Test
    void event_one_is_the_power_on_hardware_and_an_empty_xen() {
        TimelineCursor c = TimelineCursor.start(Seed.created("s1", Policy.XEN_4_4));
        Advance first = c.latest();
        assertThat(first.event()).isEqualTo(1);
        assertThat(first.step()).isEqualTo(-1);
        assertThat(first.currentStep()).isNull();
        assertThat(c.view().pdevs()).isEmpty();
        assertThat(first.diff().hardware().opened()).extracting(r -> r.bdf().toString() + " " + r.id())
                .containsExactly("0000:00:02.0 igb0", "0000:00:1c.0 rp3", "0000:05:00.0 tundra",
                        "0000:06:01.0 pcibr", "0000:07:00.0 nic-old");
        // A fresh boot would map 6 and 7 and allocate all five functions: Xen has done neither yet.
        assertThat(findingKeys(c)).containsExactly("BUS2BRIDGE_STALE bus 6 since 1", "BUS2BRIDGE_STALE bus 7 since 1",
                "PDEV_MISSING 0000:00:02.0 since 1", "PDEV_MISSING 0000:00:1c.0 since 1",
                "PDEV_MISSING 0000:05:00.0 since 1", "PDEV_MISSING 0000:06:01.0 since 1",
                "PDEV_MISSING 0000:07:00.0 since 1");
        assertThat(c.steps()).isEmpty();
    }

    @Test
    void after_xen_boot_the_upstream_walk_of_nic_old_ends_at_the_top_most_bridge() {
        // 1 SystemCreated, 2 StepStarted, 3 XenBooted, 4..8 alloc 00:02.0 00:1c.0 05:00.0 06:01.0 07:00.0, 9 give to d0
        TimelineCursor c = foldTo(seedHistory(Policy.XEN_4_4), Policy.XEN_4_4, 9);
        MachineView v = c.view();
        assertThat(v.step()).isZero();
        assertThat(v.hung()).isFalse();
        assertThat(c.steps()).containsExactly(new StepRecord(0, "xen-boot", "xen-boot", 2, 3, 9, Outcome.OK));
        assertThat(v.pdevs()).extracting(p -> p.bdf().toString() + " " + p.type() + " d" + p.domain())
                .containsExactly("0000:00:02.0 PCIe_ENDPOINT d0", "0000:00:1c.0 PCIe_BRIDGE d0",
                        "0000:05:00.0 PCIe2PCI_BRIDGE d0", "0000:06:01.0 LEGACY_PCI_BRIDGE d0", "0000:07:00.0 PCI d0");
        // tundra (PCIe2PCI, 5/6/7) fills 6..7, then pcibr (legacy, 6/7/7) overwrites 7
        assertThat(v.bus2bridge()).containsExactly(new Bus2BridgeRow(6, true, TUNDRA_AT_BOOT),
                new Bus2BridgeRow(7, true, PCIBR_AT_BOOT));
        // 07:00.0: 7 -> 06:01.0, 6 -> 05:00.0, 5 unmapped: the top-most bridge, with the bus just below it
        assertThat(v.upstream()).contains(new UpstreamRow(Bdf.parse("0000:07:00.0"), 1, TUNDRA_AT_BOOT, 6),
                new UpstreamRow(PCIBR_AT_BOOT, 1, TUNDRA_AT_BOOT, 6),
                new UpstreamRow(TUNDRA_AT_BOOT, 0, null, null));
        // nic-old's own entry, tundra's RID and tundra's secondary:00.0; the igb0 endpoint; never a bridge itself
        assertThat(v.contexts()).containsExactly(new ContextRow(Bdf.parse("0000:00:02.0"), 0),
                new ContextRow(TUNDRA_AT_BOOT, 0), new ContextRow(Bdf.parse("0000:06:00.0"), 0),
                new ContextRow(Bdf.parse("0000:07:00.0"), 0));
        assertThat(findingKeys(c)).containsExactly("CONTEXT_MISSING 0000:00:1c.0 since 9",
                "CONTEXT_MISSING 0000:06:01.0 since 9");
    }

    @Test
    void a_finding_keeps_its_since_while_its_message_changes() {
        List<SegmentEvent> h = seedHistory(Policy.XEN_4_4);
        TimelineCursor c = foldTo(h, Policy.XEN_4_4, 5);
        // event 6: alloc 05:00.0 fills 6 and 7 with tundra: entry 6 is right now, entry 7 is wrong differently
        ViewDiff d = c.advance(h.get(5)).diff();
        assertThat(d.findings().closed()).extracting(DatedFinding::key)
                .containsExactly("BUS2BRIDGE_STALE bus 6", "BUS2BRIDGE_STALE bus 7", "PDEV_MISSING 0000:05:00.0");
        assertThat(d.findings().opened()).hasSize(1);
        DatedFinding seven = d.findings().opened().get(0);
        assertThat(seven.key()).isEqualTo("BUS2BRIDGE_STALE bus 7");
        assertThat(seven.since()).isEqualTo(1);
        assertThat(seven.finding().message()).contains("is 05:00.0");
        assertThat(d.bus2bridge().opened()).containsExactly(new Bus2BridgeRow(6, true, TUNDRA_AT_BOOT),
                new Bus2BridgeRow(7, true, TUNDRA_AT_BOOT));
        // event 7: pcibr overwrites 7: the finding ends, entry 7 gets a new version
        ViewDiff d7 = c.advance(h.get(6)).diff();
        assertThat(d7.findings().closed()).extracting(DatedFinding::key)
                .containsExactly("BUS2BRIDGE_STALE bus 7", "PDEV_MISSING 0000:06:01.0");
        assertThat(d7.bus2bridge().closed()).containsExactly(new Bus2BridgeRow(7, true, TUNDRA_AT_BOOT));
        assertThat(d7.bus2bridge().opened()).containsExactly(new Bus2BridgeRow(7, true, PCIBR_AT_BOOT));
    }

    @Test
    void steps_are_bookkept_as_they_go_with_the_outcome_of_the_folding_policy() {
        List<SegmentEvent> h = seedHistory(Policy.XEN_4_4);
        // 10 marks dom0-boot, which produces 11..30; 31 marks the remove, 32 is the hypercall
        TimelineCursor own = foldTo(h, Policy.XEN_4_4, 31);
        assertThat(own.steps()).hasSize(3);
        assertThat(own.steps().get(1)).isEqualTo(new StepRecord(1, "dom0-boot",
                "dom0-boot: {assign-busses: true, reporting: discovery}", 10, 11, 30, Outcome.OK));
        assertThat(own.steps().get(2)).isEqualTo(new StepRecord(2, "remove", "remove: \"0000:05:00.0\"", 31, 0, 0,
                Outcome.OK));
        assertThat(own.view().bus2bridge()).containsExactly(new Bus2BridgeRow(6, true, Bdf.parse("0000:02:00.0")),
                new Bus2BridgeRow(7, true, Bdf.parse("0000:03:01.0")));

        // xen-4.4: free_pdev reads 0xff/0xff where tundra was: the 8-bit loop never ends, the pdev stays
        Advance hang = own.advance(h.get(31));
        assertThat(hang.outcome()).isEqualTo(Outcome.HUNG);
        assertThat(hang.recordedOutcome()).isEqualTo(Outcome.HUNG);
        assertThat(hang.currentStep()).isEqualTo(new StepRecord(2, "remove", "remove: \"0000:05:00.0\"", 31, 32, 32,
                Outcome.HUNG));
        assertThat(own.view().hung()).isTrue();
        assertThat(own.view().pdevs()).extracting(MachineView.PdevRow::bdf).contains(TUNDRA_AT_BOOT);
        assertThat(findingKeys(own)).contains("XEN_HUNG since 32");

        // fix-remember-range copies over the range it filled (6..7) instead: no hang, the pdev goes
        TimelineCursor fixed = foldTo(h, Policy.FIX_REMEMBER_RANGE, 32);
        assertThat(fixed.latest().outcome()).isEqualTo(Outcome.OK);
        assertThat(fixed.latest().outcomeDiffersFromRecorded()).isTrue();
        assertThat(fixed.steps().get(2).outcome()).isEqualTo(Outcome.OK);
        assertThat(fixed.view().hung()).isFalse();
        assertThat(fixed.view().pdevs()).extracting(MachineView.PdevRow::bdf).doesNotContain(TUNDRA_AT_BOOT);
        assertThat(fixed.policy()).isEqualTo(Policy.FIX_REMEMBER_RANGE);
    }

    @Test
    void replaying_every_diff_rebuilds_every_view() {
        List<SegmentEvent> h = Seed.history("s1", Policy.XEN_4_4, Seed.XEN_BOOT, Seed.DOM0_BOOT_ASSIGN_BUSSES,
                Seed.REPORT_ALL_REMOVE_FIRST, Seed.REMOVE_OLD_TUNDRA, Seed.XEN_BOOT);
        TimelineCursor c = TimelineCursor.start((SystemCreated) h.get(0));
        Tables tables = new Tables();
        tables.apply(c.latest());
        tables.assertEquals(c);
        for (SegmentEvent e : h.subList(1, h.size())) {
            tables.apply(c.advance(e));
            tables.assertEquals(c);
        }
        assertThat(c.events()).isEqualTo(h.size());
    }

    @Test
    void events_of_another_system_are_refused() {
        TimelineCursor c = TimelineCursor.start(Seed.created("s1", Policy.XEN_4_4));
        assertThatThrownBy(() -> c.advance(new SegmentEvent.XenBooted("s2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s2");
    }

    @Test
    void every_event_has_a_one_line_text() {
        List<SegmentEvent> h = Seed.history("s1", Policy.XEN_4_4, Seed.XEN_BOOT, Seed.DOM0_BOOT_ASSIGN_BUSSES,
                Seed.REPORT_ALL_REMOVE_FIRST);
        for (SegmentEvent e : h) {
            assertThat(EventText.of(e, Outcome.OK)).isNotBlank().doesNotContain("\n");
        }
        assertThat(EventText.of(h.get(1), Outcome.OK)).isEqualTo("step 0: xen-boot");
        assertThat(EventText.of(new SegmentEvent.PciDeviceRemoveCalled("s1", TUNDRA_AT_BOOT, "scenario", null,
                List.of()), Outcome.HUNG)).isEqualTo("[xen] PHYSDEVOP_pci_device_remove 0000:05:00.0 by scenario -> HUNG: Xen prints nothing");
    }

    /** The temporal tables in memory: rows opened and closed only through diffs. */
    private static final class Tables {
        final Map<Object, Object> pdevs = new LinkedHashMap<>();
        final Map<Object, Object> bus2bridge = new LinkedHashMap<>();
        final Map<Object, Object> upstream = new LinkedHashMap<>();
        final Map<Object, Object> contexts = new LinkedHashMap<>();
        final Map<Object, Object> hardware = new LinkedHashMap<>();
        final Map<Object, Object> findings = new LinkedHashMap<>();

        void apply(Advance a) {
            ViewDiff d = a.diff();
            apply(pdevs, d.pdevs(), MachineView.PdevRow::bdf);
            apply(bus2bridge, d.bus2bridge(), Bus2BridgeRow::bus);
            apply(upstream, d.upstream(), UpstreamRow::bdf);
            apply(contexts, d.contexts(), ContextRow::bdf);
            apply(hardware, d.hardware(), MachineView.HardwareRow::bdf);
            apply(findings, d.findings(), DatedFinding::key);
        }

        private static <R> void apply(Map<Object, Object> table, TableChange<R> change, Function<R, Object> key) {
            for (R r : change.closed()) {
                assertThat(table.remove(key.apply(r))).as("closing %s", r).isEqualTo(r);
            }
            for (R r : change.opened()) {
                assertThat(table.put(key.apply(r), r)).as("opening %s", r).isNull();
            }
        }

        void assertEquals(TimelineCursor c) {
            MachineView v = c.view();
            assertThat(new ArrayList<>(pdevs.values())).containsExactlyInAnyOrderElementsOf(v.pdevs());
            assertThat(new ArrayList<>(bus2bridge.values())).containsExactlyInAnyOrderElementsOf(v.bus2bridge());
            assertThat(new ArrayList<>(upstream.values())).containsExactlyInAnyOrderElementsOf(v.upstream());
            assertThat(new ArrayList<>(contexts.values())).containsExactlyInAnyOrderElementsOf(v.contexts());
            assertThat(new ArrayList<>(hardware.values())).containsExactlyInAnyOrderElementsOf(v.hardware());
            assertThat(new ArrayList<>(findings.values())).containsExactlyInAnyOrderElementsOf(c.findings());
            assertThat(c.findings()).allSatisfy(f -> assertThat(f.since()).isBetween(1L, c.events()));
            assertThat(c.findings().stream().map(f -> f.finding().kind())).doesNotContainNull();
            assertThat(v.hung()).isEqualTo(c.findings().stream().anyMatch(f -> f.finding().kind() == Kind.XEN_HUNG));
        }
    }

    /**
     * The views projection and the reads fold with rows on demand, and resume from checkpoints written as JSON: at
     * every event of the seed history, under every policy, such a cursor (resumed at each step's end) must show
     * what a cursor folding everything from event 1 shows.
     */
    @Test
    void rows_on_demand_and_a_resumed_checkpoint_show_what_the_full_fold_shows() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = dev.pcitimeline.projections.store.StoreObjectMapper.create();
        for (Policy policy : Policy.values()) {
            List<SegmentEvent> events = Seed.history("s1", policy, Seed.XEN_BOOT, Seed.DOM0_BOOT_ASSIGN_BUSSES,
                    Seed.REPORT_ALL_REMOVE_FIRST, new dev.pcitimeline.domain.step.Step.XenBoot(),
                    Seed.REMOVE_OLD_TUNDRA);
            TimelineCursor full = TimelineCursor.start((SystemCreated) events.get(0));
            TimelineCursor lean = TimelineCursor.start((SystemCreated) events.get(0)).rowsOnDemand();
            for (SegmentEvent e : events.subList(1, events.size())) {
                if (e instanceof SegmentEvent.StepStarted && !lean.steps().isEmpty()) {
                    // between two steps: write the checkpoint as the projection does and carry on from it
                    String written = json.writeValueAsString(lean.checkpoint());
                    lean = TimelineCursor.resume(json.readValue(written, TimelineCursor.Checkpoint.class))
                            .rowsOnDemand();
                }
                full.advance(e);
                lean.advance(e);
                assertThat(lean.view()).as("%s event %d", policy, full.events()).isEqualTo(full.view());
                assertThat(lean.findings()).as("%s event %d", policy, full.events()).isEqualTo(full.findings());
                List<StepRecord> fullSteps = full.steps();
                assertThat(lean.steps()).as("%s event %d", policy, full.events())
                        .isEqualTo(fullSteps.subList(lean.firstStep(), fullSteps.size()));
            }
        }
    }

    /**
     * Checkpoints stored before 2026-12 hold each finding whole, message included, where they now hold its subject and
     * since: a store an older build wrote must resume from them to the same state, findings dated the same.
     */
    @Test
    void a_checkpoint_holding_whole_findings_resumes_as_one_holding_their_runs() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = dev.pcitimeline.projections.store.StoreObjectMapper.create();
        int resumed = 0;
        for (Policy policy : Policy.values()) {
            List<SegmentEvent> events = Seed.history("s1", policy, Seed.XEN_BOOT, Seed.DOM0_BOOT_ASSIGN_BUSSES,
                    Seed.REPORT_ALL_REMOVE_FIRST, Seed.REMOVE_OLD_TUNDRA);
            TimelineCursor full = TimelineCursor.start((SystemCreated) events.get(0));
            for (SegmentEvent e : events.subList(1, events.size())) {
                if (e instanceof SegmentEvent.StepStarted && !full.steps().isEmpty() && !full.findings().isEmpty()) {
                    // the old form: {"machine": ..., "findings": [{"finding": {..., "message": ...}, "since": N}]}
                    String old = json.writeValueAsString(Map.of("machine", full.checkpoint().machine(),
                            "findings", full.findings()));
                    assertThat(old).contains("\"message\"");
                    TimelineCursor fromOld = TimelineCursor.resume(json.readValue(old,
                            TimelineCursor.Checkpoint.class));
                    assertThat(fromOld.view()).as("%s event %d", policy, full.events()).isEqualTo(full.view());
                    assertThat(fromOld.findings()).as("%s event %d", policy, full.events())
                            .isEqualTo(full.findings());
                    resumed++;
                }
                full.advance(e);
            }
        }
        assertThat(resumed).as("checkpoints resumed").isGreaterThan(Policy.values().length);
    }
}
