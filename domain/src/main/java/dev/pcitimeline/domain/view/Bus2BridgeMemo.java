package dev.pcitimeline.domain.view;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.view.MachineView.UpstreamRow;
import dev.pcitimeline.domain.xen.Bus2BridgeEntry;
import dev.pcitimeline.domain.xen.Xen;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one fold's views derive from Xen's bus2bridge table alone (find_upstream_bridge walks: the
 * {@code upstream} rows and the loop and self-reference findings), kept while the table stays
 * entry for entry the same. A walk in a loop takes 257 hops, and most events leave the table
 * alone. Mutable; one per fold, used by one thread.
 */
public final class Bus2BridgeMemo {
    private final Bus2BridgeEntry[] seen = new Bus2BridgeEntry[256];
    private boolean valid;
    private final Map<Bdf, UpstreamRow> upstream = new HashMap<>();
    private List<Finding> loops;
    private List<Finding> self;

    /** Forgets everything unless {@code xen}'s table holds the very entries it held last time. */
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
}
