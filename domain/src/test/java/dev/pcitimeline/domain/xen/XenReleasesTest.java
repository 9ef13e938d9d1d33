package dev.pcitimeline.domain.xen;

import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.value.XenDeviceType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.pcitimeline.domain.value.DeviceKind.PCIE_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_TO_PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_TO_PCIE_BRIDGE;
import static dev.pcitimeline.domain.xen.MapConfigSpace.bridge;
import static dev.pcitimeline.domain.xen.MapConfigSpace.endpoint;
import static dev.pcitimeline.domain.xen.MapConfigSpace.virtualFunction;
import static dev.pcitimeline.domain.xen.XenModelTest.add;
import static dev.pcitimeline.domain.xen.XenModelTest.bdf;
import static dev.pcitimeline.domain.xen.XenModelTest.contexts;
import static dev.pcitimeline.domain.xen.XenModelTest.mapped;
import static dev.pcitimeline.domain.xen.XenModelTest.pdev;
import static dev.pcitimeline.domain.xen.XenModelTest.pdevRecord;
import static dev.pcitimeline.domain.xen.XenModelTest.pdevs;
import static dev.pcitimeline.domain.xen.XenModelTest.to;
import static dev.pcitimeline.domain.xen.XenModelTest.xenWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * XEN-MODEL.md §4b (corrected 2026-12), one test per row: each runs the same operations under
 * {@code xen-4.4} and under the release that brings the row, on the smallest machine that tells
 * them apart. Expected values are worked out by hand from the spec text (the comments show how).
 */
class XenReleasesTest {

    private static final DomainId D0 = DomainId.DOM0;
    private static final DomainId D1 = DomainId.of(1);
    private static final DomainId D2 = DomainId.of(2);
    private static final int DIO = DomainId.DOM_IO.value();

    // ------------------------------------------------------------------ helpers

    private static Outcome addVf(Xen xen, MapConfigSpace cs, String at, String pf) {
        return xen.pciAddDevice(cs, bdf(at), bdf(pf), XenTrace.NONE);
    }

    private static Outcome assign(Xen xen, MapConfigSpace cs, String at, DomainId domain) {
        return xen.assignDevice(cs, bdf(at), domain, XenTrace.NONE);
    }

    private static Outcome deassign(Xen xen, MapConfigSpace cs, String at) {
        return xen.deassignDevice(cs, bdf(at), XenTrace.NONE);
    }

    /** tundra 05:00.0 (PCIe-to-PCI, 5/6/7) and nic 06:02.0 (PCI) behind it. */
    private static MapConfigSpace tundraAndNic() {
        return new MapConfigSpace()
                .put("05:00.0", bridge("tundra", PCIE_TO_PCI_BRIDGE, 5, 6, 7))
                .put("06:02.0", endpoint("nic", PCI_ENDPOINT));
    }

    /** Entries 6, 7 -> 05:00.0, tundra's pdev owned by {@code tundraOwner}, its RID's context entry d1's. */
    private static Xen tundraRidHeldByD1(Policy policy, DomainId tundraOwner) {
        return xenWith(policy, Map.of(6, to("05:00.0"), 7, to("05:00.0")),
                List.of(pdevRecord("05:00.0", XenDeviceType.PCIe2PCI_BRIDGE, tundraOwner)), Map.of("05:00.0", D1));
    }

    /** nic 06:02.0, a conventional device on bus 6, whose bus2bridge entry points at bus 6 itself (a loop). */
    private static MapConfigSpace nicBehindALoop() {
        return new MapConfigSpace().put("06:02.0", endpoint("nic", PCI_ENDPOINT));
    }

    /** Entry 6 -> 06:00.0: every walk from bus 6 reads it 257 times and gives -1 with walked devfn 0x00. */
    private static Xen loopXen(Policy policy, DomainId nicOwner, Map<String, DomainId> contexts) {
        return xenWith(policy, Map.of(6, to("06:00.0")),
                List.of(pdevRecord("06:02.0", XenDeviceType.PCI, nicOwner)), contexts);
    }

