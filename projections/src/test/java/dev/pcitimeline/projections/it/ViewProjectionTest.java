package dev.pcitimeline.projections.it;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.Seed;
import dev.pcitimeline.projections.query.EntryVersion;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.query.StateDocument.Bus2BridgeMapping;
import dev.pcitimeline.projections.query.StateDocument.Context;
import dev.pcitimeline.projections.query.StateDocument.FindingEntry;
import dev.pcitimeline.projections.query.StateDocument.HardwareFunction;
import dev.pcitimeline.projections.query.StateDocument.Pdev;
import dev.pcitimeline.projections.query.StateDocument.StepEntry;
import dev.pcitimeline.projections.query.StateDocument.Upstream;
import dev.pcitimeline.projections.query.SystemSummary;
import dev.pcitimeline.projections.query.TimelineEntry;
import dev.pcitimeline.projections.query.UnknownSystemException;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real commands through the CommandGateway on the seed machine of SCENARIOS.md, the projection
 * catching up, and the state read back at several points against values worked out by hand.
 *
 * <p>History of {@value #SEED}: 1 SystemCreated; step 0 xen-boot 2..9 (2 marker, 3 XenBooted, 4..8 alloc
 * 00:02.0 00:1c.0 05:00.0 06:01.0 07:00.0, 9 give to d0); step 1 dom0-boot {assign-busses: true} 10..30
 * (tundra renumbered to 02:00.0 and reported at 19 with its old registers, pcibr to 03:01.0 at 23, nic-old
 * to 04:00.0 at 27); step 2 remove 0000:05:00.0 at 31..32, which hangs xen-4.4.
 */
