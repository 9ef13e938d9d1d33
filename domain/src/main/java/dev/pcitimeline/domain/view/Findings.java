package dev.pcitimeline.domain.view;

import dev.pcitimeline.domain.hardware.ConfigSpace;
import dev.pcitimeline.domain.hardware.Hardware;
import dev.pcitimeline.domain.hardware.HardwareFunction;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DeviceKind;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.xen.Bus2BridgeEntry;
import dev.pcitimeline.domain.xen.Pdev;
import dev.pcitimeline.domain.xen.Xen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static dev.pcitimeline.domain.view.Finding.Kind.BUS2BRIDGE_DANGLING;
import static dev.pcitimeline.domain.view.Finding.Kind.BUS2BRIDGE_LOOP;
import static dev.pcitimeline.domain.view.Finding.Kind.BUS2BRIDGE_SELF;
import static dev.pcitimeline.domain.view.Finding.Kind.BUS2BRIDGE_STALE;
import static dev.pcitimeline.domain.view.Finding.Kind.CONTEXT_FOREIGN;
import static dev.pcitimeline.domain.view.Finding.Kind.CONTEXT_MISSING;
import static dev.pcitimeline.domain.view.Finding.Kind.CONTEXT_ORPHAN;
import static dev.pcitimeline.domain.view.Finding.Kind.DECODE_CONFLICT;
import static dev.pcitimeline.domain.view.Finding.Kind.DOMAIN_CRASHED;
import static dev.pcitimeline.domain.view.Finding.Kind.PDEV_MISSING;
import static dev.pcitimeline.domain.view.Finding.Kind.PDEV_STALE;
import static dev.pcitimeline.domain.view.Finding.Kind.XEN_HUNG;

/** Actual versus expected (XEN-MODEL.md §5): what is wrong with Xen's state at one moment. */
public final class Findings {
    private Findings() {
    }

    // The messages, written when a finding is read (see Finding): each from the values Findings gives it.
    private static final Finding.Template LOOP_TEXT = v -> "the upstream walk from bus " + hex2((Integer) v[0])
            + " never ends (entry -> " + target((Bus2BridgeEntry) v[1]) + "): find_upstream_bridge gives -1";
    private static final Finding.Template SELF_TEXT = v -> "bus2bridge[" + hex2((Integer) v[0]) + "] points at "
            + target((Bus2BridgeEntry) v[1]) + ", a function on bus " + hex2((Integer) v[0]) + " itself";
    private static final Finding.Template DANGLING_TEXT = v -> "bus2bridge[" + hex2((Integer) v[0]) + "] points at "
            + target((Bus2BridgeEntry) v[1]) + ", where Xen has no pdev";
    private static final Finding.Template STALE_TEXT = v -> "bus2bridge[" + hex2((Integer) v[0]) + "] is "
            + describe((Bus2BridgeEntry) v[1]) + ", a fresh boot on this hardware gives "
            + describe((Bus2BridgeEntry) v[2]);
    /** Values: the pdev's BDF, what it was allocated for (or null), what answers there now (or null). */
    private static final Finding.Template PDEV_STALE_TEXT = v -> ((Bdf) v[0]).shortText() + " was allocated for "
            + (v[1] == null ? "nothing" : v[1]) + " but now " + (v[2] == null ? "nothing answers there"
            : v[2] + " answers there");
    private static final Finding.Template PDEV_MISSING_TEXT = v -> v[0] + " answers at " + ((Bdf) v[1]).shortText()
            + " but Xen has no pdev there";
    /** Values: the pdev's BDF, its owner, the requester ID's BDF, whether that is the bridge's own. */
    private static final Finding.Template CONTEXT_MISSING_TEXT = v -> ((Bdf) v[0]).shortText() + " (owned by "
            + v[1] + ") needs requester ID " + ((Bdf) v[2]).shortText() + " and it has no context entry"
            + ((Boolean) v[3] ? " (Xen 4.4 never maps bridges themselves)" : "");
    private static final Finding.Template CONTEXT_FOREIGN_TEXT = v -> ((Bdf) v[0]).shortText() + " (owned by "
            + v[1] + ") needs requester ID " + ((Bdf) v[2]).shortText() + " but its entry belongs to " + v[3];
    private static final Finding.Template CONTEXT_ORPHAN_TEXT = v -> "the context entry for "
            + ((Bdf) v[0]).shortText() + " (" + v[1] + ") is needed by no pdev a domain owns";
    private static final Finding.Template DECODE_CONFLICT_TEXT = v -> "two bridges on one bus both claim bus "
            + hex2((Integer) v[0]) + ": the first in devfn order takes its config cycles";
    private static final Finding.Template XEN_HUNG_TEXT = v -> "Xen is hung in an 8-bit bus2bridge loop"
            + " (subordinate 0xff): its state is frozen until xen-boot or reboot";
    private static final Finding.Template DOMAIN_CRASHED_TEXT = v -> "Xen crashed d" + v[0]
            + ": unmapping its device walked bus2bridge into a loop (-1); a fresh Xen forgets it";

