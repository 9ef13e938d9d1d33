package dev.pcitimeline.projections.diff;

import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.projections.diff.StateDiff.Bus2BridgeChange;
import dev.pcitimeline.projections.diff.StateDiff.ContextChange;
import dev.pcitimeline.projections.diff.StateDiff.FindingChange;
import dev.pcitimeline.projections.diff.StateDiff.HardwareChange;
import dev.pcitimeline.projections.diff.StateDiff.HungChange;
import dev.pcitimeline.projections.diff.StateDiff.PdevChange;
import dev.pcitimeline.projections.diff.StateDiff.Side;
import dev.pcitimeline.projections.diff.StateDiff.Summary;
import dev.pcitimeline.projections.diff.StateDiff.UpstreamChange;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.query.StateDocument.Bus2BridgeMapping;
import dev.pcitimeline.projections.query.StateDocument.Context;
import dev.pcitimeline.projections.query.StateDocument.FindingEntry;
import dev.pcitimeline.projections.query.StateDocument.HardwareFunction;
import dev.pcitimeline.projections.query.StateDocument.Pdev;
import dev.pcitimeline.projections.query.StateDocument.Upstream;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.query.UnknownSystemException;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * API.md's diff: what changed between two events of a system, or between two policies at one event. Both sides
 * are {@link StateQueries#state} documents, so the comparison adds no fold logic of its own.
 */
@Service
public class DiffQueries {
    private final StateQueries queries;

    public DiffQueries(StateQueries queries) {
        this.queries = queries;
    }

    /**
     * From the state after event {@code from} (null: 1) to the state after event {@code to} (null: now), both under
     * {@code policyOrNull} (null: the system's own).
     *
     * @throws UnknownSystemException   no such system in the views
     * @throws IllegalArgumentException an event outside the system's events
     */
    public StateDiff events(String system, Integer from, Integer to, Policy policyOrNull) {
        StateDocument a = queries.state(system, from == null ? 1 : from, null, policyOrNull);
        StateDocument b = queries.state(system, to, null, policyOrNull);
        return between("events", a, b);
    }

    /**
     * From the state under {@code policyOrNull} (null: the system's own) to the state under {@code vs}, both after
     * event {@code atEvent} (null: now).
     *
     * @throws UnknownSystemException   no such system in the views
     * @throws IllegalArgumentException {@code vs} missing, or an event outside the system's events
     */
    public StateDiff policies(String system, Integer atEvent, Policy policyOrNull, Policy vs) {
        if (vs == null) {
            throw new IllegalArgumentException("vs is required: the policy to compare with");
        }
        StateDocument a = queries.state(system, atEvent, null, policyOrNull);
        // "now" once: the projection may move on between the two reads
        StateDocument b = queries.state(system, Math.toIntExact(a.event()), null, vs);
        return between("policies", a, b);
    }

    /** What differs from {@code a} to {@code b} (two state objects of one system). */
    public static StateDiff between(String kind, StateDocument a, StateDocument b) {
        List<Bus2BridgeChange> bus2bridge = changes(a.bus2bridge(), b.bus2bridge(), Bus2BridgeMapping::bus,
                Comparator.naturalOrder(), (bus, x, y) -> new Bus2BridgeChange(bus, x == null ? null : x.bridge(),
                        y == null ? null : y.bridge()));
        List<PdevChange> pdevs = changes(a.pdevs(), b.pdevs(), Pdev::bdf, Comparator.naturalOrder(), PdevChange::new);
        List<UpstreamChange> upstream = changes(a.upstream(), b.upstream(), Upstream::bdf, Comparator.naturalOrder(),
                UpstreamChange::new);
        List<ContextChange> contexts = changes(a.contexts(), b.contexts(), Context::bdf, Comparator.naturalOrder(),
                (bdf, x, y) -> new ContextChange(bdf, x == null ? null : x.domain(), y == null ? null : y.domain()));
        List<HardwareChange> hardware = changes(a.hardware(), b.hardware(), HardwareFunction::bdf,
                Comparator.naturalOrder(), HardwareChange::new);
        List<FindingChange> findings = findings(a.findings(), b.findings());
        HungChange hung = a.hung() == b.hung() ? null : new HungChange(a.hung(), b.hung());
        int total = bus2bridge.size() + pdevs.size() + upstream.size() + contexts.size() + hardware.size()
                + findings.size() + (hung == null ? 0 : 1);
        return new StateDiff(a.system(), kind, side(a), side(b), hung, bus2bridge, pdevs, upstream, contexts, hardware,
                findings, new Summary(bus2bridge.size(), pdevs.size(), upstream.size(), contexts.size(), hardware.size(),
                findings.size(), total));
    }

    private static Side side(StateDocument d) {
        return new Side(d.policy(), d.event(), d.step());
    }

    private interface Change<K, V, C> {
        C of(K key, V from, V to);
    }

    /** Entries keyed by {@code key} whose values differ (a missing entry is null), in key order. */
    private static <K, V, C> List<C> changes(List<V> a, List<V> b, Function<V, K> key, Comparator<K> order,
                                             Change<K, V, C> change) {
        Map<K, V> left = index(a, key);
        Map<K, V> right = index(b, key);
        TreeSet<K> keys = new TreeSet<>(order);
        keys.addAll(left.keySet());
        keys.addAll(right.keySet());
        List<C> out = new ArrayList<>();
        for (K k : keys) {
            V x = left.get(k);
            V y = right.get(k);
            if (!Objects.equals(x, y)) {
                out.add(change.of(k, x, y));
            }
        }
        return out;
    }

    /** Findings that hold on one side only, in the order the state object lists them (left side first). */
    private static List<FindingChange> findings(List<FindingEntry> a, List<FindingEntry> b) {
        Map<String, FindingEntry> left = index(a, DiffQueries::findingKey);
        Map<String, FindingEntry> right = index(b, DiffQueries::findingKey);
        List<FindingEntry> ordered = new ArrayList<>(a);
        ordered.addAll(b);
        ordered.sort(Comparator.comparingInt((FindingEntry f) -> kindOrder(f.kind()))
                .thenComparing(FindingEntry::bus, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(FindingEntry::bdf, Comparator.nullsFirst(Comparator.naturalOrder())));
        List<FindingChange> out = new ArrayList<>();
        for (FindingEntry f : ordered) {
            String k = findingKey(f);
            boolean onlyLeft = left.containsKey(k) && !right.containsKey(k);
            boolean onlyRight = right.containsKey(k) && !left.containsKey(k);
            if (onlyLeft || onlyRight) { // such a key is in the list once
                out.add(new FindingChange(f.kind(), f.bus(), f.bdf(), left.get(k), right.get(k)));
            }
        }
        return out;
    }

    private static int kindOrder(String kind) {
        try {
            return Finding.Kind.valueOf(kind).ordinal();
        } catch (IllegalArgumentException unknown) {
            return Integer.MAX_VALUE;
        }
    }

    /** Kind and subject: the same finding on both sides. */
    private static String findingKey(FindingEntry f) {
        return f.kind() + "|" + f.bus() + "|" + f.bdf();
    }

    private static <K, V> Map<K, V> index(List<V> values, Function<V, K> key) {
        Map<K, V> out = new LinkedHashMap<>();
        for (V v : values) {
            out.put(key.apply(v), v);
        }
        return out;
    }
}