    // ------------------------------------------------------------------ xen-4.14

    @Test
    void a_xen_4_14_a_plain_report_of_an_existing_pdev_clears_its_virtfn_of() {
        // a VF report labels 03:00.0 a VF of 02:00.0; a plain report of it then: 4.4 drops the plain report's
        // info (label kept), 4.11+ copies the empty info in (label cleared)
        for (Policy policy : List.of(Policy.XEN_4_4, Policy.XEN_4_14)) {
            MapConfigSpace cs = new MapConfigSpace()
                    .put("02:00.0", endpoint("pf", PCIE_ENDPOINT))
                    .put("03:00.0", virtualFunction("pf.vf0"));
            Xen xen = new Xen(policy, 0);
            add(xen, cs, "02:00.0");
            addVf(xen, cs, "03:00.0", "02:00.0");

            assertThat(add(xen, cs, "03:00.0")).isEqualTo(Outcome.OK);

            assertThat(pdev(xen, "03:00.0").virtfnOf()).as(policy.text())
                    .isEqualTo(policy == Policy.XEN_4_4 ? bdf("02:00.0") : null);
        }
    }

    @Test
    void b_xen_4_14_maps_the_bridge_rid_with_no_pdev_so_the_owner_check_reads_the_entrys_domain() {
        // tundra 05:00.0 (PCIe-to-PCI, pdev owned by d0) holds entries 6, 7; its RID's context entry is d1's.
        // add nic 06:02.0 for dom0: own RID mapped; walk 6 -> 05:00.0 -> bus 5 unmapped: bridge 05:00.0, secbus 6.
        // 4.4: map_one(d0, 05:00.0, tundra owned by d0): the pdev's owner is d0 -> 0, entry unchanged; the
        //      function at 05:00.0 is a PCIe-to-PCI bridge and nic's devfn 0x10 != 0 -> alias 06:00.0 for d0.
        // 4.14: map_one(d0, 05:00.0, none): the entry's domain d1 != d0 -> EINVAL; add returns it, no owner.
        MapConfigSpace cs = tundraAndNic();
        Xen xen44 = tundraRidHeldByD1(Policy.XEN_4_4, D0);
        Xen xen414 = tundraRidHeldByD1(Policy.XEN_4_14, D0);

        assertThat(add(xen44, cs, "06:02.0")).isEqualTo(Outcome.OK);
        assertThat(add(xen414, cs, "06:02.0")).isEqualTo(Outcome.EINVAL);

        assertThat(contexts(xen44)).isEqualTo(Map.of("05:00.0", 1, "06:00.0", 0, "06:02.0", 0));
        assertThat(contexts(xen414)).isEqualTo(Map.of("05:00.0", 1, "06:02.0", 0));
        assertThat(pdev(xen414, "06:02.0").owner()).isNull();
    }

    @Test
    void h_xen_4_14_assign_of_a_missing_pdev_is_enodev_and_the_source_may_be_dom_io() {
        MapConfigSpace cs = new MapConfigSpace().put("00:02.0", endpoint("igb0", PCIE_ENDPOINT));
        Xen xen44 = new Xen(Policy.XEN_4_4, 0);
        Xen xen414 = new Xen(Policy.XEN_4_14, 0);
        for (Xen xen : List.of(xen44, xen414)) {
            add(xen, cs, "00:02.0");
            add(xen, cs, "00:05.0"); // nothing answers: PCI_UNKNOWN, EINVAL, no owner
            assertThat(assign(xen, cs, "00:05.0", D1)).as("neither dom0 nor dom_io owns it").isEqualTo(Outcome.EBUSY);
        }

        assertThat(assign(xen44, cs, "00:03.0", D1)).isEqualTo(Outcome.EBUSY);
        assertThat(assign(xen414, cs, "00:03.0", D1)).isEqualTo(Outcome.ENODEV);

        // 4.14: assign d1, deassign (to dom_io), assign d2 from dom_io
        assign(xen414, cs, "00:02.0", D1);
        deassign(xen414, cs, "00:02.0");
        assertThat(pdev(xen414, "00:02.0").owner()).isEqualTo(DomainId.DOM_IO);
        assertThat(assign(xen414, cs, "00:02.0", D2)).isEqualTo(Outcome.OK);
        assertThat(pdev(xen414, "00:02.0").owner()).isEqualTo(D2);
        assertThat(contexts(xen414)).isEqualTo(Map.of("00:02.0", 2));
    }

