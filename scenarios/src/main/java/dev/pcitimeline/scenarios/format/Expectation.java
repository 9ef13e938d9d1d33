package dev.pcitimeline.scenarios.format;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One {@code expect} entry (SCENARIOS.md, "expect"): assertions on the state after the step
 * before it. Every field is null when its key is absent.
 *
 * @param line       the line of the {@code expect} key
 * @param outcome    outcome of the previous step
 * @param bus2bridge exactly the mapped entries: bus number to bridge
 * @param pdevs      exactly the BDFs in Xen's pdev list (file order)
 * @param upstream   find_upstream_bridge result per pdev (those listed only)
 * @param contexts   exactly the VT-d context entries: BDF to domain id
 * @param findings   findings that must be present (a subset)
 * @param hung       whether Xen is hung
 * @param policy     check against this policy's view instead of the system's
 */
public record Expectation(
        int line,
        Outcome outcome,
        SortedMap<Integer, Bdf> bus2bridge,
        List<Bdf> pdevs,
        Map<Bdf, UpstreamExpectation> upstream,
        Map<Bdf, Integer> contexts,
        List<ExpectedFinding> findings,
        Boolean hung,
        Policy policy) {

    public Expectation {
        bus2bridge = bus2bridge == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(bus2bridge));
        pdevs = pdevs == null ? null : List.copyOf(pdevs);
        upstream = upstream == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(upstream));
        contexts = contexts == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(contexts));
        findings = findings == null ? null : List.copyOf(findings);
    }
}
