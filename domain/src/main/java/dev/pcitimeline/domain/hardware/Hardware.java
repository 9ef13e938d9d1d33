package dev.pcitimeline.domain.hardware;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DeviceKind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The machine's PCI hardware in one segment (XEN-MODEL.md §1): a tree of functions with
 * writable bridge registers, BAR2 and SR-IOV, and config-space routing over it. Mutable and
 * deterministic; Xen and dom0 read it through {@link ConfigSpace}.
 */
public final class Hardware implements ConfigSpace {
    /** Parent name that means "a root bus" when plugging a function. */
    public static final String ROOT = "root";

    private final int segment;
    /** Top-level functions by root bus, each list in devfn order. */
    private final TreeMap<Integer, List<HardwareFunction>> roots = new TreeMap<>();
    private final Map<String, HardwareFunction> byId = new HashMap<>();
    /** Bumped by every change, so views derived from the hardware alone can be cached. */
    private long version;

    /** What config reads reach in this version (see changed()): Xen's boot scan alone reads 8192 addresses. */
    private HardwareAnswerCache answers = new HardwareAnswerCache(this);
    // Derived from the tree and its registers alone, so kept until the next change; the views read them after each event.
    private List<Reached> reachable;
    private SortedSet<Integer> decodeConflicts;

    private Hardware(int segment) {
        this.segment = segment;
    }

    /**
     * The machine as firmware left it at power-on. Rejects what cannot be hardware: duplicate
     * ids, two functions at one devfn of a bus, a VF enable count over total-vfs.
     */
    public static Hardware fromTopology(int segment, List<FunctionSpec> topology) {
        Hardware hw = new Hardware(segment);
        for (FunctionSpec spec : topology) {
            String problem = hw.plugProblem(ROOT, spec);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            hw.attach(null, spec.rootBusOrDefault(), spec);
        }
        return hw;
    }

    public Hardware copy() {
        Hardware c = new Hardware(segment);
        c.version = version;
        // Same tree, same registers: what was derived from them holds for the copy until either changes (each
        // changed() replaces them rather than modifying them, so sharing is safe).
        c.answers = answers.copyFor(c);
        c.reachable = reachable;
        c.decodeConflicts = decodeConflicts;
        roots.forEach((bus, list) -> {
            List<HardwareFunction> copies = new ArrayList<>(list.size());
            for (HardwareFunction f : list) {
                HardwareFunction fc = f.copy(null);
                copies.add(fc);
                c.index(fc);
            }
            c.roots.put(bus, copies);
        });
        return c;
    }

    private void index(HardwareFunction f) {
        byId.put(f.id(), f);
        for (HardwareFunction child : f.children()) {
            index(child);
        }
    }

    @Override
    public int segment() {
        return segment;
    }

    /** Changes with every write, VF enable/disable, plug, unplug and reset. */
    public long version() {
        return version;
    }

    /** Every change to the tree or a register goes through here: a new version, derived answers dropped. */
    private void changed() {
        changed(HardwareAnswerCache::new);
    }

    /** The same, keeping what {@code answersAfter} keeps of the answers (it is given this hardware). */
    private void changed(Function<Hardware, HardwareAnswerCache> answersAfter) {
        version++;
        answers = answersAfter.apply(this);
        reachable = null;
        decodeConflicts = null;
    }

    // ------------------------------------------------------------------ the tree

    /** A physical function by id, or null (virtual functions are not in the tree). */
    public HardwareFunction function(String id) {
        return byId.get(id);
    }

    public boolean contains(String id) {
        return byId.containsKey(id);
    }