    @Test
    void i_xen_4_14_deassign_quarantines_with_dom_io_entries_and_a_second_deassign_returns_the_device_to_dom0() {
        // endpoint 00:02.0 assigned to d1. 4.4: deassign -> dom0 (unmap, map d0); again: no domU owner -> ENODEV.
        // 4.14: deassign -> dom_io: unmap 00:02.0, owner dio, map_one(dio) creates dom_io's entry, owner dio;
        //       again: dom_io -> dom0: unmap, owner dio, map d0, owner d0.
        MapConfigSpace cs = new MapConfigSpace().put("00:02.0", endpoint("igb0", PCIE_ENDPOINT));
        Xen xen44 = new Xen(Policy.XEN_4_4, 0);
        Xen xen414 = new Xen(Policy.XEN_4_14, 0);
        for (Xen xen : List.of(xen44, xen414)) {
            add(xen, cs, "00:02.0");
            assign(xen, cs, "00:02.0", D1);
        }
        RecordingTrace trace = new RecordingTrace();

        assertThat(deassign(xen44, cs, "00:02.0")).isEqualTo(Outcome.OK);
        assertThat(xen414.deassignDevice(cs, bdf("00:02.0"), trace)).isEqualTo(Outcome.OK);

        assertThat(pdev(xen44, "00:02.0").owner()).isEqualTo(D0);
        assertThat(pdev(xen414, "00:02.0").owner()).isEqualTo(DomainId.DOM_IO);
        assertThat(contexts(xen414)).isEqualTo(Map.of("00:02.0", DIO));
        assertThat(trace.log).containsExactly("unmap 00:02.0 d1", "owner 00:02.0 d1->dio", "map 00:02.0 dio");

        assertThat(deassign(xen44, cs, "00:02.0")).isEqualTo(Outcome.ENODEV);
        assertThat(deassign(xen414, cs, "00:02.0")).isEqualTo(Outcome.OK);
        assertThat(pdev(xen414, "00:02.0").owner()).isEqualTo(D0);
        assertThat(contexts(xen414)).isEqualTo(Map.of("00:02.0", 0));
    }

    // ------------------------------------------------------------------ xen-4.16

    @Test
    void c_xen_4_16_a_range_ending_at_ff_fills_to_255_and_ends() {
        // legacy bridge 00:1e.0 with secondary fe, subordinate ff. 4.4: the 8-bit counter wraps, Xen hangs
        // (every entry 00:1e.0). 4.16: a wide counter fills fe and ff and ends.
        MapConfigSpace cs = new MapConfigSpace().put("00:1e.0", bridge("hub", PCI_BRIDGE, 0, 0xfe, 0xff));
        Xen xen44 = new Xen(Policy.XEN_4_4, 0);
        Xen xen416 = new Xen(Policy.XEN_4_16, 0);

        assertThat(add(xen44, cs, "00:1e.0")).isEqualTo(Outcome.HUNG);
        assertThat(add(xen416, cs, "00:1e.0")).isEqualTo(Outcome.OK);

        assertThat(xen44.hung()).isTrue();
        assertThat(mapped(xen44)).hasSize(256);
        assertThat(xen416.hung()).isFalse();
        assertThat(mapped(xen416)).isEqualTo(Map.of(0xfe, "00:1e.0", 0xff, "00:1e.0"));
    }