@SpringBootTest(classes = TestApplication.class, properties = {"pcitimeline.db=mem",
        // checkpoints every step or two: states are read from a resumed checkpoint and the events after it
        "pcitimeline.views.checkpoint-interval=8"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewProjectionTest {
    private static final String SEED = "seed-assign-busses";
    private static final String TUNDRA_AT_BOOT = "0000:05:00.0";
    private static final String PCIBR_AT_BOOT = "0000:06:01.0";

    @Autowired
    ApplicationContext context;
    Driver driver;
    long events;

    @BeforeAll
    void seed() {
        driver = new Driver(context);
        events = driver.seed(SEED, Policy.XEN_4_4, Seed.XEN_BOOT, Seed.DOM0_BOOT_ASSIGN_BUSSES,
                Seed.REMOVE_OLD_TUNDRA);
        assertThat(events).isEqualTo(32);
        driver.awaitProjection(SEED, events);
    }

    @Test
    void after_xen_boot() {
        StateDocument s = driver.queries.state(SEED, null, 0, null);
        assertThat(s.event()).isEqualTo(9);
        assertThat(s.step()).isZero();
        assertThat(s.hung()).isFalse();
        assertThat(s.scenario()).isEqualTo("seed");
        assertThat(s.system()).isEqualTo(SEED);
        assertThat(s.policy()).isEqualTo("xen-4.4");
        assertThat(s.pdevs()).containsExactly(new Pdev("0000:00:02.0", "PCIe_ENDPOINT", 0, null),
                new Pdev("0000:00:1c.0", "PCIe_BRIDGE", 0, null),
                new Pdev(TUNDRA_AT_BOOT, "PCIe2PCI_BRIDGE", 0, null),
                new Pdev(PCIBR_AT_BOOT, "LEGACY_PCI_BRIDGE", 0, null),
                new Pdev("0000:07:00.0", "PCI", 0, null));
        assertThat(s.bus2bridge()).containsExactly(new Bus2BridgeMapping(6, TUNDRA_AT_BOOT),
                new Bus2BridgeMapping(7, PCIBR_AT_BOOT));
        // the walk from 07 goes 7 -> 06:01.0, 6 -> 05:00.0 and stops on unmapped 5: the top-most bridge
        assertThat(s.upstream()).containsExactly(new Upstream("0000:00:02.0", 0, null, null),
                new Upstream("0000:00:1c.0", 0, null, null),
                new Upstream(TUNDRA_AT_BOOT, 0, null, null),
                new Upstream(PCIBR_AT_BOOT, 1, TUNDRA_AT_BOOT, 6),
                new Upstream("0000:07:00.0", 1, TUNDRA_AT_BOOT, 6));
        assertThat(s.contexts()).containsExactly(new Context("0000:00:02.0", 0), new Context(TUNDRA_AT_BOOT, 0),
                new Context("0000:06:00.0", 0), new Context("0000:07:00.0", 0));
        assertThat(s.hardware()).containsExactly(new HardwareFunction("0000:00:02.0", "igb0", "pcie-endpoint", null),
                new HardwareFunction("0000:00:1c.0", "rp3", "root-port", List.of(0, 5, 7)),
                new HardwareFunction(TUNDRA_AT_BOOT, "tundra", "pcie-to-pci-bridge", List.of(5, 6, 7)),
                new HardwareFunction(PCIBR_AT_BOOT, "pcibr", "pci-bridge", List.of(6, 7, 7)),
                new HardwareFunction("0000:07:00.0", "nic-old", "pci-endpoint", null));
        assertThat(s.findings()).extracting(f -> f.kind() + " " + f.bdf() + " " + f.since())
                .containsExactly("CONTEXT_MISSING 0000:00:1c.0 9", "CONTEXT_MISSING 0000:06:01.0 9");
        assertThat(s.steps()).containsExactly(new StepEntry(0, "xen-boot", "ok", List.of(3L, 9L), "xen-boot"));
        assertThat(s.expectations()).isEmpty();
    }

    @Test
    void before_the_first_step() {
        StateDocument s = driver.queries.state(SEED, 1, null, null);
        assertThat(s.event()).isEqualTo(1);
        assertThat(s.step()).isEqualTo(-1);
        assertThat(s.steps()).isEmpty();
        assertThat(s.pdevs()).isEmpty();
        assertThat(s.hardware()).hasSize(5);
        assertThat(s.findings()).extracting(f -> f.kind() + " " + (f.bus() != null ? f.bus() : f.bdf()))
                .containsExactly("BUS2BRIDGE_STALE 6", "BUS2BRIDGE_STALE 7", "PDEV_MISSING 0000:00:02.0",
                        "PDEV_MISSING 0000:00:1c.0", "PDEV_MISSING 0000:05:00.0", "PDEV_MISSING 0000:06:01.0",
                        "PDEV_MISSING 0000:07:00.0");
    }

    @Test
    void after_dom0_boot_with_assign_busses() {
        StateDocument s = driver.queries.state(SEED, null, 1, null);
        assertThat(s.event()).isEqualTo(30);
        // tundra was reported at 02:00.0 with 5/6/7 still in its registers, pcibr at 03:01.0 with 6/7/7
        assertThat(s.bus2bridge()).containsExactly(new Bus2BridgeMapping(6, "0000:02:00.0"),
                new Bus2BridgeMapping(7, "0000:03:01.0"));
        assertThat(s.pdevs()).extracting(Pdev::bdf).containsExactly("0000:00:02.0", "0000:00:1c.0", "0000:02:00.0",
                "0000:03:01.0", "0000:04:00.0", TUNDRA_AT_BOOT, PCIBR_AT_BOOT, "0000:07:00.0");
        assertThat(s.hardware()).extracting(h -> h.bdf() + " " + h.id() + " " + h.buses()).containsExactly(
                "0000:00:02.0 igb0 null", "0000:00:1c.0 rp3 [0, 2, 4]", "0000:02:00.0 tundra [2, 3, 4]",
                "0000:03:01.0 pcibr [3, 4, 4]", "0000:04:00.0 nic-old null");
        // the old pdevs' addresses answer with nothing now
        assertThat(s.findings()).extracting(f -> f.kind() + " " + f.bdf()).contains(
                "PDEV_STALE " + TUNDRA_AT_BOOT, "PDEV_STALE " + PCIBR_AT_BOOT, "PDEV_STALE 0000:07:00.0");
        assertThat(s.steps()).extracting(StepEntry::step, StepEntry::outcome, StepEntry::events)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("xen-boot", "ok", List.of(3L, 9L)),
                        org.assertj.core.groups.Tuple.tuple("dom0-boot", "ok", List.of(11L, 30L)));
    }

    @Test
    void now_xen_4_4_is_hung_in_free_pdev() {
        StateDocument s = driver.queries.state(SEED, null, null, null);
        assertThat(s.event()).isEqualTo(32);
        assertThat(s.step()).isEqualTo(2);
        assertThat(s.hung()).isTrue();
        // frozen inside the copy loop: every entry holds bus2bridge[5], unmapped; the pdev is still listed
        assertThat(s.bus2bridge()).isEmpty();
        assertThat(s.pdevs()).extracting(Pdev::bdf).contains(TUNDRA_AT_BOOT);
        assertThat(s.steps().get(2)).isEqualTo(new StepEntry(2, "remove", "HUNG", List.of(32L, 32L),
                "remove: \"0000:05:00.0\""));
        assertThat(s.findings()).extracting(FindingEntry::kind, FindingEntry::since)
                .contains(org.assertj.core.groups.Tuple.tuple("XEN_HUNG", 32L));
        assertThat(driver.queries.state(SEED, 32, null, null)).isEqualTo(s);
        assertThat(driver.queries.state(SEED, null, 2, null)).isEqualTo(s);
    }

    @Test
    void in_the_middle_of_a_step() {
        StateDocument s = driver.queries.state(SEED, 20, null, null);
        assertThat(s.event()).isEqualTo(20);
        assertThat(s.step()).isEqualTo(1);
        assertThat(s.steps()).extracting(StepEntry::events).containsExactly(List.of(3L, 9L), List.of(11L, 20L));
        // tundra was just reported at 02:00.0 (event 19) and filled 6..7 with its old 5/6/7
        assertThat(s.bus2bridge()).containsExactly(new Bus2BridgeMapping(6, "0000:02:00.0"),
                new Bus2BridgeMapping(7, "0000:02:00.0"));
        StateDocument marker = driver.queries.state(SEED, 31, null, null);
        assertThat(marker.steps().get(2)).isEqualTo(new StepEntry(2, "remove", "ok", List.of(),
                "remove: \"0000:05:00.0\""));
        assertThat(marker.hung()).isFalse();
    }

    @Test
    void the_tables_give_what_the_fold_gives_at_every_event() {
        List<Long> checked = new ArrayList<>();
        driver.foldEveryEvent(SEED, null, (n, folded) -> {
            assertThat(driver.queries.state(SEED, Math.toIntExact(n), null, null)).as("event %d", n).isEqualTo(folded);
            checked.add(n);
        });
        assertThat(checked).hasSize((int) events);
        assertThat(driver.queries.foldedState(SEED, null, 1, null)).isEqualTo(driver.queries.state(SEED, null, 1, null));
    }

    @Test
    void what_if_fix_remember_range() {
        StateDocument own = driver.queries.state(SEED, null, 2, null);
        StateDocument fixed = driver.queries.state(SEED, null, 2, Policy.FIX_REMEMBER_RANGE);
        assertThat(fixed.policy()).isEqualTo("fix-remember-range");
        assertThat(fixed.event()).isEqualTo(32);
        // free_pdev copies over the range alloc_pdev filled (6..7, from unmapped bus 5) instead of reading 0xff
        assertThat(fixed.hung()).isFalse();
        assertThat(fixed.steps().get(2).outcome()).isEqualTo("ok");
        assertThat(fixed.pdevs()).extracting(Pdev::bdf).doesNotContain(TUNDRA_AT_BOOT);
        assertThat(fixed.findings()).extracting(FindingEntry::kind).doesNotContain("XEN_HUNG");
        assertThat(own.hung()).isTrue();
        // nothing freed a pdev before step 2: the policies agree up to there
        StateDocument ownBefore = driver.queries.state(SEED, null, 1, null);
        StateDocument fixedBefore = driver.queries.state(SEED, null, 1, Policy.FIX_REMEMBER_RANGE);
        assertThat(fixedBefore).isEqualTo(new StateDocument(ownBefore.scenario(), ownBefore.system(),
                "fix-remember-range", ownBefore.segment(), ownBefore.event(), ownBefore.step(), ownBefore.hung(),
                ownBefore.pdevs(), ownBefore.bus2bridge(), ownBefore.upstream(), ownBefore.contexts(),
                ownBefore.hardware(), ownBefore.findings(), ownBefore.steps(), ownBefore.expectations()));
        // naming the system's own policy reads the tables
        assertThat(driver.queries.state(SEED, null, 2, Policy.XEN_4_4)).isEqualTo(own);
        driver.foldEveryEvent(SEED, Policy.FIX_REMEMBER_RANGE, (n, folded) -> assertThat(
                driver.queries.state(SEED, Math.toIntExact(n), null, Policy.FIX_REMEMBER_RANGE)).isEqualTo(folded));
    }

    @Test
    void points_out_of_range_are_refused_clearly() {
        assertThatThrownBy(() -> driver.queries.state(SEED, null, 3, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at-step 3")
                .hasMessageContaining("0..2");
        assertThatThrownBy(() -> driver.queries.state(SEED, null, -1, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.queries.state(SEED, 0, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..32");
        assertThatThrownBy(() -> driver.queries.state(SEED, 33, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at-event 33");
        assertThatThrownBy(() -> driver.queries.state(SEED, 5, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exclude");
        assertThatThrownBy(() -> driver.queries.state("no-such-system", null, null, null))
                .isInstanceOf(UnknownSystemException.class).hasMessageContaining("no-such-system");
        assertThat(driver.queries.eventsProcessed("no-such-system")).isZero();
    }

    @Test
    void history_of_one_entry() {
        // bus 6: tundra's boot fill (event 6), its re-report at 02:00.0 (19), wiped by the hung copy loop (32)
        assertThat(driver.queries.bus2bridgeHistory(SEED, 6)).containsExactly(
                new EntryVersion.Bus2Bridge(6, true, TUNDRA_AT_BOOT, 6, 19L),
                new EntryVersion.Bus2Bridge(6, true, "0000:02:00.0", 19, 32L));
        // allocated without an owner during the boot scan, given to dom0 at its end, never freed (Xen hung)
        assertThat(driver.queries.pdevHistory(SEED, Bdf.parse(TUNDRA_AT_BOOT))).containsExactly(
                new EntryVersion.Pdev(TUNDRA_AT_BOOT, "PCIe2PCI_BRIDGE", null, null, "tundra", 6, 9L),
                new EntryVersion.Pdev(TUNDRA_AT_BOOT, "PCIe2PCI_BRIDGE", 0, null, "tundra", 9, null));
    }

    @Test
    void timeline_and_systems() {
        List<TimelineEntry> timeline = driver.queries.timeline(SEED, null, null);
        assertThat(timeline).extracting(TimelineEntry::event).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 32).boxed().toList());
        TimelineEntry last = timeline.get(31);
        assertThat(last.step()).isEqualTo(2);
        assertThat(last.type()).isEqualTo("PciDeviceRemoveCalled");
        assertThat(last.text()).isEqualTo("[xen] PHYSDEVOP_pci_device_remove 0000:05:00.0 by scenario -> HUNG: Xen prints nothing");
        assertThat(last.outcome()).isEqualTo("HUNG");
        assertThat(last.payload()).contains("\"bdf\":\"0000:05:00.0\"");
        assertThat(timeline.get(0).step()).isEqualTo(-1);
        assertThat(timeline.get(1).text()).isEqualTo("step 0: xen-boot");
        assertThat(driver.queries.timeline(SEED, 10L, 12L)).extracting(TimelineEntry::event).containsExactly(10L, 11L, 12L);

        SystemSummary summary = driver.queries.system(SEED).orElseThrow();
        assertThat(summary.scenario()).isEqualTo("seed");
        assertThat(summary.policy()).isEqualTo("xen-4.4");
        assertThat(summary.events()).isEqualTo(32);
        assertThat(summary.steps()).isEqualTo(3);
        assertThat(summary.failedEvent()).isNull();
        assertThat(java.time.Instant.parse(summary.created())).isBefore(java.time.Instant.now().plusSeconds(1));
        assertThat(driver.queries.systems()).extracting(SystemSummary::system).contains(SEED);
    }

    @Test
    void the_state_prints_exactly_as_api_md_shows() throws Exception {
        StateDocument s = driver.queries.state(SEED, null, null, null);
        for (ObjectMapper mapper : List.of(new ObjectMapper(), JsonMapper.builder()
                .serializationInclusion(JsonInclude.Include.NON_NULL).build())) {
            JsonNode json = mapper.readTree(mapper.writeValueAsString(s));
            assertThat(names(json)).containsExactly("scenario", "system", "policy", "segment", "event", "step",
                    "hung", "pdevs", "bus2bridge", "upstream", "contexts", "hardware", "findings", "steps",
                    "expectations");
            assertThat(names(json.get("pdevs").get(0))).containsExactly("bdf", "type", "domain", "virtfnOf");
            assertThat(json.get("pdevs").get(0).get("virtfnOf").isNull()).isTrue();
            assertThat(names(json.get("upstream").get(0))).containsExactly("bdf", "result");
            assertThat(names(json.get("contexts").get(0))).containsExactly("bdf", "domain");
            assertThat(names(json.get("hardware").get(0))).containsExactly("bdf", "id", "kind");
            assertThat(names(json.get("hardware").get(1))).containsExactly("bdf", "id", "kind", "buses");
            assertThat(json.get("hardware").get(1).get("buses").toString()).isEqualTo("[0,2,4]");
            assertThat(names(json.get("steps").get(0))).startsWith("index", "step", "outcome", "events");
            assertThat(json.get("steps").get(0).get("events").toString()).isEqualTo("[3,9]");
            assertThat(json.get("expectations").isArray()).isTrue();
            for (JsonNode f : json.get("findings")) {
                List<String> names = names(f);
                if (f.get("kind").asText().equals("XEN_HUNG")) {
                    assertThat(names).containsExactly("kind", "since", "message");
                } else {
                    assertThat(names).containsAnyOf("bus", "bdf").contains("kind", "since", "message").hasSize(4);
                }
            }
            JsonNode afterBoot = mapper.readTree(mapper.writeValueAsString(driver.queries.state(SEED, null, 0, null)));
            assertThat(names(afterBoot.get("bus2bridge").get(0))).containsExactly("bus", "bridge");
            assertThat(afterBoot.get("upstream").get(4).toString())
                    .isEqualTo("{\"bdf\":\"0000:07:00.0\",\"result\":1,\"bridge\":\"0000:05:00.0\",\"secbus\":6}");
            JsonNode beforeBoot = mapper.readTree(mapper.writeValueAsString(driver.queries.state(SEED, 1, null, null)));
            assertThat(beforeBoot.get("step").asInt()).isEqualTo(-1);
            assertThat(beforeBoot.get("steps").toString()).isEqualTo("[]");
        }
    }

    @Test
    void virtual_functions_are_named_after_their_pf_and_point_back_to_it() {
        String id = "sriov";
        long n = driver.seed(id, Policy.XEN_4_4, Seed.XEN_BOOT, new Step.EnableSriov("igb0", 2));
        driver.awaitProjection(id, n);
        StateDocument s = driver.queries.state(id, null, null, null);
        // VF i at RID 0x10 + 384 + 2i = 0x190 + 2i: bus 1, devfn 0x90 + 2i (12.0, 12.2)
        assertThat(s.hardware()).contains(new HardwareFunction("0000:01:12.0", "igb0.vf0", "pcie-endpoint", null),
                new HardwareFunction("0000:01:12.2", "igb0.vf1", "pcie-endpoint", null));
        assertThat(s.pdevs()).contains(new Pdev("0000:01:12.0", "PCIe_ENDPOINT", 0, "0000:00:02.0"),
                new Pdev("0000:01:12.2", "PCIe_ENDPOINT", 0, "0000:00:02.0"));
        assertThat(s.contexts()).contains(new Context("0000:01:12.0", 0), new Context("0000:01:12.2", 0));
        assertThat(s.steps().get(1).step()).isEqualTo("enable-sriov");
        driver.foldEveryEvent(id, null, (e, folded) -> assertThat(
                driver.queries.state(id, Math.toIntExact(e), null, null)).isEqualTo(folded));
    }

    @Test
    void an_event_the_fold_cannot_apply_stops_that_system_only_and_says_where() {
        String broken = "broken-history";
        long n = driver.seed(broken, Policy.XEN_4_4, Seed.XEN_BOOT);
        driver.awaitProjection(broken, n);
        // A write to a bridge the hardware never had: Machine.apply refuses it.
        driver.eventStore.publish(new GenericDomainEventMessage<>("PciSegment", broken, n,
                new SegmentEvent.BridgeBusNumbersWritten(broken, "no-such-bridge", Bdf.parse("0000:00:1c.0"),
                        BridgeBuses.ZERO, BridgeBuses.ZERO, "scenario", Outcome.OK, List.of())));
        String healthy = "after-broken-history";
        long m = driver.seed(healthy, Policy.XEN_4_4, Seed.XEN_BOOT);
        driver.awaitProjection(healthy, m);

        SystemSummary s = driver.queries.system(broken).orElseThrow();
        assertThat(s.events()).isEqualTo(n);
        assertThat(s.failedEvent()).isEqualTo(n + 1);
        assertThat(s.failure()).contains("no-such-bridge");
        assertThatThrownBy(() -> driver.queries.awaitProcessed(broken, n + 1, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("event " + (n + 1));
        assertThat(driver.queries.awaitProcessed(healthy, m, Duration.ofSeconds(5))).isTrue();
        assertThat(driver.queries.state(broken, null, null, null).event()).isEqualTo(n);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
