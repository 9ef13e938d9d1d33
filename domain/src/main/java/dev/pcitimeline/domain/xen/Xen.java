package dev.pcitimeline.domain.xen;

import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.hardware.ConfigSpace;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.BusNumber;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.value.XenDeviceType;
import dev.pcitimeline.domain.value.XenRelease;
import dev.pcitimeline.domain.xen.Bus2BridgeWriteCause.Rule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.pcitimeline.domain.value.DomainId.DOM0;
import static dev.pcitimeline.domain.value.DomainId.DOM_IO;

/**
 * Xen 4.4's PCI bookkeeping for one segment (XEN-MODEL.md §2), bugs included, under one of
 * the what-if builds of §4: the pdev list, {@code bus2bridge[0..255]} and the VT-d context
 * entries. Xen sees the hardware only through {@link ConfigSpace} reads. Mutable and
 * deterministic; private methods are named after the Xen functions they mirror.
 *
 * <p>Once an 8-bit loop never ends, the state is frozen inside it ({@link #hung()}) and
 * every operation answers {@link Outcome#HUNG} without changing anything.
 */
public final class Xen {

    private static final int BUSES = 256;
    /** __find_upstream_bridge gives up after this many hops (Xen's MAX_BUSES). */
    private static final int MAX_HOPS = 256;

    private final Policy policy;
    /** The rows of §4b this build has: every rule that differs from 4.4 asks it, by what the rule does. */
    private final XenRelease release;
    private final int segment;
    private final Bus2BridgeEntry[] bus2bridge = new Bus2BridgeEntry[BUSES];
    /** Keyed by requester ID, so iteration is bus/devfn order. */
    private final TreeMap<Integer, Pdev> pdevs = new TreeMap<>();
    /** {@link #pdevs()} until the next change of {@link #pdevs} (null: not made since): the views read it often. */
    private List<Pdev> pdevList;
    /** VT-d context entries: requester ID to the domain the entry was created for. */
    private final TreeMap<Integer, DomainId> contexts = new TreeMap<>();
    private boolean hung;
    /** Domains Xen crashed since it booted (§4b: only the later releases crash a domain). */
    private final TreeSet<Integer> crashed = new TreeSet<>();
    /**
     * Replaced at every change of the bus2bridge table, and of the context entries: what the views derive from one of
     * them holds while its stamp is the same object (a copy shares the stamps of the state it copies). Like
     * {@link #pdevs()}, whose list is the same instance until the pdevs change.
     */
    private Object tableStamp = new Object();
    private Object contextsStamp = new Object();