    @Test
    void d_xen_4_16_the_undo_after_enxio_removes_the_neighbours_entry_at_the_walked_devfn_and_leaves_the_devices_own() {
        // nic 06:02.0 (PCI) without owner; entry 6 -> 06:00.0; a neighbour's context entry at 06:00.0 (d0).
        // add: own RID 06:02.0 mapped for d0; the walk reads entry 6 257 times: -1, walked devfn 00.
        // 4.4: -1 stops with 0. 4.16: -1 is ENXIO; undo = domain_context_unmap(d0, walked devfn 00, nic):
        //      unmap_one(06:00.0) removes the neighbour's entry, the walk gives -1 again (ENXIO for dom0,
        //      ignored by the undo); add returns ENXIO, owner back to none, pdev kept, own entry in place.
        Xen xen44 = loopXen(Policy.XEN_4_4, null, Map.of("06:00.0", D0));
        Xen xen416 = loopXen(Policy.XEN_4_16, null, Map.of("06:00.0", D0));
        RecordingTrace trace = new RecordingTrace();

        assertThat(add(xen44, nicBehindALoop(), "06:02.0")).isEqualTo(Outcome.OK);
        assertThat(xen416.pciAddDevice(nicBehindALoop(), bdf("06:02.0"), null, trace)).isEqualTo(Outcome.ENXIO);

        assertThat(contexts(xen44)).isEqualTo(Map.of("06:00.0", 0, "06:02.0", 0));
        assertThat(contexts(xen416)).isEqualTo(Map.of("06:02.0", 0));
        assertThat(trace.log).containsExactly("owner 06:02.0 null->d0", "map 06:02.0 d0", "unmap 06:00.0 d0",
                "owner 06:02.0 d0->null");
        assertThat(pdevs(xen416)).containsExactly("06:02.0");
        assertThat(xen416.findUpstreamBridge(6, 0x10)).isEqualTo(new UpstreamResult(-1, 0, 0, 0, 0x00));
    }

    @Test
    void d_xen_4_16_assign_behind_a_loop_fails_at_the_unmap_from_dom0_with_enxio_and_loses_its_own_entry() {
        // nic owned by d0 with its own entry. 4.4: unmap(d0) removes 06:02.0, the -1 walk unmaps nothing;
        // map(d1) creates 06:02.0, -1 stops with 0; owner d1.
        // 4.16: unmap(d0) removes 06:02.0, -1 -> ENXIO for dom0: assign returns it; owner d0, nothing for d1.
        Xen xen44 = loopXen(Policy.XEN_4_4, D0, Map.of("06:02.0", D0));
        Xen xen416 = loopXen(Policy.XEN_4_16, D0, Map.of("06:02.0", D0));

        assertThat(assign(xen44, nicBehindALoop(), "06:02.0", D1)).isEqualTo(Outcome.OK);
        assertThat(assign(xen416, nicBehindALoop(), "06:02.0", D1)).isEqualTo(Outcome.ENXIO);

        assertThat(pdev(xen44, "06:02.0").owner()).isEqualTo(D1);
        assertThat(contexts(xen44)).isEqualTo(Map.of("06:02.0", 1));
        assertThat(pdev(xen416, "06:02.0").owner()).isEqualTo(D0);
        assertThat(contexts(xen416)).isEmpty();
    }

    @Test
    void d_xen_4_16_unmapping_a_domus_device_behind_a_loop_crashes_the_domu_and_a_fresh_xen_forgets_it() {
        // nic owned by d1 (entry 06:02.0 d1). deassign: 4.4 -> dom0: unmap(d1) 06:02.0, map(d0) 06:02.0, owner d0.
        // 4.16 (i, i', d): reassign(d1 -> dio): unmap(d1): 06:02.0 removed, -1 walk crashes d1 (result 0); owner
        // dio; map(dio): dom_io maps nothing (i'), -1 -> ENXIO, undo unmap(dio) does nothing: ENXIO, owner dio.
        Xen xen44 = loopXen(Policy.XEN_4_4, D1, Map.of("06:02.0", D1));
        Xen xen416 = loopXen(Policy.XEN_4_16, D1, Map.of("06:02.0", D1));

        assertThat(deassign(xen44, nicBehindALoop(), "06:02.0")).isEqualTo(Outcome.OK);
        assertThat(deassign(xen416, nicBehindALoop(), "06:02.0")).isEqualTo(Outcome.ENXIO);

        assertThat(xen44.crashedDomains()).isEmpty();
        assertThat(contexts(xen44)).isEqualTo(Map.of("06:02.0", 0));
        assertThat(xen416.crashedDomains()).containsExactly(1);
        assertThat(pdev(xen416, "06:02.0").owner()).isEqualTo(DomainId.DOM_IO);
        assertThat(contexts(xen416)).isEmpty();

        xen416.reset();
        assertThat(xen416.crashedDomains()).isEmpty();
    }