    /** The expected state: what a fresh xen-boot on the hardware as it is now would produce. */
    public static Xen expected(Hardware hw, Xen actual) {
        return Xen.freshBoot(actual.policy(), hw);
    }

    /**
     * What {@link #of} reads of the expected state, and cheaper to get: the fresh boot's bus2bridge table, from a boot
     * that allocates only the functions whose allocation can write it and hands none to dom0 ({@link Xen#bootTable}).
     * Either can be passed to {@link #of} as {@code expected}.
     */
    public static Xen expectedTable(Hardware hw, Xen actual) {
        return Xen.bootTable(actual.policy(), hw);
    }

    /**
     * Every finding, in the order of the table in §5, each group sorted by subject. Of {@code expected} (a fresh boot
     * of the hardware: {@link #expected} or {@link #expectedTable}) only the bus2bridge table is read.
     */
    public static List<Finding> of(Hardware hw, Xen xen, Xen expected) {
        return of(hw, xen, expected, null);
    }

    /**
     * The same, each group of findings taken from (and kept in) {@code memo} if given, while what the group reads is
     * the same (see {@link ViewMemo}); when every group is, the very list of the previous call.
     */
    public static List<Finding> of(Hardware hw, Xen xen, Xen expected, ViewMemo memo) {
        if (memo == null) {
            List<Finding> loops = new ArrayList<>();
            List<Finding> self = new ArrayList<>();
            walks(xen, loops, self);
            List<Finding> out = new ArrayList<>(loops);
            out.addAll(self);
            out.addAll(dangling(xen));
            out.addAll(stale(xen, expected));
            out.addAll(pdevs(hw, xen));
            out.addAll(contexts(hw, xen));
            out.addAll(decodeConflicts(hw));
            out.addAll(hungAndCrashed(xen));
            return out;
        }
        memo.sync(xen);
        if (memo.loops() == null) {
            List<Finding> loops = new ArrayList<>();
            List<Finding> self = new ArrayList<>();
            walks(xen, loops, self);
            memo.loopsAndSelf(loops, self);
        }
        Object table = xen.tableStamp();
        List<Pdev> pdevList = xen.pdevs();
        long version = hw.version();
        List<Finding> dangling = memo.dangling.get(table, pdevList, null, 0);
        if (dangling == null) {
            dangling = memo.dangling.put(table, pdevList, null, 0, dangling(xen));
        }
        List<Finding> stale = memo.stale.get(table, expected.tableStamp(), null, 0);
        if (stale == null) {
            stale = memo.stale.put(table, expected.tableStamp(), null, 0, stale(xen, expected));
        }
        List<Finding> pdevs = memo.pdevs.get(pdevList, hw, null, version);
        if (pdevs == null) {
            pdevs = memo.pdevs.put(pdevList, hw, null, version, pdevs(hw, xen));
        }
        List<Finding> contexts = memo.contexts.get(pdevList, xen.contextsStamp(), hw, version);
        if (contexts == null) {
            contexts = memo.contexts.put(pdevList, xen.contextsStamp(), hw, version, contexts(hw, xen));
        }
        List<Finding> decode = memo.decode.get(hw, null, null, version);
        if (decode == null) {
            decode = memo.decode.put(hw, null, null, version, decodeConflicts(hw));
        }
        Object[] parts = {memo.loops(), memo.self(), dangling, stale, pdevs, contexts, decode, hungAndCrashed(xen)};
        List<Finding> same = memo.joined(parts);
        if (same != null) {
            return same;
        }
        List<Finding> out = new ArrayList<>();
        for (Object part : parts) {
            @SuppressWarnings("unchecked")
            List<Finding> group = (List<Finding>) part;
            out.addAll(group);
        }
        return memo.joined(parts, Collections.unmodifiableList(out));
    }

    /** BUS2BRIDGE_LOOP into {@code loops}, BUS2BRIDGE_SELF into {@code self}: Xen's table alone. */
    private static void walks(Xen xen, List<Finding> loops, List<Finding> self) {
        for (int bus = 0; bus < 256; bus++) {
            Bus2BridgeEntry e = xen.bus2bridge(bus);
            if (e.map()) {
                if (xen.findUpstreamBridge(bus, 0).result() == -1) {
                    loops.add(Finding.of(BUS2BRIDGE_LOOP, bus, null, null, LOOP_TEXT, bus, e));
                }
                if (e.bus() == bus) {
                    self.add(Finding.of(BUS2BRIDGE_SELF, bus, null, null, SELF_TEXT, bus, e));
                }
            }
        }
    }

