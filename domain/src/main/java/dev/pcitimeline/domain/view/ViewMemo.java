package dev.pcitimeline.domain.view;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.view.MachineView.UpstreamRow;
import dev.pcitimeline.domain.xen.Bus2BridgeEntry;
import dev.pcitimeline.domain.xen.Xen;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one fold's views derive from parts of the machine that most events leave alone, kept while those parts stay
 * the same: from Xen's bus2bridge table alone, the find_upstream_bridge walks (the {@code upstream} rows, the loop
 * and self-reference findings; a walk in a loop takes 257 hops); and each group of findings of §5, with the inputs
 * it was computed from ({@link Findings#of(dev.pcitimeline.domain.hardware.Hardware, Xen, Xen, ViewMemo)}).
 *
 * <p>"The same input" is decided by identity, never by comparing contents: Xen's table holds immutable entries, its
 * pdev list is one immutable list until a pdev changes ({@link Xen#pdevs()}), its context entries carry a change
 * count ({@link Xen#contextChanges()}), the hardware a version, and the expected boot is recomputed as a new object
 * when the hardware changes. A changed input always misses; an unchanged one may miss (a new list with the same
 * pdevs), which only costs a recomputation. Mutable; one per fold, used by one thread.
 */
public final class ViewMemo {
    private final Bus2BridgeEntry[] seen = new Bus2BridgeEntry[256];
    private boolean valid;
    /** Bumped whenever {@link #sync} finds another table: the table's identity for the groups below. */
    private long table;
    private final Map<Bdf, UpstreamRow> upstream = new HashMap<>();
    private List<Finding> loops;
    private List<Finding> self;
    /** BUS2BRIDGE_DANGLING: the table and the pdevs. */
    final Group dangling = new Group();
    /** BUS2BRIDGE_STALE: the table and the expected boot. */
    final Group stale = new Group();
    /** PDEV_STALE and PDEV_MISSING: the pdevs and the hardware. */
    final Group pdevs = new Group();
    /** CONTEXT_MISSING, _FOREIGN and _ORPHAN: the pdevs, the context entries and the hardware. */
    final Group contexts = new Group();
    /** DECODE_CONFLICT: the hardware. */
    final Group decode = new Group();

    /** Forgets what depends on the table unless {@code xen}'s table holds the very entries it held last time. */
    void sync(Xen xen) {
        boolean same = valid;
        for (int bus = 0; bus < seen.length; bus++) {
            Bus2BridgeEntry e = xen.bus2bridge(bus);
            if (seen[bus] != e) { // entries are immutable values: the same instance is the same entry
                seen[bus] = e;
                same = false;
            }
        }
        if (!same) {
            upstream.clear();
            loops = null;
            self = null;
            valid = true;
            table++;
        }
    }

    /** The table {@link #sync} saw last, as a number that changes whenever the table does. */
    long table() {
        return table;
    }

    UpstreamRow upstream(Bdf bdf) {
        return upstream.get(bdf);
    }

    void upstream(Bdf bdf, UpstreamRow row) {
        upstream.put(bdf, row);
    }

    List<Finding> loops() {
        return loops;
    }

    List<Finding> self() {
        return self;
    }

    void loopsAndSelf(List<Finding> loopFindings, List<Finding> selfFindings) {
        this.loops = loopFindings;
        this.self = selfFindings;
    }

    /** One group's findings and the inputs they came from: up to three objects (by identity) and two numbers. */
    static final class Group {
        private Object a;
        private Object b;
        private Object c;
        private long x;
        private long y;
        private List<Finding> findings;

        /** The findings computed from exactly these inputs, or null. */
        List<Finding> get(Object a, Object b, Object c, long x, long y) {
            return findings != null && this.a == a && this.b == b && this.c == c && this.x == x && this.y == y
                    ? findings : null;
        }

        /** Keeps {@code findings} (an immutable list) for these inputs and returns it. */
        List<Finding> put(Object a, Object b, Object c, long x, long y, List<Finding> findings) {
            this.a = a;
            this.b = b;
            this.c = c;
            this.x = x;
            this.y = y;
            this.findings = findings;
            return findings;
        }
    }
}