    @Test
    void d_xen_4_16_remove_of_a_dom0_device_behind_a_loop_is_enxio_and_still_frees_it() {
        Xen xen44 = loopXen(Policy.XEN_4_4, D0, Map.of("06:02.0", D0));
        Xen xen416 = loopXen(Policy.XEN_4_16, D0, Map.of("06:02.0", D0));

        assertThat(xen44.pciRemoveDevice(nicBehindALoop(), bdf("06:02.0"), XenTrace.NONE)).isEqualTo(Outcome.OK);
        assertThat(xen416.pciRemoveDevice(nicBehindALoop(), bdf("06:02.0"), XenTrace.NONE)).isEqualTo(Outcome.ENXIO);

        assertThat(pdevs(xen416)).isEmpty();
        assertThat(contexts(xen416)).isEmpty();
    }

    @Test
    void i_prime_xen_4_16_a_quarantined_device_has_no_context_entries() {
        // as row i, but dom_io has no page table: map_one/unmap_one for dio do nothing
        MapConfigSpace cs = new MapConfigSpace().put("00:02.0", endpoint("igb0", PCIE_ENDPOINT));
        Xen xen44 = new Xen(Policy.XEN_4_4, 0);
        Xen xen416 = new Xen(Policy.XEN_4_16, 0);
        for (Xen xen : List.of(xen44, xen416)) {
            add(xen, cs, "00:02.0");
            assign(xen, cs, "00:02.0", D1);
            assertThat(deassign(xen, cs, "00:02.0")).isEqualTo(Outcome.OK);
        }

        assertThat(contexts(xen44)).isEqualTo(Map.of("00:02.0", 0));
        assertThat(pdev(xen416, "00:02.0").owner()).isEqualTo(DomainId.DOM_IO);
        assertThat(contexts(xen416)).isEmpty();

        assertThat(deassign(xen416, cs, "00:02.0")).isEqualTo(Outcome.OK);
        assertThat(pdev(xen416, "00:02.0").owner()).isEqualTo(D0);
        assertThat(contexts(xen416)).isEqualTo(Map.of("00:02.0", 0));
    }

    // ------------------------------------------------------------------ xen-4.17

    @Test
    void k_xen_4_17_map_one_takes_over_an_entry_another_domain_holds() {
        // as row b's machine, but the tundra pdev is d1's. 4.4: map_one(d0, 05:00.0, tundra owned by d1) ->
        // EINVAL (add fails, no owner). 4.17: no owner check: d1's entry becomes d0's, then alias 06:00.0 for d0.
        MapConfigSpace cs = tundraAndNic();
        Xen xen44 = tundraRidHeldByD1(Policy.XEN_4_4, D1);
        Xen xen417 = tundraRidHeldByD1(Policy.XEN_4_17, D1);
        RecordingTrace trace = new RecordingTrace();

        assertThat(add(xen44, cs, "06:02.0")).isEqualTo(Outcome.EINVAL);
        assertThat(xen417.pciAddDevice(cs, bdf("06:02.0"), null, trace)).isEqualTo(Outcome.OK);

        assertThat(contexts(xen44)).isEqualTo(Map.of("05:00.0", 1, "06:02.0", 0));
        assertThat(contexts(xen417)).isEqualTo(Map.of("05:00.0", 0, "06:00.0", 0, "06:02.0", 0));
        assertThat(trace.log).containsExactly("added 06:02.0", "owner 06:02.0 null->d0", "map 06:02.0 d0",
                "takeover 05:00.0 d0", "map 06:00.0 d0");
    }

