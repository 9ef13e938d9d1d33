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
        return new MachineView(machine.events(), machine.steps() - 1, xen.hung(), pdevs(xen), bus2bridge(xen),
                upstream(xen), contexts(xen), hardware(machine.hardware()),
                Findings.of(machine.hardware(), xen, expected));
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
        List<UpstreamRow> rows = new ArrayList<>();
        for (Pdev p : xen.pdevs()) {
            UpstreamResult r = xen.findUpstreamBridge(p.bdf().bus(), p.bdf().devfn());
            rows.add(r.result() == 1
                    ? new UpstreamRow(p.bdf(), 1, Bdf.of(xen.segment(), r.bus(), r.devfn()), r.secbus())
                    : new UpstreamRow(p.bdf(), r.result(), null, null));
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
