package dev.pcitimeline.domain.view;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.view.MachineView.UpstreamRow;
import dev.pcitimeline.domain.xen.Xen;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one fold's views derive from parts of the state, kept while those parts stay the same: the
 * find_upstream_bridge walks (the {@code upstream} rows, the loop and self-reference findings) while Xen's
 * bus2bridge table does (a walk in a loop takes 257 hops), and each group of {@link Findings} while what it reads
 * does. Most events change one part at most: a pdev added leaves the context entries and the hardware alone, a
 * bridge's bus numbers written leave Xen alone.
 *
 * <p>"The same" is by identity: Xen's stamps ({@link Xen#tableStamp()}, {@link Xen#contextsStamp()}) and pdev list
 * ({@link Xen#pdevs()}), which are replaced at every change, and the hardware's instance and version. Mutable; one
 * per fold, used by one thread.
 */
public final class ViewMemo {
    private Object tableStamp;
    private final Map<Bdf, UpstreamRow> upstream = new HashMap<>();
    private List<Finding> loops;
    private List<Finding> self;

    /** A group of findings and the identities of what it was computed from (null: not computed yet). */
    static final class Group {
        private Object a;
        private Object b;
        private Object c;
        private long version;
        private List<Finding> findings;

        /** The group's findings if computed from these very inputs, else null. */
        List<Finding> get(Object a, Object b, Object c, long version) {
            // by identity: see the class comment
            return findings != null && this.a == a && this.b == b && this.c == c && this.version == version
                    ? findings : null;
        }

        List<Finding> put(Object a, Object b, Object c, long version, List<Finding> findings) {
            this.a = a;
            this.b = b;
            this.c = c;
            this.version = version;
            this.findings = findings;
            return findings;
        }
    }

    /** BUS2BRIDGE_DANGLING: the table and the pdevs. */
    final Group dangling = new Group();
    /** BUS2BRIDGE_STALE: the table and the fresh boot's. */
    final Group stale = new Group();
    /** PDEV_STALE and PDEV_MISSING: the pdevs and the hardware. */
    final Group pdevs = new Group();
    /** CONTEXT_*: the pdevs (their owners), the context entries and the hardware (the requester IDs). */
    final Group contexts = new Group();
    /** DECODE_CONFLICT: the hardware. */
    final Group decode = new Group();

    /** The last list {@link Findings#of} gave and the group lists it joined: all the same, the same list again. */
    private List<Finding> joined;
    private Object[] joinedFrom = new Object[0];

    /** Forgets the walks unless {@code xen}'s table is the one they were made on. */
    void sync(Xen xen) {
        Object stamp = xen.tableStamp();
        if (stamp != tableStamp) {
            tableStamp = stamp;
            upstream.clear();
            loops = null;
            self = null;
        }
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

    /** The list joined from these very parts last time, or null. */
    List<Finding> joined(Object[] parts) {
        if (joined == null || parts.length != joinedFrom.length) {
            return null;
        }
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] != joinedFrom[i]) {
                return null;
            }
        }
        return joined;
    }

    List<Finding> joined(Object[] parts, List<Finding> list) {
        joinedFrom = parts;
        joined = list;
        return list;
    }

    /**
     * The list {@link Findings#of} gave last is equal to {@code equal} (a caller that keeps an unchanged list's
     * instance found so, finding by finding): from now on it gives {@code equal} for the same parts, which the caller
     * tells by identity. Not checked here: that would compare them all again.
     */
    public void joinedEquals(List<Finding> equal) {
        if (joined != null) {
            joined = equal;
        }
    }
}