    @Test
    void l_xen_4_17_reassignment_maps_the_target_directly_and_a_failure_hands_the_rids_back_at_the_walked_devfn() {
        // nic owned by d0 behind the loop, but its own RID's entry is already d1's; nothing at 06:00.0.
        // 4.4: unmap(d0) removes 06:02.0; map(d1) creates it; -1 stops with 0: OK, owner d1.
        // 4.17: map(d1) directly, no unmap from d0: 06:02.0 is already d1's and a pdev was given ("already
        //       present"); the -1 walk is ENXIO (walked devfn 00). The own RID was already present and the
        //       owner d0 is not d1: hand back with domain_context_mapping(d0, devfn 00): 06:00.0 is created for
        //       d0, its walk is -1 again: ENXIO; in this nested call D is the owner and its own RID (06:00.0)
        //       was new, so it undoes with domain_context_unmap(d0, devfn 00): 06:00.0 removed, -1 ignored.
        //       assign returns ENXIO, the owner stays d0.
        Xen xen44 = loopXen(Policy.XEN_4_4, D0, Map.of("06:02.0", D1));
        Xen xen417 = loopXen(Policy.XEN_4_17, D0, Map.of("06:02.0", D1));
        RecordingTrace trace = new RecordingTrace();

        assertThat(assign(xen44, nicBehindALoop(), "06:02.0", D1)).isEqualTo(Outcome.OK);
        assertThat(xen417.assignDevice(nicBehindALoop(), bdf("06:02.0"), D1, trace)).isEqualTo(Outcome.ENXIO);

        assertThat(pdev(xen44, "06:02.0").owner()).isEqualTo(D1);
        assertThat(pdev(xen417, "06:02.0").owner()).isEqualTo(D0);
        assertThat(trace.log).as("no unmap from d0 first; the hand-back maps and its undo unmaps at 06:00.0")
                .containsExactly("map 06:00.0 d0", "unmap 06:00.0 d0");
        assertThat(contexts(xen417)).isEqualTo(Map.of("06:02.0", 1));
        assertThat(xen417.crashedDomains()).isEmpty();
    }

    @Test
    void l_xen_4_17_a_failed_assign_whose_own_rid_was_taken_over_unmaps_as_the_domu_and_crashes_it() {
        // nic owned by d0 with its own entry. 4.17: map(d1): 06:02.0 taken over from d0 (not "already present"),
        // -1 -> ENXIO; undo = unmap(d1, walked devfn 00): nothing at 06:00.0, the -1 walk crashes d1 (result 0).
        // assign returns ENXIO, owner d0, and 06:02.0 stays d1's.
        Xen xen44 = loopXen(Policy.XEN_4_4, D0, Map.of("06:02.0", D0));
        Xen xen417 = loopXen(Policy.XEN_4_17, D0, Map.of("06:02.0", D0));

        assertThat(assign(xen44, nicBehindALoop(), "06:02.0", D1)).isEqualTo(Outcome.OK);
        assertThat(assign(xen417, nicBehindALoop(), "06:02.0", D1)).isEqualTo(Outcome.ENXIO);

        assertThat(xen44.crashedDomains()).isEmpty();
        assertThat(xen417.crashedDomains()).containsExactly(1);
        assertThat(pdev(xen417, "06:02.0").owner()).isEqualTo(D0);
        assertThat(contexts(xen417)).isEqualTo(Map.of("06:02.0", 1));
    }