    /** BUS2BRIDGE_DANGLING: Xen's table and pdevs. */
    private static List<Finding> dangling(Xen xen) {
        List<Finding> dangling = new ArrayList<>();
        for (int bus = 0; bus < 256; bus++) {
            Bus2BridgeEntry e = xen.bus2bridge(bus);
            if (e.map() && xen.pdev(e.bus(), e.devfn()) == null) {
                dangling.add(Finding.of(BUS2BRIDGE_DANGLING, bus, null, null, DANGLING_TEXT, bus, e));
            }
        }
        return dangling;
    }

    /** BUS2BRIDGE_STALE: Xen's table against the fresh boot's. */
    private static List<Finding> stale(Xen xen, Xen expected) {
        List<Finding> stale = new ArrayList<>();
        for (int bus = 0; bus < 256; bus++) {
            Bus2BridgeEntry e = xen.bus2bridge(bus);
            Bus2BridgeEntry want = expected.bus2bridge(bus);
            if (!sameMapping(e, want)) {
                stale.add(Finding.of(BUS2BRIDGE_STALE, bus, null, null, STALE_TEXT, bus, e, want));
            }
        }
        return stale;
    }

    private static List<Finding> decodeConflicts(Hardware hw) {
        List<Finding> out = new ArrayList<>();
        for (int bus : hw.decodeConflicts()) {
            out.add(Finding.of(DECODE_CONFLICT, bus, null, null, DECODE_CONFLICT_TEXT, bus));
        }
        return out;
    }

    /** XEN_HUNG and DOMAIN_CRASHED; the same empty list while there are none. */
    private static List<Finding> hungAndCrashed(Xen xen) {
        if (!xen.hung() && xen.crashedDomains().isEmpty()) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        if (xen.hung()) {
            out.add(Finding.of(XEN_HUNG, null, null, null, XEN_HUNG_TEXT));
        }
        for (int domain : xen.crashedDomains()) {
            out.add(Finding.of(DOMAIN_CRASHED, null, null, domain, DOMAIN_CRASHED_TEXT, domain));
        }
        return out;
    }

    /** Unmapped entries are equal whatever stale target they keep: Xen never reads it. */
    private static boolean sameMapping(Bus2BridgeEntry a, Bus2BridgeEntry b) {
        return a.map() == b.map() && (!a.map() || (a.bus() == b.bus() && a.devfn() == b.devfn()));
    }

    private static String describe(Bus2BridgeEntry e) {
        return e.map() ? target(e) : "unmapped";
    }

    private static String target(Bus2BridgeEntry e) {
        return shortText(e.bus(), e.devfn());
    }

    // Messages are written whenever a state is read (tens of findings each):
    // plain hex digits instead of String.format, same text ("%02x:%02x.%x", "%02x", as Bdf prints).
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** {@code %02x} of a bus number. */
    static String hex2(int value) {
        if ((value & ~0xff) != 0) {
            return String.format("%02x", value);
        }
        return new String(new char[]{HEX[value >> 4], HEX[value & 15]});
    }

    private static String shortText(int bus, int devfn) {
        if ((bus & ~0xff) != 0 || (devfn & ~0xff) != 0) {
            return String.format("%02x:%02x.%x", bus, devfn >> 3, devfn & 7);
        }
        int device = devfn >> 3;
        return new String(new char[]{HEX[bus >> 4], HEX[bus & 15], ':', HEX[device >> 4], HEX[device & 15], '.',
                HEX[devfn & 7]});
    }

    private static List<Finding> pdevs(Hardware hw, Xen xen) {
        List<Finding> out = new ArrayList<>();
        for (Pdev p : xen.pdevs()) {
            ConfigSpace.Answer now = hw.answerAt(p.bdf().bus(), p.bdf().devfn());
            String nowId = now == null ? null : now.id();
            if (nowId == null || !nowId.equals(p.allocatedFor())) {
                out.add(Finding.of(PDEV_STALE, null, p.bdf(), null, PDEV_STALE_TEXT, p.bdf(), p.allocatedFor(),
                        nowId));
            }
        }
        for (Hardware.Reached r : hw.reachableFunctions()) {
            if (xen.pdev(r.bdf().bus(), r.bdf().devfn()) == null) {
                out.add(Finding.of(PDEV_MISSING, null, r.bdf(), null, PDEV_MISSING_TEXT, r.id(), r.bdf()));
            }
        }
        return out;
    }

