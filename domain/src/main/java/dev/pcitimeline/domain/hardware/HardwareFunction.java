package dev.pcitimeline.domain.hardware;

import dev.pcitimeline.domain.value.DeviceKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One physical function in the live hardware tree. Readable by anyone; only {@link Hardware}
 * changes it, so the tree and its id index never disagree.
 */
public final class HardwareFunction {
    private final String id;
    private final DeviceKind kind;
    private final int devfn;
    private final int rootBus;
    private HardwareFunction parent;
    private final List<HardwareFunction> children = new ArrayList<>();
    private BridgeBuses buses;
    private final BridgeBuses powerOnBuses;
    private final long bar2;
    private final SriovSpec sriov;
    private int vfsEnabled;
    private final int powerOnVfs;

    HardwareFunction(FunctionSpec spec, HardwareFunction parent, int rootBus, BridgeBuses powerOnBuses,
                     int powerOnVfs) {
        this.id = spec.id();
        this.kind = spec.kind();
        this.devfn = spec.devfn().value();
        this.rootBus = rootBus;
        this.parent = parent;
        this.buses = spec.buses();
        this.powerOnBuses = powerOnBuses;
        this.bar2 = spec.bar2();
        this.sriov = spec.sriov() == null ? null : spec.sriov().withEnabled(powerOnVfs);
        this.vfsEnabled = spec.sriov() == null ? 0 : spec.sriov().enabled();
        this.powerOnVfs = powerOnVfs;
    }

    /** Field by field: every command copies the machine, and going through a FunctionSpec re-validated each id. */
    private HardwareFunction(HardwareFunction original, HardwareFunction parent) {
        this.id = original.id;
        this.kind = original.kind;
        this.devfn = original.devfn;
        this.rootBus = original.rootBus;
        this.parent = parent;
        this.buses = original.buses;
        this.powerOnBuses = original.powerOnBuses;
        this.bar2 = original.bar2;
        this.sriov = original.sriov;
        this.vfsEnabled = original.vfsEnabled;
        this.powerOnVfs = original.powerOnVfs;
    }

    HardwareFunction copy(HardwareFunction newParent) {
        HardwareFunction c = new HardwareFunction(this, newParent);
        for (HardwareFunction child : children) {
            c.children.add(child.copy(c));
        }
        return c;
    }

    public String id() {
        return id;
    }

    public DeviceKind kind() {
        return kind;
    }

    public int devfn() {
        return devfn;
    }

    public boolean isBridge() {
        return kind.isBridge();
    }

    public boolean isTopLevel() {
        return parent == null;
    }

    /** Top-level functions: the root bus they sit on; -1 below a bridge. */
    public int rootBus() {
        return parent == null ? rootBus : -1;
    }

    /** The parent bridge, or null for a function on a root bus. */
    public HardwareFunction parent() {
        return parent;
    }

    /** Functions on this bridge's secondary bus, in devfn order. */
    public List<HardwareFunction> children() {
        return Collections.unmodifiableList(children);
    }

    /** Current bus registers (bridges), else null. */
    public BridgeBuses buses() {
        return buses;
    }

    public BridgeBuses powerOnBuses() {
        return powerOnBuses;
    }

    public long bar2() {
        return bar2;
    }

    /** SR-IOV capability; its {@code enabled} is the power-on count ({@link #vfsEnabled()} is live). Null if none. */
    public SriovSpec sriov() {
        return sriov;
    }

    public boolean isPhysicalFunction() {
        return sriov != null && sriov.totalVfs() > 0;
    }

    public int vfsEnabled() {
        return vfsEnabled;
    }

    public int powerOnVfs() {
        return powerOnVfs;
    }

    /** The bus this function sits on now: its parent's secondary, or its root bus. */
    public int bus() {
        return parent == null ? rootBus : parent.buses.secondary();
    }

    /** Requester ID at its current address. */
    public int rid() {
        return bus() * 256 + devfn;
    }

    /** Requester ID of virtual function {@code index} (0-based) at the PF's current address; may exceed 0xffff. */
    public long vfRid(int index) {
        return sriov.vfRid(rid(), index);
    }

    /**
     * The first VF index whose requester ID is {@code rid} or above ({@link #vfsEnabled()} when no enabled VF's is):
     * the inverse of {@link #vfRid}, so that routing visits only the VFs that land on the bus it reads.
     */
    int firstVfAtOrAbove(long rid) {
        if (vfsEnabled == 0) {
            return 0;
        }
        long below = rid - vfRid(0);
        if (below <= 0) {
            return 0;
        }
        int stride = sriov.vfStride();
        return stride == 0 ? vfsEnabled : (int) Math.min(vfsEnabled, (below + stride - 1) / stride);
    }

    public static String vfId(String pfId, int index) {
        return pfId + ".vf" + index;
    }

    /** The spec of this subtree, with current registers ({@code current}) or power-on ones. */
    public FunctionSpec toSpec(boolean withChildren) {
        List<FunctionSpec> kids = new ArrayList<>();
        if (withChildren) {
            for (HardwareFunction c : children) {
                kids.add(c.toSpec(true));
            }
        }
        SriovSpec s = sriov == null ? null : sriov.withEnabled(vfsEnabled);
        return new FunctionSpec(id, new dev.pcitimeline.domain.value.Devfn(devfn), parent == null ? rootBus : null,
                kind, buses, bar2, s, kids);
    }

    // --- mutators for Hardware only

    void setBuses(BridgeBuses value) {
        buses = value;
    }

    void setVfsEnabled(int n) {
        vfsEnabled = n;
    }

    List<HardwareFunction> mutableChildren() {
        return children;
    }

    void detach() {
        parent = null;
    }

    @Override
    public String toString() {
        return id + "(" + kind + ")";
    }
}