    @Test
    void m_xen_4_17_the_unmap_stops_reporting_its_pci_errors() {
        // remove of a dom0-owned nic behind the loop: 4.4 ignores the -1 walk (0), 4.16 (d) reports ENXIO,
        // 4.17 (m) returns 0 again; every one frees the pdev
        for (Policy policy : List.of(Policy.XEN_4_4, Policy.XEN_4_16, Policy.XEN_4_17)) {
            Xen xen = loopXen(policy, D0, Map.of("06:02.0", D0));

            assertThat(xen.pciRemoveDevice(nicBehindALoop(), bdf("06:02.0"), XenTrace.NONE)).as(policy.text())
                    .isEqualTo(policy == Policy.XEN_4_16 ? Outcome.ENXIO : Outcome.OK);
            assertThat(pdevs(xen)).as(policy.text()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ xen-4.20

    @Test
    void e_xen_4_20_a_vf_report_whose_pf_has_no_pdev_is_enodev_and_frees_what_alloc_pdev_returned() {
        // 4.4: the PF 02:00.0 is added first (nothing answers: PCI_UNKNOWN, EINVAL ignored), then the VF.
        // 4.20: alloc_pdev(03:10.0), then the PF lookup fails: free_pdev, ENODEV; no PF pdev.
        MapConfigSpace cs = new MapConfigSpace().put("03:10.0", virtualFunction("pf.vf0"));
        Xen xen44 = new Xen(Policy.XEN_4_4, 0);
        Xen xen420 = new Xen(Policy.XEN_4_20, 0);

        assertThat(addVf(xen44, cs, "03:10.0", "02:00.0")).isEqualTo(Outcome.OK);
        assertThat(addVf(xen420, cs, "03:10.0", "02:00.0")).isEqualTo(Outcome.ENODEV);

        assertThat(pdevs(xen44)).containsExactly("02:00.0", "03:10.0");
        assertThat(pdevs(xen420)).isEmpty();
        assertThat(contexts(xen420)).isEmpty();

        // an existing pdev at that address is dropped too; its context entry stays
        add(xen420, cs, "03:10.0");
        assertThat(addVf(xen420, cs, "03:10.0", "02:00.0")).isEqualTo(Outcome.ENODEV);
        assertThat(pdevs(xen420)).isEmpty();
        assertThat(contexts(xen420)).isEqualTo(Map.of("03:10.0", 0));
    }

    @Test
    void f_xen_4_20_removing_a_pf_with_vfs_is_ebusy_marks_it_and_its_vfs_broken_and_assign_then_is_ebadf() {
        // PF 02:00.0 and VF 03:10.0 reported with virtfn-of: the VF joins the PF's list at its first VF report.
        // remove 02:00.0: 4.4 unmaps and frees it (0). 4.20: not a VF, list non-empty: EBUSY, nothing removed,
        // PF and VF marked broken; assign of the VF to a domU: EBADF (4.4: ok).
        MapConfigSpace cs = new MapConfigSpace()
                .put("02:00.0", endpoint("pf", PCIE_ENDPOINT))
                .put("03:10.0", virtualFunction("pf.vf0"));
        Xen xen44 = new Xen(Policy.XEN_4_4, 0);
        Xen xen420 = new Xen(Policy.XEN_4_20, 0);
        for (Xen xen : List.of(xen44, xen420)) {
            add(xen, cs, "02:00.0");
            addVf(xen, cs, "03:10.0", "02:00.0");
        }
        assertThat(pdev(xen420, "02:00.0").vfs()).containsExactly(bdf("03:10.0"));
        assertThat(pdev(xen44, "02:00.0").vfs()).isEmpty();

        assertThat(xen44.pciRemoveDevice(cs, bdf("02:00.0"), XenTrace.NONE)).isEqualTo(Outcome.OK);
        assertThat(xen420.pciRemoveDevice(cs, bdf("02:00.0"), XenTrace.NONE)).isEqualTo(Outcome.EBUSY);

        assertThat(pdevs(xen44)).containsExactly("03:10.0");
        assertThat(pdevs(xen420)).containsExactly("02:00.0", "03:10.0");
        assertThat(pdev(xen420, "02:00.0").broken()).isTrue();
        assertThat(pdev(xen420, "03:10.0").broken()).isTrue();
        assertThat(contexts(xen420)).isEqualTo(Map.of("02:00.0", 0, "03:10.0", 0));

        assertThat(assign(xen44, cs, "03:10.0", D1)).isEqualTo(Outcome.OK);
        assertThat(assign(xen420, cs, "03:10.0", D1)).isEqualTo(Outcome.EBADF);

        // the VF leaves the list when it is freed while flagged a VF; then the PF goes
        assertThat(xen420.pciRemoveDevice(cs, bdf("03:10.0"), XenTrace.NONE)).isEqualTo(Outcome.OK);
        assertThat(pdev(xen420, "02:00.0").vfs()).isEmpty();
        assertThat(xen420.pciRemoveDevice(cs, bdf("02:00.0"), XenTrace.NONE)).isEqualTo(Outcome.OK);
    }

    // ------------------------------------------------------------------ xen-4.22

    @Test
    void g_xen_4_22_a_pci_to_pcie_bridge_fills_bus2bridge_and_its_mapping_is_still_einval() {
        // hub 00:1e.0 [0,5,5] (legacy) fills 5; p2e 05:00.0 [5,6,7] (PCI-to-PCIe): 4.4 reads nothing, 4.22 fills 6, 7
        MapConfigSpace cs = new MapConfigSpace()
                .put("00:1e.0", bridge("hub", PCI_BRIDGE, 0, 5, 5))
                .put("05:00.0", bridge("p2e", PCI_TO_PCIE_BRIDGE, 5, 6, 7));
        Xen xen44 = new Xen(Policy.XEN_4_4, 0);
        Xen xen422 = new Xen(Policy.XEN_4_22, 0);
        for (Xen xen : List.of(xen44, xen422)) {
            add(xen, cs, "00:1e.0");
            assertThat(add(xen, cs, "05:00.0")).as(xen.policy().text()).isEqualTo(Outcome.EINVAL);
        }

        assertThat(mapped(xen44)).isEqualTo(Map.of(5, "00:1e.0"));
        assertThat(mapped(xen422)).isEqualTo(Map.of(5, "00:1e.0", 6, "05:00.0", 7, "05:00.0"));

        // free_pdev copies entry 5 over the range read now (6..7)
        xen422.pciRemoveDevice(cs, bdf("05:00.0"), XenTrace.NONE);
        assertThat(mapped(xen422)).isEqualTo(Map.of(5, "00:1e.0", 6, "00:1e.0", 7, "00:1e.0"));
    }

    // ------------------------------------------------------------------ snapshots from before the releases

    @Test
    void a_snapshot_written_before_the_releases_reads_back_with_no_vf_links_nothing_broken_and_no_crashed_domain()
            throws Exception {
        // a 4.4 Xen with a PF and a VF, a passthrough and a pdev without owner; its JSON without the fields the
        // releases added (pdevs' linkedPf, vfs, broken; the snapshot's crashed) is what an older build stored
        MapConfigSpace cs = new MapConfigSpace()
                .put("02:00.0", endpoint("pf", PCIE_ENDPOINT))
                .put("03:10.0", virtualFunction("pf.vf0"));
        Xen xen = new Xen(Policy.XEN_4_4, 0);
        add(xen, cs, "02:00.0");
        addVf(xen, cs, "03:10.0", "02:00.0");
        assign(xen, cs, "03:10.0", D1);
        add(xen, cs, "00:05.0");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode tree = json.valueToTree(xen.snapshot());
        tree.remove("crashed");
        tree.get("pdevs").forEach(p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p)
                .remove(List.of("linkedPf", "vfs", "broken")));

        Xen.Snapshot old = json.treeToValue(tree, Xen.Snapshot.class);

        assertThat(old).isEqualTo(xen.snapshot());
        assertThat(old.crashed()).isEmpty();
        assertThat(old.pdevs()).allSatisfy(p -> {
            assertThat(p.linkedPf()).isNull();
            assertThat(p.vfs()).isEmpty();
            assertThat(p.broken()).isFalse();
        });
    }
}