    private static List<Finding> contexts(Hardware hw, Xen xen) {
        // Each requester ID a pdev a domain owns needs, as rid << 32 | the index of that pdev among them: sorted, each
        // rid's pdevs come in list order (the first one names a finding) and the rids run in the context entries'
        // order, so one merged walk over both finds what is missing, foreign and orphaned.
        List<Pdev> owned = new ArrayList<>();
        long[] needs = new long[64];
        int n = 0;
        int[] rids = new int[MAX_REQUESTER_IDS];
        for (Pdev p : xen.pdevs()) {
            if (p.owner() == null) {
                continue;
            }
            int count = requesterIds(hw, p.bdf(), rids);
            if (n + count > needs.length) {
                needs = Arrays.copyOf(needs, needs.length * 2);
            }
            for (int i = 0; i < count; i++) {
                needs[n++] = (long) rids[i] << 32 | owned.size();
            }
            owned.add(p);
        }
        Arrays.sort(needs, 0, n);
        List<Finding> missing = new ArrayList<>();
        List<Finding> foreign = new ArrayList<>();
        List<Finding> orphans = new ArrayList<>();
        Iterator<Map.Entry<Integer, DomainId>> entries = xen.contexts().entrySet().iterator();
        Map.Entry<Integer, DomainId> entry = entries.hasNext() ? entries.next() : null;
        for (int first = 0, end; first < n; first = end) {
            int rid = (int) (needs[first] >>> 32);
            end = first + 1;
            while (end < n && (int) (needs[end] >>> 32) == rid) {
                end++;
            }
            while (entry != null && entry.getKey() < rid) {
                orphans.add(orphan(xen, entry));
                entry = entries.hasNext() ? entries.next() : null;
            }
            DomainId holder = null;
            if (entry != null && entry.getKey() == rid) {
                holder = entry.getValue();
                entry = entries.hasNext() ? entries.next() : null;
            }
            Bdf at = Bdf.ofRid(xen.segment(), rid);
            if (holder == null) {
                Pdev p = owned.get((int) needs[first]); // the first pdev needing it names it
                missing.add(Finding.of(CONTEXT_MISSING, null, at, null, CONTEXT_MISSING_TEXT, p.bdf(), p.owner(), at,
                        rid == p.bdf().rid() && p.type().isBridge()));
                continue;
            }
            for (int i = first; i < end; i++) {
                Pdev p = owned.get((int) needs[i]);
                if (!holder.equals(p.owner())) {
                    foreign.add(Finding.of(CONTEXT_FOREIGN, null, at, null, CONTEXT_FOREIGN_TEXT, p.bdf(), p.owner(),
                            at, holder));
                    break;
                }
            }
        }
        while (entry != null) {
            orphans.add(orphan(xen, entry));
            entry = entries.hasNext() ? entries.next() : null;
        }
        List<Finding> out = new ArrayList<>(missing.size() + foreign.size() + orphans.size());
        out.addAll(missing);
        out.addAll(foreign);
        out.addAll(orphans);
        return out;
    }

    private static Finding orphan(Xen xen, Map.Entry<Integer, DomainId> entry) {
        Bdf at = Bdf.ofRid(xen.segment(), entry.getKey());
        return Finding.of(CONTEXT_ORPHAN, null, at, null, CONTEXT_ORPHAN_TEXT, at, entry.getValue());
    }

    /** A pdev needs its own requester ID, a top-most conventional bridge's and that bridge's secondary:00.0. */
    private static final int MAX_REQUESTER_IDS = 3;

    /**
     * The requester IDs a pdev at {@code bdf} needs, from the hardware as it is: its own; for a
     * pci-endpoint, walking up through conventional bridges, the top-most one's RID and, when
     * that is a PCIe-to-PCI bridge, {@code secondary:00.0} too.
     */
    public static List<Integer> requesterIds(Hardware hw, Bdf bdf) {
        int[] rids = new int[MAX_REQUESTER_IDS];
        int count = requesterIds(hw, bdf, rids);
        List<Integer> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(rids[i]);
        }
        return list;
    }

    /** The same into {@code rids} (room for {@link #MAX_REQUESTER_IDS}), in that order; returns how many. */
    private static int requesterIds(Hardware hw, Bdf bdf, int[] rids) {
        int count = 0;
        rids[count++] = bdf.rid();
        ConfigSpace.Answer a = hw.answerAt(bdf.bus(), bdf.devfn());
        if (a == null || a.virtual() || a.kind() != DeviceKind.PCI_ENDPOINT) {
            return count;
        }
        HardwareFunction top = null;
        for (HardwareFunction up = hw.function(a.id()).parent(); up != null
                && (up.kind() == DeviceKind.PCI_BRIDGE || up.kind() == DeviceKind.PCIE_TO_PCI_BRIDGE); up = up.parent()) {
            top = up;
        }
        if (top != null) {
            rids[count++] = top.rid();
            if (top.kind() == DeviceKind.PCIE_TO_PCI_BRIDGE) {
                rids[count++] = top.buses().secondary() * 256;
            }
        }
        return count;
    }
}