    public Xen(Policy policy, int segment) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.release = policy.release();
        if (segment < 0 || segment > 0xffff) {
            throw new IllegalArgumentException("segment " + segment + " is out of range 0..65535");
        }
        this.segment = segment;
        Arrays.fill(bus2bridge, Bus2BridgeEntry.EMPTY);
    }

    /** An independent copy: pdevs and entries are immutable values, the containers are new. */
    public Xen copy() {
        Xen copy = new Xen(policy, segment);
        System.arraycopy(bus2bridge, 0, copy.bus2bridge, 0, BUSES);
        copy.pdevs.putAll(pdevs);
        copy.pdevList = pdevList;
        copy.contexts.putAll(contexts);
        copy.hung = hung;
        copy.crashed.addAll(crashed);
        copy.tableStamp = tableStamp;
        copy.contextsStamp = contextsStamp;
        return copy;
    }

    public Policy policy() {
        return policy;
    }

    public int segment() {
        return segment;
    }

    public boolean hung() {
        return hung;
    }

    /** The domains Xen crashed since it booted, by id. */
    public SortedSet<Integer> crashedDomains() {
        return Collections.unmodifiableSortedSet(crashed);
    }

    // ------------------------------------------------------------------------------ views

    /** The pdev list sorted by bus, devfn. */
    public List<Pdev> pdevs() {
        if (pdevList == null) {
            pdevList = List.copyOf(pdevs.values());
        }
        return pdevList;
    }

    /** The pdev at (bus, devfn), or null. */
    public Pdev pdev(int bus, int devfn) {
        return pdevs.get(rid(bus, devfn));
    }

    public Bus2BridgeEntry bus2bridge(int bus) {
        return bus2bridge[BusNumber.check("bus", bus)];
    }

    /** The same object until the bus2bridge table changes: what derives from the table alone holds while it is. */
    public Object tableStamp() {
        return tableStamp;
    }

    /** The same object until a context entry changes. */
    public Object contextsStamp() {
        return contextsStamp;
    }

    /** Context entries by requester ID (bus*256 + devfn); an unmodifiable live view. */
    public SortedMap<Integer, DomainId> contexts() {
        return Collections.unmodifiableSortedMap(contexts);
    }

    /**
     * find_upstream_bridge: 0 on bus 0 or an unmapped bus; else walks the mapped entries up to
     * the top-most bridge, giving -1 after more than 256 hops (a self-reference or any cycle).
     */
    public UpstreamResult findUpstreamBridge(int bus, int devfn) {
        BusNumber.check("bus", bus);
        if (bus == 0 || !bus2bridge[bus].map()) {
            return UpstreamResult.none(devfn);
        }
        int secbus = bus;
        int hops = 0;
        while (bus2bridge[bus].map()) {
            Bus2BridgeEntry entry = bus2bridge[bus];
            secbus = bus;
            devfn = entry.devfn();
            bus = entry.bus();
            if (++hops > MAX_HOPS) {
                return UpstreamResult.loop(devfn);
            }
        }
        return new UpstreamResult(1, bus, devfn, secbus);
    }

    // ------------------------------------------------------------------------------ operations

    /** xen-boot: fresh state, not hung, no crashed domains. */
    public void reset() {
        Arrays.fill(bus2bridge, Bus2BridgeEntry.EMPTY);
        pdevs.clear();
        pdevList = null;
        contexts.clear();
        hung = false;
        crashed.clear();
        tableStamp = new Object();
        contextsStamp = new Object();
    }

    /**
     * The functions Xen's boot scan finds, in scan order: buses 0..255, devices 0..31,
     * functions 0..7; an absent function 0 ends the device, and functions 1..7 are looked at
     * only when function 0 has the multi-function bit (a VF never has it).
     */
    public static List<Bdf> bootScan(ConfigSpace cs) {
        int segment = cs.segment();
        List<Bdf> found = new ArrayList<>();
        for (int bus = 0; bus < BUSES; bus++) {
            if (!cs.mayAnswerOn(bus)) {
                continue; // nothing at any devfn: 32 reads that would all find nothing
            }
            for (int device = 0; device < 32; device++) {
                ConfigSpace.Answer function0 = cs.answerAt(bus, device << 3);
                if (function0 == null) {
                    continue;
                }
                found.add(new Bdf(segment, bus, device, 0));
                if (!function0.multiFunction()) {
                    continue;
                }
                for (int function = 1; function < 8; function++) {
                    if (cs.present(bus, device << 3 | function)) {
                        found.add(new Bdf(segment, bus, device, function));
                    }
                }
            }
        }
        return found;
    }

    /** alloc_pdev for one function the boot scan found. */
    public Outcome allocAtBoot(ConfigSpace cs, Bdf bdf, XenTrace t) {
        if (hung) {
            return Outcome.HUNG;
        }
        allocPdev(cs, bdf.bus(), bdf.devfn(), null, t);
        return hung ? Outcome.HUNG : Outcome.OK;
    }

    /** End of boot: in bus/devfn order, each pdev without owner goes to dom0 and is mapped; errors ignored. */
    public Outcome giveUnownedToDom0(ConfigSpace cs, XenTrace t) {
        if (hung) {
            return Outcome.HUNG;
        }
        // A copy of the list: owners change while we walk it.
        for (Pdev pdev : pdevs.values().toArray(new Pdev[0])) {
            if (pdev.owner() == null) {
                Pdev owned = setOwner(pdev, DOM0, t);
                domainContextMapping(cs, DOM0, owned, owned.bdf().devfn(), ContextChangeCause.MAP, t);
            }
        }
        return Outcome.OK;
    }

    /** PHYSDEVOP_pci_device_add. */
    public Outcome pciAddDevice(ConfigSpace cs, Bdf bdf, Bdf virtfnOf, XenTrace t) {
        if (hung) {
            return Outcome.HUNG;
        }
        boolean pfMissing = virtfnOf != null && !pdevs.containsKey(virtfnOf.rid());
        if (pfMissing && !release.refusesVfWithoutPf()) {
            pciAddDevice(cs, virtfnOf, null, t); // the PF as a plain device; its result is ignored
            if (hung) {
                return Outcome.HUNG;
            }
        }
        Pdev pdev = allocPdev(cs, bdf.bus(), bdf.devfn(), virtfnOf, t);
        if (hung) {
            return Outcome.HUNG;
        }
        pdev = copyReportInfo(pdev, virtfnOf, t);
        if (pfMissing && release.refusesVfWithoutPf()) {
            // (e) the PF lookup comes after alloc_pdev: whatever it returned is freed again
            t.releaseRuleApplied("e");
            freePdev(cs, pdev, t);
            return hung ? Outcome.HUNG : Outcome.ENODEV;
        }
        if (virtfnOf != null && release.linksVfsToPf() && pdev.linkedPf() == null) {
            pdev = joinVfList(pdev, virtfnOf, t);
        }
        if (pdev.owner() != null) {
            return Outcome.OK; // already owned: its context entries are not touched
        }
        Pdev owned = setOwner(pdev, DOM0, t);
        Outcome rc = domainContextMapping(cs, DOM0, owned, owned.bdf().devfn(), ContextChangeCause.MAP, t);
        if (!rc.isOk()) {
            setOwner(owned, null, t); // the pdev stays in the list, without owner
        }
        return rc;
    }

    /** PHYSDEVOP_pci_device_remove: unmap from the owner (EINVAL without one), then free_pdev regardless. */
    public Outcome pciRemoveDevice(ConfigSpace cs, Bdf bdf, XenTrace t) {
        if (hung) {
            return Outcome.HUNG;
        }
        Pdev pdev = pdevs.get(bdf.rid());
        if (pdev == null) {
            return Outcome.ENODEV;
        }
        if (release.linksVfsToPf() && pdev.virtfnOf() == null && !pdev.vfs().isEmpty()) {
            t.releaseRuleApplied("f");
            markBroken(pdev, t); // (f) a PF with VFs on its list is not removed
            return Outcome.EBUSY;
        }
        Outcome rc = pdev.owner() != null
                ? domainContextUnmap(cs, pdev.owner(), pdev, pdev.bdf().devfn(), ContextChangeCause.UNMAP, t)
                : Outcome.EINVAL;
        freePdev(cs, pdev, t);
        return hung ? Outcome.HUNG : rc;
    }

    /**
     * XEN_DOMCTL_assign_device to {@code domain}. Xen 4.4's device_assigned() only asks "is there
     * a pdev owned by dom0?": EBUSY otherwise, a missing pdev included. From 4.13 (h): no pdev is
     * ENODEV, the source is dom0 or dom_io (else EBUSY), and (f) a broken device is EBADF.
     */
    public Outcome assignDevice(ConfigSpace cs, Bdf bdf, DomainId domain, XenTrace t) {
        if (hung) {
            return Outcome.HUNG;
        }
        Pdev pdev = pdevs.get(bdf.rid());
        if (!release.assignsFromDom0OrDomIo()) {
            if (pdev == null || !DOM0.equals(pdev.owner())) {
                return Outcome.EBUSY;
            }
            return reassignDeviceOwnership(cs, DOM0, domain, pdev, t);
        }
        if (pdev == null) {
            t.releaseRuleApplied("h");
            return Outcome.ENODEV;
        }
        if (pdev.owner() == null || pdev.owner().isGuest()) {
            return Outcome.EBUSY;
        }
        if (pdev.owner().isDomIo()) {
            t.releaseRuleApplied("h");
        }
        if (pdev.broken() && domain.isGuest()) {
            t.releaseRuleApplied("f");
            return Outcome.EBADF;
        }
        return reassignDeviceOwnership(cs, pdev.owner(), domain, pdev, t);
    }

    /**
     * XEN_DOMCTL_deassign_device: a domU's device goes back to dom0, or, with quarantine (i),
     * to dom_io; a second deassign takes dom_io's back to dom0. Anything else is ENODEV.
     */
    public Outcome deassignDevice(ConfigSpace cs, Bdf bdf, XenTrace t) {
        if (hung) {
            return Outcome.HUNG;
        }
        Pdev pdev = pdevs.get(bdf.rid());
        if (pdev == null || pdev.owner() == null || pdev.owner().isDom0()) {
            return Outcome.ENODEV;
        }
        if (pdev.owner().isDomIo()) {
            return release.quarantinesOnDeassign() ? reassignDeviceOwnership(cs, DOM_IO, DOM0, pdev, t) : Outcome.ENODEV;
        }
        if (release.quarantinesOnDeassign()) {
            t.releaseRuleApplied("i");
        }
        return reassignDeviceOwnership(cs, pdev.owner(), release.quarantinesOnDeassign() ? DOM_IO : DOM0, pdev, t);
    }

    /**
     * fix-trap-bus-writes (§4): called for every bridge bus-register write. {@code reachable}:
     * config space reached that bridge at {@code at} before the write. Other policies: OK, no
     * change (even when hung: a config write is not a Xen operation there). Under the trap
     * policy: hung gives HUNG; else, if reachable and Xen holds a PCIe2PCI_BRIDGE or
     * LEGACY_PCI_BRIDGE pdev at {@code at}, free_pdev's copy over {@code before}'s range (source:
     * the entry of the pdev's bus), then alloc_pdev's fill over {@code after}'s range; either
     * 8-bit loop may hang.
     */
    public Outcome bridgeBusesWritten(Bdf at, boolean reachable, BridgeBuses before, BridgeBuses after, XenTrace t) {
        if (policy != Policy.FIX_TRAP_BUS_WRITES) {
            return Outcome.OK;
        }
        if (hung) {
            return Outcome.HUNG;
        }
        Pdev pdev = reachable ? pdevs.get(at.rid()) : null;
        if (pdev == null || !release.fillsBus2Bridge(pdev.type())) {
            return Outcome.OK;
        }
        copyLoop(before.secondary(), before.subordinate(), pdev.bdf().bus(), pdev, Rule.TRAP_COPY, t);
        if (!hung) {
            fillLoop(after.secondary(), after.subordinate(), Bus2BridgeEntry.mapped(pdev.bdf().bus(), pdev.bdf().devfn()),
                    pdev, Rule.TRAP_FILL, t);
        }
        return hung ? Outcome.HUNG : Outcome.OK;
    }

    /** What a fresh xen-boot on this config space produces: the "expected" state of XEN-MODEL.md §5. */
    public static Xen freshBoot(Policy policy, ConfigSpace cs) {
        Xen xen = boot(policy, cs, false);
        if (!xen.hung) {
            xen.giveUnownedToDom0(cs, XenTrace.NONE);
        }
        return xen;
    }

    /**
     * The bus2bridge table (and hang) of {@link #freshBoot}, cheaper: the boot's allocations of the functions whose
     * alloc_pdev can write the table (bridges, by the type Xen reads; no other allocation reads or writes it), none
     * handed to dom0 (handing over never writes the table). The pdevs are not the boot's: only the table is.
     */
    public static Xen bootTable(Policy policy, ConfigSpace cs) {
        return boot(policy, cs, true);
    }

    /** The boot scan's functions allocated in its order, until a hang; with {@code tableOnly}, the bridges alone. */
    private static Xen boot(Policy policy, ConfigSpace cs, boolean tableOnly) {
        Xen xen = new Xen(policy, cs.segment());
        for (Bdf bdf : bootScan(cs)) {
            if (tableOnly && !xen.release.fillsBus2Bridge(typeOf(cs.answerAt(bdf.bus(), bdf.devfn())))) {
                continue;
            }
            if (xen.allocAtBoot(cs, bdf, XenTrace.NONE) == Outcome.HUNG) {
                return xen;
            }
        }
        return xen;
    }

    /** The type alloc_pdev gives what answers a read: by its class word, unknown when nothing answers. */
    private static XenDeviceType typeOf(ConfigSpace.Answer answer) {
        return answer == null ? XenDeviceType.PCI_UNKNOWN : answer.kind().xenType();
    }

    // ------------------------------------------------------------------------------ snapshot

    /**
     * Xen's whole state as plain values for Jackson.
     *
     * @param bus2bridge entries that differ from {@link Bus2BridgeEntry#EMPTY}, by bus
     * @param contexts   context entries by requester ID
     */
    public record Snapshot(boolean hung, List<Pdev> pdevs, SortedMap<Integer, Bus2BridgeEntry> bus2bridge,
                           SortedMap<Integer, DomainId> contexts, List<Integer> crashed) {
        public Snapshot {
            pdevs = List.copyOf(pdevs);
            bus2bridge = Collections.unmodifiableSortedMap(new TreeMap<>(bus2bridge));
            contexts = Collections.unmodifiableSortedMap(new TreeMap<>(contexts));
            // snapshots from before the releases have no crashed domains
            crashed = crashed == null ? List.of() : List.copyOf(new TreeSet<>(crashed));
        }

        public Snapshot(boolean hung, List<Pdev> pdevs, SortedMap<Integer, Bus2BridgeEntry> bus2bridge,
                        SortedMap<Integer, DomainId> contexts) {
            this(hung, pdevs, bus2bridge, contexts, List.of());
        }
    }

    public Snapshot snapshot() {
        SortedMap<Integer, Bus2BridgeEntry> entries = new TreeMap<>();
        for (int bus = 0; bus < BUSES; bus++) {
            if (!bus2bridge[bus].equals(Bus2BridgeEntry.EMPTY)) {
                entries.put(bus, bus2bridge[bus]);
            }
        }
        return new Snapshot(hung, pdevs(), entries, contexts, List.copyOf(crashed));
    }

    public static Xen restore(Policy policy, int segment, Snapshot s) {
        Xen xen = new Xen(policy, segment);
        xen.hung = s.hung();
        for (Pdev pdev : s.pdevs()) {
            xen.putPdev(pdev);
        }
        for (Map.Entry<Integer, Bus2BridgeEntry> e : s.bus2bridge().entrySet()) {
            xen.bus2bridge[BusNumber.check("bus2bridge bus", e.getKey())] = e.getValue();
        }
        xen.contexts.putAll(s.contexts());
        xen.crashed.addAll(s.crashed());
        return xen;
    }

    // ------------------------------------------------------------------------------ Xen's functions

    /**
     * alloc_pdev: a known bus/devfn returns its pdev untouched (nothing re-read). Otherwise
     * classify what answers now, add the pdev, and for a PCIe-to-PCI or legacy PCI bridge fill
     * bus2bridge over the secondary..subordinate read now (which may hang, pdev already listed).
     */
    private Pdev allocPdev(ConfigSpace cs, int bus, int devfn, Bdf virtfnOf, XenTrace t) {
        Pdev known = pdevs.get(rid(bus, devfn));
        if (known != null) {
            return known;
        }
        Bdf bdf = Bdf.of(segment, bus, devfn);
        ConfigSpace.Answer answer = cs.answerAt(bus, devfn);
        String answeredBy = answer == null ? null : answer.id();
        XenDeviceType type = typeOf(answer);
        if (type == XenDeviceType.PCI2PCIe_BRIDGE && release.fillsBus2Bridge(type)) {
            t.releaseRuleApplied("g");
        }
        if (t != XenTrace.NONE) {
            t.configRead(bdf, "class", classWord(answer), answeredBy);
        }
        int secondary = 0;
        int subordinate = 0;
        int[] rememberedRange = null;
        if (release.fillsBus2Bridge(type)) {
            secondary = readSecondary(cs, bdf, t);
            subordinate = readSubordinate(cs, bdf, t);
            if (policy == Policy.FIX_REMEMBER_RANGE) {
                rememberedRange = new int[] {secondary, subordinate};
            }
        }
        Pdev pdev = new Pdev(bdf, type, null, virtfnOf, answeredBy, rememberedRange);
        putPdev(pdev);
        t.pdevAdded(pdev);
        if (release.fillsBus2Bridge(type)) {
            fillLoop(secondary, subordinate, Bus2BridgeEntry.mapped(bus, devfn), pdev, Rule.ALLOC_FILL, t);
        }
        return pdev;
    }

    /**
     * pci_add_device copies the report's info into whatever alloc_pdev returned (§2, clarified
     * 2026-12): a VF report sets virtfn-of even on an existing pdev (type, owner and context
     * entries stay); Xen 4.4 drops a plain report's info, so a plain report keeps the label.
     */
    private Pdev copyReportInfo(Pdev pdev, Bdf virtfnOf, XenTrace t) {
        // (a) from 4.11 a plain report's (empty) info is copied too: it clears virtfn-of
        if ((virtfnOf == null && !release.copiesPlainReportInfo()) || Objects.equals(virtfnOf, pdev.virtfnOf())) {
            return pdev;
        }
        if (virtfnOf == null) {
            t.releaseRuleApplied("a");
        }
        return update(pdev, pdev.withVirtfnOf(virtfnOf), t);
    }

    /** Replaces {@code before} in the list by {@code after} (same address) and tells the trace. */
    private Pdev update(Pdev before, Pdev after, XenTrace t) {
        putPdev(after);
        t.pdevUpdated(before, after);
        return after;
    }

    /**
     * free_pdev: for a bridge by recorded type, copy the entry of its own bus over the range read
     * NOW at its address (or, under fix-remember-range, the range alloc_pdev filled), then drop
     * it. Entries of the old range outside that range stay as they were. A hang keeps the pdev.
     */
    private void freePdev(ConfigSpace cs, Pdev pdev, XenTrace t) {
        Bdf bdf = pdev.bdf();
        if (pdev.type() == XenDeviceType.PCI2PCIe_BRIDGE && release.fillsBus2Bridge(pdev.type())) {
            t.releaseRuleApplied("g");
        }
        if (release.fillsBus2Bridge(pdev.type())) {
            int[] remembered = pdev.rememberedRange();
            int secondary;
            int subordinate;
            // A pdev restored from another build's snapshot remembers nothing: read as 4.4 does.
            if (policy == Policy.FIX_REMEMBER_RANGE && remembered != null) {
                secondary = remembered[0];
                subordinate = remembered[1];
            } else {
                secondary = readSecondary(cs, bdf, t);
                subordinate = readSubordinate(cs, bdf, t);
            }
            copyLoop(secondary, subordinate, bdf.bus(), pdev, Rule.FREE_COPY, t);
            if (hung) {
                return;
            }
            if (policy == Policy.FIX_INVALIDATE_LOOP) {
                invalidateLoop(pdev, t);
            }
        }
        Pdev freed = pdevs.remove(bdf.rid());
        pdevList = null;
        if (freed != null && freed.virtfnOf() != null && freed.linkedPf() != null) {
            leaveVfList(freed, t); // (f) only a pdev still flagged a VF leaves its PF's list
        }
        t.pdevRemoved(pdev);
    }

    /** (f) a VF's first VF report puts it on its PF's list; later reports never move it. */
    private Pdev joinVfList(Pdev vf, Bdf pf, XenTrace t) {
        Pdev pfPdev = pdevs.get(pf.rid());
        update(pfPdev, pfPdev.withVf(vf.bdf(), true), t);
        return update(vf, vf.linkedTo(pf), t);
    }

    private void leaveVfList(Pdev vf, XenTrace t) {
        Pdev pf = pdevs.get(vf.linkedPf().rid());
        if (pf != null) {
            update(pf, pf.withVf(vf.bdf(), false), t);
        }
    }

    /** (f) the refused removal of a PF with VFs marks the PF and the VFs on its list broken. */
    private void markBroken(Pdev pf, XenTrace t) {
        update(pf, pf.markedBroken(), t);
        for (Bdf vf : pf.vfs()) {
            Pdev p = pdevs.get(vf.rid());
            if (p != null) {
                update(p, p.markedBroken(), t);
            }
        }
    }

    /** fix-invalidate-loop (fix 2 of the report): an entry whose walk never ends loses its map bit. */
    private void invalidateLoop(Pdev freed, XenTrace t) {
        int bus = freed.bdf().bus();
        if (bus2bridge[bus].map() && findUpstreamBridge(bus, freed.bdf().devfn()).result() < 0) {
            write(bus, bus2bridge[bus].unmapped(), new Bus2BridgeWriteCause(Rule.INVALIDATE_LOOP, freed), t);
        }
    }

    /**
     * alloc_pdev's loop {@code for (b = s; b <= u; b++) bus2bridge[b] = entry} with an 8-bit
     * {@code b}: nothing when s > u, never ends when u is 0xff (from 4.16, row c, a wide counter ends at ff).
     */
    private void fillLoop(int secondary, int subordinate, Bus2BridgeEntry entry, Pdev bridge, Rule rule, XenTrace t) {
        if (secondary > subordinate) {
            return;
        }
        Bus2BridgeWriteCause cause = new Bus2BridgeWriteCause(rule, bridge);
        if (subordinate == 0xff && release.wideLoopCounter()) {
            t.releaseRuleApplied("c"); // 4.4's 8-bit counter would never end here
        }
        if (subordinate == 0xff && !release.wideLoopCounter()) {
            freeze(secondary, entry, cause, t);
            return;
        }
        for (int b = secondary; b <= subordinate; b++) {
            write(b, entry, cause, t);
        }
    }

    /**
     * free_pdev's loop {@code for (b = s; b <= u; b++) bus2bridge[b] = bus2bridge[sourceBus]}
     * with an 8-bit {@code b}: nothing when s > u, never ends when u is 0xff.
     */
    private void copyLoop(int secondary, int subordinate, int sourceBus, Pdev bridge, Rule rule, XenTrace t) {
        if (secondary > subordinate) {
            return;
        }
        Bus2BridgeWriteCause cause = new Bus2BridgeWriteCause(rule, bridge);
        if (subordinate == 0xff && release.wideLoopCounter()) {
            t.releaseRuleApplied("c"); // 4.4's 8-bit counter would never end here
        }
        if (subordinate == 0xff && !release.wideLoopCounter()) {
            // The source entry only ever receives its own value, so the loop keeps writing it.
            freeze(secondary, bus2bridge[sourceBus], cause, t);
            return;
        }
        for (int b = secondary; b <= subordinate; b++) {
            write(b, bus2bridge[sourceBus], cause, t);
        }
    }

    /** The 8-bit counter wrapped: Xen spins forever, and every entry ends up holding {@code value}. */
    private void freeze(int start, Bus2BridgeEntry value, Bus2BridgeWriteCause loop, XenTrace t) {
        Bus2BridgeWriteCause frozen = new Bus2BridgeWriteCause(Rule.FROZEN, loop.pdev());
        for (int i = 0; i < BUSES; i++) {
            write((start + i) & 0xff, value, frozen, t);
        }
        hung = true;
        if (t != XenTrace.NONE) {
            t.hung(loop.rule().text() + " " + loop.pdev().bdf().shortText());
        }
    }

    private void write(int bus, Bus2BridgeEntry entry, Bus2BridgeWriteCause cause, XenTrace t) {
        Bus2BridgeEntry before = bus2bridge[bus];
        if (before == entry || before.equals(entry)) {
            return;
        }
        bus2bridge[bus] = entry;
        tableStamp = new Object();
        t.bus2bridgeWritten(bus, before, entry, cause);
    }

    /**
     * reassign_device_ownership from {@code source} to {@code target}. Xen 4.4: unmap from the
     * source, map for the target (the owner still the source), then move. Quarantine (i): the
     * owner is dom_io between the two, and stays dom_io when the mapping fails. XSA-400 (l): map
     * the target directly (unmap only when the target is dom_io), the owner moves only on success.
     */
    private Outcome reassignDeviceOwnership(ConfigSpace cs, DomainId source, DomainId target, Pdev pdev, XenTrace t) {
        int devfn = pdev.bdf().devfn();
        ContextChangeCause why = source.isDomIo() || target.isDomIo() ? ContextChangeCause.QUARANTINE
                : ContextChangeCause.MAP;
        if (release.reassignsByMappingDirectly()) {
            t.releaseRuleApplied("l");
            Outcome rc = target.isDomIo()
                    ? domainContextUnmap(cs, source, pdev, devfn, why, t)
                    : domainContextMapping(cs, target, pdev, devfn, why, t);
            if (!rc.isOk()) {
                return rc; // the owner stays the source
            }
            moveOwner(pdev, target, t);
            return Outcome.OK;
        }
        Outcome rc = domainContextUnmap(cs, source, pdev, devfn, why == ContextChangeCause.MAP ? ContextChangeCause.UNMAP : why, t);
        if (!rc.isOk()) {
            return rc;
        }
        if (release.quarantinesOnDeassign()) {
            moveOwner(pdev, DOM_IO, t); // (i) a failed mapping below leaves it quarantined
        }
        rc = domainContextMapping(cs, target, current(pdev), devfn, why, t);
        if (!rc.isOk()) {
            if (release.quarantinesOnDeassign()) {
                t.releaseRuleApplied("i"); // the owner stays dom_io, where 4.4 leaves it with the source
            }
            return rc; // the unmap already happened
        }
        moveOwner(pdev, target, t);
        return Outcome.OK;
    }

    /** owner = {@code owner} in reassignment; nothing to tell when it already is (dom_io to dom_io). */
    private void moveOwner(Pdev pdev, DomainId owner, XenTrace t) {
        Pdev now = current(pdev);
        if (!owner.equals(now.owner())) {
            setOwner(now, owner, t);
        }
    }

    /** The pdev as the list holds it now (its owner may have changed since the caller looked it up). */
    private Pdev current(Pdev pdev) {
        Pdev now = pdevs.get(pdev.bdf().rid());
        return now != null ? now : pdev;
    }

    /**
     * domain_context_mapping(D, devfn, pdev), by the pdev's recorded type; {@code devfn} is the
     * pdev's own except in the later releases' undo and hand-back, which pass the walked devfn.
     */
    private Outcome domainContextMapping(ConfigSpace cs, DomainId domain, Pdev pdev, int devfn, ContextChangeCause why,
                                         XenTrace t) {
        int bus = pdev.bdf().bus();
        switch (pdev.type()) {
            case PCI_HOST_BRIDGE:
                return domain.isDom0() ? Outcome.OK : Outcome.EPERM;
            case PCIe_BRIDGE:
            case PCIe2PCI_BRIDGE:
            case LEGACY_PCI_BRIDGE:
                return Outcome.OK;
            case PCIe_ENDPOINT:
                return mapOne(domain, rid(bus, devfn), pdev, why, t).outcome();
            case PCI: {
                Mapped own = mapOne(domain, rid(bus, devfn), pdev, why, t);
                if (!own.outcome().isOk()) {
                    return own.outcome();
                }
                UpstreamResult up = findUpstreamBridge(bus, devfn);
                if (up.result() == 0 || (up.result() < 0 && !release.undoesOnMappingErrors())) {
                    return Outcome.OK;
                }
                Outcome rc;
                if (up.result() < 0) {
                    t.releaseRuleApplied("d");
                    rc = Outcome.ENXIO; // (d)
                } else {
                    int bridgeRid = rid(up.bus(), up.devfn());
                    rc = mapOne(domain, bridgeRid, bridgePdev(bridgeRid, t), why, t).outcome();
                    // Behind a PCIe-to-PCI bridge requests may carry secbus:00.0 as requester ID.
                    if (rc.isOk() && classifyNow(cs, up.bus(), up.devfn(), t) == XenDeviceType.PCIe2PCI_BRIDGE
                            && (up.secbus() != bus || pdev.bdf().devfn() != 0)) {
                        int secbusRid = rid(up.secbus(), 0);
                        rc = mapOne(domain, secbusRid, bridgePdev(secbusRid, t), why, t).outcome();
                    }
                }
                if (!rc.isOk() && release.undoesOnMappingErrors()) {
                    t.releaseRuleApplied("d");
                    undoFailedMapping(cs, domain, current(pdev), up.walkedDevfn(), own.alreadyPresent(), t);
                }
                return rc;
            }
            default:
                return Outcome.EINVAL;
        }
    }

    /** The pdev map_one gets for a bridge RID or alias: from 4.11 (b), none. */
    private Pdev bridgePdev(int rid, XenTrace t) {
        Pdev there = pdevs.get(rid);
        if (!release.mapsBridgeRidsWithoutPdev()) {
            return there;
        }
        DomainId entry = contexts.get(rid);
        if (there != null && entry != null && !entry.equals(there.owner())) {
            t.releaseRuleApplied("b"); // the owner check reads the entry's domain, not the pdev's owner
        }
        return null;
    }

    /**
     * The undo after a failed mapping of a conventional device, at (its bus, the walked devfn):
     * 4.16 (d) unmaps; 4.17 (l) unmaps only when the own RID was not already present for D, and
     * otherwise hands the RIDs back to the pdev's owner (a nested call whose D is the owner, so it
     * never hands back again).
     */
    private void undoFailedMapping(ConfigSpace cs, DomainId domain, Pdev pdev, int walkedDevfn, boolean ownAlreadyPresent,
                                   XenTrace t) {
        if (!release.reassignsByMappingDirectly() || !ownAlreadyPresent) {
            domainContextUnmap(cs, domain, pdev, walkedDevfn, ContextChangeCause.UNDO_AT_WALKED_DEVFN, t);
        } else if (pdev.owner() != null && !pdev.owner().equals(domain)) {
            domainContextMapping(cs, pdev.owner(), pdev, walkedDevfn, ContextChangeCause.HAND_BACK, t);
        }
    }

    /** domain_context_unmap(D, devfn, pdev), by the pdev's recorded type. */
    private Outcome domainContextUnmap(ConfigSpace cs, DomainId domain, Pdev pdev, int devfn, ContextChangeCause why,
                                       XenTrace t) {
        int bus = pdev.bdf().bus();
        switch (pdev.type()) {
            case PCI_HOST_BRIDGE:
                return domain.isDom0() ? Outcome.OK : Outcome.EPERM;
            case PCIe_BRIDGE:
            case PCIe2PCI_BRIDGE:
            case LEGACY_PCI_BRIDGE:
                return Outcome.OK;
            case PCIe_ENDPOINT:
                unmapOne(domain, rid(bus, devfn), why, t);
                return Outcome.OK;
            case PCI: {
                unmapOne(domain, rid(bus, devfn), why, t);
                UpstreamResult up = findUpstreamBridge(bus, devfn);
                if (up.result() < 0 && release.undoesOnMappingErrors()) {
                    t.releaseRuleApplied("d");
                    // (d) a -1 walk: ENXIO for dom0 and dom_io, a domU is crashed (result 0)
                    Outcome rc = Outcome.ENXIO;
                    if (domain.isGuest()) {
                        crash(domain, t);
                        rc = Outcome.OK;
                    }
                    return release.unmapReportsPciErrors() ? rc : Outcome.OK; // (m)
                }
                if (up.result() >= 1) {
                    boolean pcieToPci = classifyNow(cs, up.bus(), up.devfn(), t) == XenDeviceType.PCIe2PCI_BRIDGE;
                    unmapOne(domain, rid(up.bus(), up.devfn()), why, t);
                    if (pcieToPci) {
                        unmapOne(domain, rid(up.secbus(), 0), why, t);
                    }
                }
                return Outcome.OK;
            }
            default:
                return Outcome.EINVAL;
        }
    }

    /** What map_one returned, and (4.17, l) whether the entry was already D's with a pdev given. */
    private record Mapped(Outcome outcome, boolean alreadyPresent) {
        static final Mapped OK = new Mapped(Outcome.OK, false);
    }

    /**
     * domain_context_mapping_one. Until 4.16 an existing entry is never changed; it is an error
     * when the given pdev is not owned by {@code domain}, or (no pdev) when the entry belongs to
     * another. From 4.17 (k) there is no owner check: another domain's entry is taken over, and
     * an entry already D's is "already present" when a pdev was given. From 4.16 (i') dom_io has
     * no page table: nothing happens.
     */
    private Mapped mapOne(DomainId domain, int rid, Pdev pdev, ContextChangeCause why, XenTrace t) {
        if (domain.isDomIo() && release.quarantineHasNoContextEntries()) {
            t.releaseRuleApplied("i'");
            return Mapped.OK;
        }
        DomainId existing = contexts.get(rid);
        if (existing != null) {
            DomainId holder = pdev != null ? pdev.owner() : existing;
            if (release.mapOneChecksOwners()) {
                return domain.equals(holder) ? Mapped.OK : new Mapped(Outcome.EINVAL, false);
            }
            if (!domain.equals(holder) || !existing.equals(domain)) {
                t.releaseRuleApplied("k"); // 4.4 would refuse this, or leave the entry as it is
            }
            if (existing.equals(domain)) {
                return new Mapped(Outcome.OK, pdev != null);
            }
            contexts.put(rid, domain);
            contextsStamp = new Object();
            t.contextMapped(rid, domain, ContextChangeCause.TAKEOVER);
            return Mapped.OK;
        }
        contexts.put(rid, domain);
        contextsStamp = new Object();
        t.contextMapped(rid, domain, why);
        return Mapped.OK;
    }

    /** domain_context_unmap_one: removes the entry if present, whichever domain holds it; (i') nothing for dom_io. */
    private void unmapOne(DomainId domain, int rid, ContextChangeCause why, XenTrace t) {
        if (domain.isDomIo() && release.quarantineHasNoContextEntries()) {
            t.releaseRuleApplied("i'");
            return;
        }
        DomainId removed = contexts.remove(rid);
        if (removed != null) {
            contextsStamp = new Object();
            t.contextUnmapped(rid, removed, why);
        }
    }

    /** Xen crashed {@code domain}: nothing changes in the tables; the finding DOMAIN_CRASHED holds from now on. */
    private void crash(DomainId domain, XenTrace t) {
        if (crashed.add(domain.value())) {
            t.domainCrashed(domain);
        }
    }

    /** Every change of {@link #pdevs} but removal and reset goes through here. */
    private void putPdev(Pdev pdev) {
        pdevs.put(pdev.bdf().rid(), pdev);
        pdevList = null;
    }

    private Pdev setOwner(Pdev pdev, DomainId owner, XenTrace t) {
        Pdev changed = pdev.withOwner(owner);
        putPdev(changed);
        t.pdevOwnerChanged(pdev, changed);
        return changed;
    }

    // ------------------------------------------------------------------------------ config reads

    /** pdev_type of whatever answers now at (bus, devfn), the class read reported to the trace. */
    private XenDeviceType classifyNow(ConfigSpace cs, int bus, int devfn, XenTrace t) {
        ConfigSpace.Answer answer = cs.answerAt(bus, devfn);
        if (t != XenTrace.NONE) {
            t.configRead(Bdf.of(segment, bus, devfn), "class", classWord(answer), answer == null ? null : answer.id());
        }
        return answer == null ? XenDeviceType.PCI_UNKNOWN : answer.kind().xenType();
    }

    private static int readSecondary(ConfigSpace cs, Bdf at, XenTrace t) {
        int value = cs.readSecondary(at.bus(), at.devfn());
        if (t != XenTrace.NONE) {
            t.configRead(at, "secondary", value, answeredBy(cs, at));
        }
        return value;
    }

    private static int readSubordinate(ConfigSpace cs, Bdf at, XenTrace t) {
        int value = cs.readSubordinate(at.bus(), at.devfn());
        if (t != XenTrace.NONE) {
            t.configRead(at, "subordinate", value, answeredBy(cs, at));
        }
        return value;
    }

    private static String answeredBy(ConfigSpace cs, Bdf at) {
        ConfigSpace.Answer answer = cs.answerAt(at.bus(), at.devfn());
        return answer == null ? null : answer.id();
    }

    /**
     * The class word pdev_type reads: 0600 for a host bridge, 0604 for a PCI bridge, ffff where
     * nothing answers. The model gives endpoints no class code and every other value classifies
     * alike, so an endpoint reads 0000.
     */
    private static int classWord(ConfigSpace.Answer answer) {
        if (answer == null) {
            return 0xffff;
        }
        if (answer.kind().isBridge()) {
            return 0x0604;
        }
        return answer.kind().xenType() == XenDeviceType.PCI_HOST_BRIDGE ? 0x0600 : 0x0000;
    }

    private static int rid(int bus, int devfn) {
        return bus << 8 | devfn;
    }
}
