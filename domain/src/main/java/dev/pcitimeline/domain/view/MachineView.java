package dev.pcitimeline.domain.view;

import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.hardware.Hardware;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DeviceKind;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.XenDeviceType;
import dev.pcitimeline.domain.xen.Bus2BridgeEntry;
import dev.pcitimeline.domain.xen.Pdev;
import dev.pcitimeline.domain.xen.UpstreamResult;
import dev.pcitimeline.domain.xen.Xen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a machine looks like at one moment, as the state object shows it (API.md): Xen's
 * tables, the upstream walk of every pdev, the hardware config space reaches, and the
 * findings against a fresh boot. Pure values, derived only from {@link Machine}.
 */
public record MachineView(long event, int step, boolean hung, List<PdevRow> pdevs, List<Bus2BridgeRow> bus2bridge,
                          List<UpstreamRow> upstream, List<ContextRow> contexts, List<HardwareRow> hardware,
                          List<Finding> findings) {

    /** A pdev: Xen's type name, owning domain (null: none), PF of a VF, and what answered when it was allocated. */
    public record PdevRow(Bdf bdf, XenDeviceType type, Integer domain, Bdf virtfnOf, String allocatedFor) {
    }

    /** A bus2bridge entry that is not in its initial state; {@code mapped} false keeps the stale target. */
    public record Bus2BridgeRow(int bus, boolean mapped, Bdf bridge) {
    }

    /** find_upstream_bridge from a pdev: bridge and secbus only when result is 1. */
    public record UpstreamRow(Bdf bdf, int result, Bdf bridge, Integer secbus) {
    }

    public record ContextRow(Bdf bdf, int domain) {
    }

    /** A function config space reaches now; {@code buses} for bridges only. */
    public record HardwareRow(Bdf bdf, String id, DeviceKind kind, BridgeBuses buses) {
    }

    /** The views of {@code machine}; {@code expected} is a fresh boot of its hardware (see {@link Findings#expected}). */
    public static MachineView of(Machine machine, Xen expected) {
        Xen xen = machine.xen();
        int seg = machine.segment();
        return new MachineView(machine.eventCount(), machine.stepCount() - 1, xen.hung(), pdevs(xen), bus2bridge(xen),
                upstream(xen), contexts(xen), hardware(machine.hardware()),
                Findings.of(machine.hardware(), xen, expected));
    }

    /**
     * The views of {@code machine} one event after {@code previous} (the views of the same machine before it),
     * recomputing only what that event can have changed: Xen's tables when {@code xenChanged}, the hardware rows
     * when {@code hardwareChanged}, the findings when either. Lists that come out equal are {@code previous}'s
     * own instances, so a caller can tell "unchanged" by identity. Equal to {@link #of} for the same machine.
     * {@code memo} is the fold's own (see {@link ViewMemo}).
     */
    public static MachineView next(MachineView previous, Machine machine, Xen expected, boolean hardwareChanged,
                                   boolean xenChanged, ViewMemo memo) {
        if (!hardwareChanged && !xenChanged) {
            return new MachineView(machine.eventCount(), machine.stepCount() - 1, previous.hung, previous.pdevs,
                    previous.bus2bridge, previous.upstream, previous.contexts, previous.hardware, previous.findings);
        }
        Xen xen = machine.xen();
        List<PdevRow> pdevs = previous.pdevs;
        List<Bus2BridgeRow> bus2bridge = previous.bus2bridge;
        List<UpstreamRow> upstream = previous.upstream;
        List<ContextRow> contexts = previous.contexts;
        if (xenChanged) {
            pdevs = same(previous.pdevs, pdevs(xen));
            bus2bridge = same(previous.bus2bridge, bus2bridge(xen));
            upstream = same(previous.upstream, upstream(xen, memo));
            contexts = same(previous.contexts, contexts(xen));
        }
        List<HardwareRow> hardware = hardwareChanged ? same(previous.hardware, hardware(machine.hardware()))
                : previous.hardware;
        List<Finding> computed = Findings.of(machine.hardware(), xen, expected, memo);
        List<Finding> findings = same(previous.findings, computed);
        if (findings != computed && memo != null) {
            memo.joinedEquals(findings);
        }
        return new MachineView(machine.eventCount(), machine.stepCount() - 1, xen.hung(), pdevs, bus2bridge, upstream,
                contexts, hardware, findings);
    }

    /**
     * What {@link #next} gives without the row lists a caller only needs at the end of a fold: Xen's bus2bridge
     * entries, the hang and the findings are computed (they change what a fold records), while {@code pdevs},
     * {@code upstream}, {@code contexts} and {@code hardware} are null until {@link #withRows} fills them. Unlike
     * {@link #next}, equal findings come back as a new list: see {@link #withFindings}.
     */
    public static MachineView nextWithoutRows(MachineView previous, Machine machine, Xen expected,
                                              boolean hardwareChanged, boolean xenChanged, ViewMemo memo) {
        if (!hardwareChanged && !xenChanged) {
            return new MachineView(machine.eventCount(), machine.stepCount() - 1, previous.hung, null,
                    previous.bus2bridge, null, null, null, previous.findings);
        }
        Xen xen = machine.xen();
        List<Bus2BridgeRow> bus2bridge = xenChanged ? same(previous.bus2bridge, bus2bridge(xen)) : previous.bus2bridge;
        // not compared with the previous findings here: the caller pairs them up anyway (TimelineCursor dates them)
        // and hands the previous list back through withFindings when nothing changed
        List<Finding> findings = Findings.of(machine.hardware(), xen, expected, memo);
        return new MachineView(machine.eventCount(), machine.stepCount() - 1, xen.hung(), null, bus2bridge, null,
                null, null, findings);
    }

    /** This view with {@code findings}, equal to its own: a caller keeps an unchanged list's identity this way. */
    public MachineView withFindings(List<Finding> equalFindings) {
        return new MachineView(event, step, hung, pdevs, bus2bridge, upstream, contexts, hardware, equalFindings);
    }

    /** Whether the row lists are here (see {@link #nextWithoutRows}). */
    public boolean hasRows() {
        return pdevs != null;
    }

    /** This view with the row lists of {@code machine} (the machine it was computed on), if it lacks them. */
    public MachineView withRows(Machine machine, ViewMemo memo) {
        if (hasRows()) {
            return this;
        }
        Xen xen = machine.xen();
        return new MachineView(event, step, hung, pdevs(xen), bus2bridge, upstream(xen, memo), contexts(xen),
                hardware(machine.hardware()), findings);
    }

    private static <R> List<R> same(List<R> before, List<R> now) {
        return before.equals(now) ? before : now;
    }

    public static List<PdevRow> pdevs(Xen xen) {
        List<PdevRow> rows = new ArrayList<>();
        for (Pdev p : xen.pdevs()) {
            rows.add(new PdevRow(p.bdf(), p.type(), p.owner() == null ? null : p.owner().value(), p.virtfnOf(),
                    p.allocatedFor()));
        }
        return rows;
    }

    /** Entries that differ from the initial all-zero state, mapped or not, sorted by bus. */
    public static List<Bus2BridgeRow> bus2bridge(Xen xen) {
        List<Bus2BridgeRow> rows = new ArrayList<>();
        for (int bus = 0; bus < 256; bus++) {
            Bus2BridgeEntry e = xen.bus2bridge(bus);
            if (!e.equals(Bus2BridgeEntry.EMPTY)) {
                rows.add(new Bus2BridgeRow(bus, e.map(), Bdf.of(xen.segment(), e.bus(), e.devfn())));
            }
        }
        return rows;
    }

    public static List<UpstreamRow> upstream(Xen xen) {
        return upstream(xen, null);
    }

    /** The same, each pdev's walk taken from (and kept in) {@code memo} if given. */
    public static List<UpstreamRow> upstream(Xen xen, ViewMemo memo) {
        if (memo != null) {
            memo.sync(xen);
        }
        List<UpstreamRow> rows = new ArrayList<>();
        for (Pdev p : xen.pdevs()) {
            UpstreamRow row = memo == null ? null : memo.upstream(p.bdf());
            if (row == null) {
                UpstreamResult r = xen.findUpstreamBridge(p.bdf().bus(), p.bdf().devfn());
                row = r.result() == 1
                        ? new UpstreamRow(p.bdf(), 1, Bdf.of(xen.segment(), r.bus(), r.devfn()), r.secbus())
                        : new UpstreamRow(p.bdf(), r.result(), null, null);
                if (memo != null) {
                    memo.upstream(p.bdf(), row);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    public static List<ContextRow> contexts(Xen xen) {
        List<ContextRow> rows = new ArrayList<>();
        for (Map.Entry<Integer, DomainId> e : xen.contexts().entrySet()) {
            rows.add(new ContextRow(Bdf.ofRid(xen.segment(), e.getKey()), e.getValue().value()));
        }
        return rows;
    }

    public static List<HardwareRow> hardware(Hardware hw) {
        List<HardwareRow> rows = new ArrayList<>();
        for (Hardware.Reached r : hw.reachableFunctions()) {
            rows.add(new HardwareRow(r.bdf(), r.id(), r.kind(), r.buses()));
        }
        return rows;
    }
}