    public SortedSet<Integer> rootBuses() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(roots.keySet()));
    }

    /** The root bus numbers, unordered and not copied (for {@link HardwareAnswerCache}). */
    Collection<Integer> rootBusNumbers() {
        return roots.keySet();
    }

    /** Every physical function, unordered and not copied (for {@link HardwareAnswerCache}). */
    Collection<HardwareFunction> functions() {
        return byId.values();
    }

    /** Functions on root bus {@code bus}, in devfn order. */
    public List<HardwareFunction> topLevel(int bus) {
        List<HardwareFunction> list = roots.get(bus);
        return list == null ? List.of() : Collections.unmodifiableList(list);
    }

    /** Current address of a physical function: its parent's secondary bus, or its root bus. */
    public Bdf addressOf(HardwareFunction f) {
        return Bdf.of(segment, f.bus(), f.devfn());
    }

    /** The enabled virtual functions of a PF, in VF order; those whose RID would exceed 0xffff do not exist. */
    public List<VirtualFunction> virtualFunctions(HardwareFunction pf) {
        if (pf.vfsEnabled() == 0) {
            return List.of();
        }
        List<VirtualFunction> vfs = new ArrayList<>(pf.vfsEnabled());
        for (int i = 0; i < pf.vfsEnabled(); i++) {
            long rid = pf.vfRid(i);
            if (rid <= 0xffff) {
                vfs.add(new VirtualFunction(HardwareFunction.vfId(pf.id(), i), pf, i, Bdf.ofRid(segment, (int) rid)));
            }
        }
        return vfs;
    }

    /** A virtual function: {@code id} is {@code pf.vfN}, {@code address} its RID now. */
    public record VirtualFunction(String id, HardwareFunction pf, int index, Bdf address) {
    }

    /** Every physical function, depth first: a bus's functions in devfn order, each followed by its subtree. */
    public List<HardwareFunction> allFunctions() {
        List<HardwareFunction> out = new ArrayList<>(byId.size());
        for (List<HardwareFunction> level : roots.values()) {
            for (HardwareFunction f : level) {
                collect(f, out);
            }
        }
        return out;
    }

    private static void collect(HardwareFunction f, List<HardwareFunction> out) {
        out.add(f);
        for (HardwareFunction c : f.children()) {
            collect(c, out);
        }
    }

    // ------------------------------------------------------------------ config space

    /** A config read: what {@link #route} gives, answered through this version's {@link HardwareAnswerCache}. */
    @Override
    public Answer answerAt(int bus, int devfn) {
        return answers.answerAt(bus, devfn);
    }

    /** From this version's {@link HardwareAnswerCache}: the buses the routing can stop on with something there. */
    @Override
    public boolean mayAnswerOn(int bus) {
        return answers.mayAnswerOn(bus);
    }

    /** The routing of one config read (package-private for {@link HardwareAnswerCache} and tests). */
    Answer route(int bus, int devfn) {
        Answer[] at = route(bus, devfn, devfn);
        return at == null ? null : at[0];
    }

    /**
     * The routing of config reads (XEN-MODEL.md §1) at devfns {@code first..last} of {@code bus}, in one walk: from the
     * highest root bus <= bus, down through the first bridge (devfn order) whose secondary..subordinate holds the bus,
     * to the level where the routing stops. There a read reaches the function at its devfn when the level is that
     * bus; otherwise (or where no function sits) the first PF of the level, in devfn order, with an enabled VF at the
     * read's requester ID. Indexed by devfn - first; null when nothing answers at any of them.
     */
    Answer[] route(int bus, int first, int last) {
        Map.Entry<Integer, List<HardwareFunction>> root = roots.floorEntry(bus);
        if (root == null) {
            return null;
        }
        List<HardwareFunction> level = root.getValue();
        int levelBus = root.getKey();
        while (bus != levelBus) {
            HardwareFunction through = null;
            for (HardwareFunction f : level) {
                if (f.isBridge() && f.buses().claims(bus)) {
                    through = f;
                    break;
                }
            }
            if (through == null) {
                break;
            }
            level = through.mutableChildren();
            levelBus = through.buses().secondary();
        }
        Answer[] answers = null;
        if (bus == levelBus) {
            for (HardwareFunction f : level) {
                if (f.devfn() >= first && f.devfn() <= last) {
                    if (answers == null) {
                        answers = new Answer[last - first + 1];
                    }
                    answers[f.devfn() - first] = answer(f, level);
                }
            }
        }
        long busRid = (long) bus * 256;
        for (HardwareFunction pf : level) {
            for (int index = pf.firstVfAtOrAbove(busRid + first); index < pf.vfsEnabled(); index++) {
                long rid = pf.vfRid(index);
                if (rid > busRid + last) {
                    break;
                }
                if (answers == null) {
                    answers = new Answer[last - first + 1];
                }
                int slot = (int) (rid - busRid) - first;
                if (answers[slot] == null) {
                    answers[slot] = new Answer(HardwareFunction.vfId(pf.id(), index), DeviceKind.PCIE_ENDPOINT,
                            null, 0, false, true);
                }
                if (pf.sriov().vfStride() == 0) {
                    break; // every VF has VF0's requester ID, and VF0 answers for them all
                }
            }
        }
        return answers;
    }

    private static Answer answer(HardwareFunction f, List<HardwareFunction> level) {
        return new Answer(f.id(), f.kind(), f.buses(), f.bar2(), multiFunction(f, level), false);
    }

    /** Function 0 of a slot reports the multi-function bit when another function of that slot exists. */
    private static boolean multiFunction(HardwareFunction f, List<HardwareFunction> level) {
        if ((f.devfn() & 7) != 0) {
            return false;
        }
        int device = f.devfn() >> 3;
        for (HardwareFunction other : level) {
            if (other != f && other.devfn() >> 3 == device) {
                return true;
            }
        }
        return false;
    }

    /** Whether a read at the function's own current address reaches it. */
    public boolean reachable(HardwareFunction f) {
        Bdf at = addressOf(f);
        Answer a = answerAt(at.bus(), at.devfn());
        return a != null && a.id().equals(f.id());
    }

    /** Every function config space reaches now (virtual ones included), sorted by bus, devfn. Unmodifiable. */
    public List<Reached> reachableFunctions() {
        if (reachable == null) {
            reachable = findReachable();
        }
        return reachable;
    }

    private List<Reached> findReachable() {
        TreeMap<Integer, Reached> byRid = new TreeMap<>();
        for (HardwareFunction f : allFunctions()) {
            int rid = f.rid();
            Answer a = answerAt(rid >> 8, rid & 0xff);
            if (a != null && a.id().equals(f.id())) {
                byRid.put(rid, new Reached(Bdf.ofRid(segment, rid), f.id(), f.kind(), f.buses(), false));
            }
            for (VirtualFunction vf : virtualFunctions(f)) {
                Answer va = answerAt(vf.address().bus(), vf.address().devfn());
                if (va != null && va.id().equals(vf.id())) {
                    byRid.put(vf.address().rid(), new Reached(vf.address(), vf.id(),
                            DeviceKind.PCIE_ENDPOINT, null, true));
                }
            }
        }
        return List.copyOf(byRid.values());
    }

    /** A function as config space reaches it now (the state's {@code hardware} view). */
    public record Reached(Bdf bdf, String id, DeviceKind kind, BridgeBuses buses,
                          boolean virtual) {
    }

    /**
     * Bus numbers that two bridges on one bus both claim (a decode conflict: the first in
     * devfn order wins the routing).
     */
    public SortedSet<Integer> decodeConflicts() {
        if (decodeConflicts == null) {
            decodeConflicts = Collections.unmodifiableSortedSet(findDecodeConflicts());
        }
        return decodeConflicts;
    }

    private SortedSet<Integer> findDecodeConflicts() {
        SortedSet<Integer> conflicts = new TreeSet<>();
        for (List<HardwareFunction> level : roots.values()) {
            conflictsOn(level, conflicts);
        }
        for (HardwareFunction f : byId.values()) {
            if (f.isBridge()) {
                conflictsOn(f.children(), conflicts);
            }
        }
        return conflicts;
    }

    private static void conflictsOn(List<HardwareFunction> level, SortedSet<Integer> out) {
        // Most levels have at most one bridge claiming buses, which conflicts with nothing: no tally for those.
        HardwareFunction firstClaiming = null;
        int[] claims = null;
        for (HardwareFunction f : level) {
            if (!f.isBridge() || f.buses().secondary() > f.buses().subordinate()) {
                continue;
            }
            if (firstClaiming == null) {
                firstClaiming = f;
                continue;
            }
            if (claims == null) {
                claims = new int[256];
                tally(firstClaiming.buses(), claims, out);
            }
            tally(f.buses(), claims, out);
        }
    }

    private static void tally(BridgeBuses claimed, int[] claims, SortedSet<Integer> out) {
        for (int b = claimed.secondary(); b <= claimed.subordinate(); b++) {
            if (++claims[b] == 2) {
                out.add(b);
            }
        }
    }

    // ------------------------------------------------------------------ changes

    /** A config write of all three bus registers; returns the previous values. */
    public BridgeBuses writeBridgeBuses(String bridgeId, BridgeBuses value) {
        HardwareFunction f = require(bridgeId);
        if (!f.isBridge()) {
            throw new IllegalArgumentException(bridgeId + " is a " + f.kind() + ", not a bridge: it has no bus registers");
        }
        BridgeBuses before = f.buses();
        int ownBus = f.bus(); // where the bridge itself answers: its parent's secondary, which this write leaves alone
        // A read of a bus neither range claims never enters this bridge, and the level it stops at is the same: its
        // answers stay. Dropped: the buses either range claims and the bridge's own bus (its answer lists its
        // registers). The renumbering of a boot writes each bridge in turn, and the views read the whole bus space
        // after every write.
        HardwareAnswerCache kept = answers;
        changed(hw -> kept.withBusesDropped(hw, bus -> bus == ownBus || before.claims(bus) || value.claims(bus)));
        f.setBuses(value);
        return before;
    }

    /** VF Enable with {@code n} VFs (n <= total-vfs). */
    public void enableVfs(String pfId, int n) {
        HardwareFunction pf = require(pfId);
        String problem = enableProblem(pf, n);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        pf.setVfsEnabled(n);
        changed();
    }

    /** What forbids enabling {@code n} VFs on {@code pf}, or null. */
    public String enableProblem(HardwareFunction pf, int n) {
        if (!pf.isPhysicalFunction()) {
            return pf.id() + " is a " + pf.kind() + " without SR-IOV: it has no virtual functions";
        }
        if (n < 1 || n > pf.sriov().totalVfs()) {
            return pf.id() + ": " + n + " VFs is out of range 1.." + pf.sriov().totalVfs() + " (total-vfs)";
        }
        return null;
    }

    /** Turns a PF's VFs off; returns how many went away. */
    public int disableVfs(String pfId) {
        HardwareFunction pf = require(pfId);
        int n = pf.vfsEnabled();
        changed();
        pf.setVfsEnabled(0);
        return n;
    }

    /** The function and everything below it, the function first, depth first. */
    public List<String> subtreeIds(String id) {
        List<HardwareFunction> below = new ArrayList<>();
        collect(require(id), below);
        List<String> ids = new ArrayList<>(below.size());
        for (HardwareFunction g : below) {
            ids.add(g.id());
        }
        return ids;
    }

    /** Removes a function and everything below it; returns their ids, the function first, depth first. */
    public List<String> unplug(String id) {
        HardwareFunction f = require(id);
        List<HardwareFunction> gone = new ArrayList<>();
        collect(f, gone);
        if (f.parent() == null) {
            List<HardwareFunction> level = roots.get(f.rootBus());
            level.remove(f);
            if (level.isEmpty()) {
                roots.remove(f.rootBus());
            }
        } else {
            f.parent().mutableChildren().remove(f);
        }
        f.detach();
        changed();
        List<String> ids = new ArrayList<>(gone.size());
        for (HardwareFunction g : gone) {
            byId.remove(g.id());
            ids.add(g.id());
        }
        return ids;
    }

    /** Plugs a function (with children, registers as given) under a bridge or {@link #ROOT}. */
    public HardwareFunction plug(String parentId, FunctionSpec spec) {
        String problem = plugProblem(parentId, spec);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        changed();
        if (ROOT.equals(parentId)) {
            return attach(null, spec.rootBusOrDefault(), spec);
        }
        return attach(byId.get(parentId), -1, spec);
    }

    /**
     * What forbids plugging {@code spec} under {@code parentId}, or null: an unknown or
     * non-bridge parent, an occupied devfn, an id already in use, an invalid VF count.
     */
    public String plugProblem(String parentId, FunctionSpec spec) {
        List<HardwareFunction> siblings;
        String where;
        if (ROOT.equals(parentId)) {
            siblings = topLevel(spec.rootBusOrDefault());
            where = String.format("root bus %02x", spec.rootBusOrDefault());
        } else {
            HardwareFunction parent = byId.get(parentId);
            if (parent == null) {
                return "unknown device '" + parentId + "': no function with that id is in the hardware";
            }
            if (!parent.isBridge()) {
                return parentId + " is a " + parent.kind() + ", not a bridge: nothing can be plugged under it";
            }
            if (spec.rootBus() != null) {
                return spec.id() + ": bus is for functions on a root bus only, not under " + parentId;
            }
            siblings = parent.children();
            where = parentId;
        }
        for (HardwareFunction s : siblings) {
            if (s.devfn() == spec.devfn().value()) {
                return spec.id() + ": devfn " + spec.devfn() + " under " + where + " is already taken by " + s.id();
            }
        }
        Map<String, Boolean> seen = new LinkedHashMap<>();
        return idProblem(spec, seen);
    }

    private String idProblem(FunctionSpec spec, Map<String, Boolean> seen) {
        if (byId.containsKey(spec.id()) || seen.put(spec.id(), Boolean.TRUE) != null) {
            return "id '" + spec.id() + "' is already used by another function";
        }
        if (spec.sriov() != null && spec.sriov().enabled() > spec.sriov().totalVfs()) {
            return spec.id() + ": enabled " + spec.sriov().enabled() + " is more than total-vfs " + spec.sriov().totalVfs();
        }
        Set<Integer> devfns = new HashSet<>();
        for (FunctionSpec c : spec.children()) {
            if (!devfns.add(c.devfn().value())) {
                return c.id() + ": devfn " + c.devfn() + " under " + spec.id() + " is already taken";
            }
            String p = idProblem(c, seen);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private HardwareFunction attach(HardwareFunction parent, int rootBus, FunctionSpec spec) {
        int vfs = spec.sriov() == null ? 0 : spec.sriov().enabled();
        HardwareFunction f = new HardwareFunction(spec, parent, rootBus, spec.buses(), vfs);
        List<HardwareFunction> level = parent == null
                ? roots.computeIfAbsent(rootBus, b -> new ArrayList<>())
                : parent.mutableChildren();
        insertByDevfn(level, f);
        byId.put(f.id(), f);
        for (FunctionSpec child : spec.children()) {
            attach(f, -1, child);
        }
        return f;
    }

    private static void insertByDevfn(List<HardwareFunction> level, HardwareFunction f) {
        int i = 0;
        while (i < level.size() && level.get(i).devfn() < f.devfn()) {
            i++;
        }
        level.add(i, f);
    }

    /** Firmware reset: every bridge back to its power-on registers, every PF to its power-on VF count. */
    public void resetToPowerOn() {
        changed();
        for (HardwareFunction f : byId.values()) {
            if (f.isBridge()) {
                f.setBuses(f.powerOnBuses());
            }
            if (f.sriov() != null) {
                f.setVfsEnabled(f.powerOnVfs());
            }
        }
    }

    private HardwareFunction require(String id) {
        HardwareFunction f = byId.get(id);
        if (f == null) {
            throw new IllegalArgumentException("unknown device '" + id + "': no function with that id is in the hardware");
        }
        return f;
    }

    // ------------------------------------------------------------------ snapshot

    /** The live tree (current registers and VF counts) plus what firmware restores on reset. */
    public Snapshot snapshot() {
        List<FunctionSpec> tree = new ArrayList<>();
        for (List<HardwareFunction> level : roots.values()) {
            for (HardwareFunction f : level) {
                tree.add(f.toSpec(true));
            }
        }
        Map<String, BridgeBuses> powerOnBuses = new TreeMap<>();
        Map<String, Integer> powerOnVfs = new TreeMap<>();
        for (HardwareFunction f : byId.values()) {
            if (f.isBridge()) {
                powerOnBuses.put(f.id(), f.powerOnBuses());
            }
            if (f.sriov() != null) {
                powerOnVfs.put(f.id(), f.powerOnVfs());
            }
        }
        return new Snapshot(segment, tree, powerOnBuses, powerOnVfs);
    }

    public static Hardware restore(Snapshot s) {
        Hardware hw = new Hardware(s.segment());
        for (FunctionSpec spec : s.tree()) {
            hw.restoreAttach(null, spec.rootBusOrDefault(), spec, s);
        }
        return hw;
    }

    private void restoreAttach(HardwareFunction parent, int rootBus, FunctionSpec spec, Snapshot s) {
        BridgeBuses powerOn = s.powerOnBuses().get(spec.id());
        int vfs = s.powerOnVfs().getOrDefault(spec.id(), 0);
        HardwareFunction f = new HardwareFunction(spec, parent, rootBus, powerOn, vfs);
        List<HardwareFunction> level = parent == null
                ? roots.computeIfAbsent(rootBus, b -> new ArrayList<>())
                : parent.mutableChildren();
        insertByDevfn(level, f);
        byId.put(f.id(), f);
        for (FunctionSpec child : spec.children()) {
            restoreAttach(f, -1, child, s);
        }
    }

    public record Snapshot(int segment, List<FunctionSpec> tree, Map<String, BridgeBuses> powerOnBuses,
                           Map<String, Integer> powerOnVfs) {
    }
}
