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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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

    /** The expected state: what a fresh xen-boot on the hardware as it is now would produce. */
    public static Xen expected(Hardware hw, Xen actual) {
        return Xen.freshBoot(actual.policy(), hw);
    }

    /** Every finding, in the order of the table in §5, each group sorted by subject. */
    public static List<Finding> of(Hardware hw, Xen xen, Xen expected) {
        return of(hw, xen, expected, null);
    }

    /** The same, with what depends on the bus2bridge table alone taken from (and kept in) {@code memo} if given. */
    public static List<Finding> of(Hardware hw, Xen xen, Xen expected, Bus2BridgeMemo memo) {
        List<Finding> out = new ArrayList<>();
        bus2bridge(xen, expected, out, memo);
        pdevs(hw, xen, out);
        contexts(hw, xen, out);
        for (int bus : hw.decodeConflicts()) {
            out.add(Finding.onBus(DECODE_CONFLICT, bus, "two bridges on one bus both claim bus " + hex2(bus)
                    + ": the first in devfn order takes its config cycles"));
        }
        if (xen.hung()) {
            out.add(new Finding(XEN_HUNG, null, null,
                    "Xen is hung in an 8-bit bus2bridge loop (subordinate 0xff): its state is frozen until xen-boot or reboot"));
        }
        for (int domain : xen.crashedDomains()) {
            out.add(Finding.onDomain(DOMAIN_CRASHED, domain, "Xen crashed d" + domain
                    + ": unmapping its device walked bus2bridge into a loop (-1); a fresh Xen forgets it"));
        }
        return out;
    }

    private static void bus2bridge(Xen xen, Xen expected, List<Finding> out, Bus2BridgeMemo memo) {
        if (memo != null) {
            memo.sync(xen);
        }
        List<Finding> loops = memo == null ? null : memo.loops();
        List<Finding> self = memo == null ? null : memo.self();
        boolean walk = loops == null;
        if (walk) {
            loops = new ArrayList<>();
            self = new ArrayList<>();
        }
        List<Finding> dangling = new ArrayList<>();
        List<Finding> stale = new ArrayList<>();
        for (int bus = 0; bus < 256; bus++) {
            Bus2BridgeEntry e = xen.bus2bridge(bus);
            if (e.map()) {
                // messages are only formatted for findings that hold: most entries are fine
                if (walk && xen.findUpstreamBridge(bus, 0).result() == -1) {
                    loops.add(Finding.onBus(BUS2BRIDGE_LOOP, bus, "the upstream walk from bus " + hex2(bus)
                            + " never ends (entry -> " + target(e) + "): find_upstream_bridge gives -1"));
                }
                if (walk && e.bus() == bus) {
                    self.add(Finding.onBus(BUS2BRIDGE_SELF, bus, "bus2bridge[" + hex2(bus) + "] points at "
                            + target(e) + ", a function on bus " + hex2(bus) + " itself"));
                }
                if (xen.pdev(e.bus(), e.devfn()) == null) {
                    dangling.add(Finding.onBus(BUS2BRIDGE_DANGLING, bus, "bus2bridge[" + hex2(bus) + "] points at "
                            + target(e) + ", where Xen has no pdev"));
                }
            }
            Bus2BridgeEntry want = expected.bus2bridge(bus);
            if (!sameMapping(e, want)) {
                stale.add(Finding.onBus(BUS2BRIDGE_STALE, bus, "bus2bridge[" + hex2(bus) + "] is " + describe(e)
                        + ", a fresh boot on this hardware gives " + describe(want)));
            }
        }
        if (walk && memo != null) {
            memo.loopsAndSelf(loops, self);
        }
        out.addAll(loops);
        out.addAll(self);
        out.addAll(dangling);
        out.addAll(stale);
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

    // Messages are built for every finding after every event that changes Xen or the hardware:
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

    private static void pdevs(Hardware hw, Xen xen, List<Finding> out) {
        for (Pdev p : xen.pdevs()) {
            ConfigSpace.Answer now = hw.answerAt(p.bdf().bus(), p.bdf().devfn());
            String nowId = now == null ? null : now.id();
            if (nowId == null || !nowId.equals(p.allocatedFor())) {
                out.add(Finding.onBdf(PDEV_STALE, p.bdf(), p.bdf().shortText() + " was allocated for "
                        + (p.allocatedFor() == null ? "nothing" : p.allocatedFor()) + " but now "
                        + (nowId == null ? "nothing answers there" : nowId + " answers there")));
            }
        }
        for (Hardware.Reached r : hw.reachableFunctions()) {
            if (xen.pdev(r.bdf().bus(), r.bdf().devfn()) == null) {
                out.add(Finding.onBdf(PDEV_MISSING, r.bdf(),
                        r.id() + " answers at " + r.bdf().shortText() + " but Xen has no pdev there"));
            }
        }
    }

    private static void contexts(Hardware hw, Xen xen, List<Finding> out) {
        Map<Integer, DomainId> entries = xen.contexts();
        Set<Integer> needed = new HashSet<>();
        TreeMap<Integer, Finding> missing = new TreeMap<>();
        TreeMap<Integer, Finding> foreign = new TreeMap<>();
        for (Pdev p : xen.pdevs()) {
            if (p.owner() == null) {
                continue;
            }
            for (int rid : requesterIds(hw, p.bdf())) {
                needed.add(rid);
                DomainId holder = entries.get(rid);
                Bdf at = Bdf.ofRid(xen.segment(), rid);
                if (holder == null) {
                    if (!missing.containsKey(rid)) { // the first pdev needing it names it
                        missing.put(rid, Finding.onBdf(CONTEXT_MISSING, at, p.bdf().shortText() + " (owned by "
                                + p.owner() + ") needs requester ID " + at.shortText() + " and it has no context entry"
                                + (rid == p.bdf().rid() && p.type().isBridge() ? " (Xen 4.4 never maps bridges themselves)" : "")));
                    }
                } else if (!holder.equals(p.owner()) && !foreign.containsKey(rid)) {
                    foreign.put(rid, Finding.onBdf(CONTEXT_FOREIGN, at, p.bdf().shortText() + " (owned by "
                            + p.owner() + ") needs requester ID " + at.shortText() + " but its entry belongs to " + holder));
                }
            }
        }
        out.addAll(missing.values());
        out.addAll(foreign.values());
        for (Map.Entry<Integer, DomainId> e : entries.entrySet()) {
            if (!needed.contains(e.getKey())) {
                Bdf at = Bdf.ofRid(xen.segment(), e.getKey());
                out.add(Finding.onBdf(CONTEXT_ORPHAN, at, "the context entry for " + at.shortText() + " (" + e.getValue()
                        + ") is needed by no pdev a domain owns"));
            }
        }
    }

    /**
     * The requester IDs a pdev at {@code bdf} needs, from the hardware as it is: its own; for a
     * pci-endpoint, walking up through conventional bridges, the top-most one's RID and, when
     * that is a PCIe-to-PCI bridge, {@code secondary:00.0} too.
     */
    public static List<Integer> requesterIds(Hardware hw, Bdf bdf) {
        List<Integer> rids = new ArrayList<>(3);
        rids.add(bdf.rid());
        ConfigSpace.Answer a = hw.answerAt(bdf.bus(), bdf.devfn());
        if (a == null || a.virtual() || a.kind() != DeviceKind.PCI_ENDPOINT) {
            return rids;
        }
        HardwareFunction top = null;
        for (HardwareFunction up = hw.function(a.id()).parent(); up != null
                && (up.kind() == DeviceKind.PCI_BRIDGE || up.kind() == DeviceKind.PCIE_TO_PCI_BRIDGE); up = up.parent()) {
            top = up;
        }
        if (top != null) {
            rids.add(top.rid());
            if (top.kind() == DeviceKind.PCIE_TO_PCI_BRIDGE) {
                rids.add(top.buses().secondary() * 256);
            }
        }
        return rids;
    }
}
