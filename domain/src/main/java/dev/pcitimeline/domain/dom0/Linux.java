package dev.pcitimeline.domain.dom0;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.BridgeBusNumbersWritten;
import dev.pcitimeline.domain.event.SegmentEvent.Dom0Booted;
import dev.pcitimeline.domain.event.SegmentEvent.FunctionDiscoveredByDom0;
import dev.pcitimeline.domain.event.SegmentEvent.FunctionForgottenByDom0;
import dev.pcitimeline.domain.event.SegmentEvent.PciDeviceAddCalled;
import dev.pcitimeline.domain.event.SegmentEvent.PciDeviceRemoveCalled;
import dev.pcitimeline.domain.event.SegmentEvent.SriovVfsDisabled;
import dev.pcitimeline.domain.event.SegmentEvent.SriovVfsEnabled;
import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.hardware.ConfigSpace;
import dev.pcitimeline.domain.hardware.Hardware;
import dev.pcitimeline.domain.hardware.HardwareFunction;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * dom0's kernel (XEN-MODEL.md §3): how Linux enumerates, renumbers with {@code pci=assign-busses},
 * removes, rescans and reports functions to Xen. It decides; every effect goes out as an event
 * through {@link Dom0Port}, which folds it at once, so each read sees the writes before it.
 */
public final class Linux {
    /** Who made a hypercall or a register write: dom0's kernel. */
    public static final String CALLER = "dom0";

    private final Dom0Port port;

    public Linux(Dom0Port port) {
        this.port = port;
    }

    private Hardware hw() {
        return port.hardware();
    }

    private Dom0State state() {
        return port.dom0();
    }

    private String sys() {
        return port.systemId();
    }

    // ------------------------------------------------------------------ steps

    /** {@code dom0-boot}: empty list, SR-IOV init turns VFs off (Xen not told), enumerate every root bus. */
    public void boot(boolean assignBusses, Step.Reporting reporting) {
        port.emit(new Dom0Booted(sys(), assignBusses, reporting));
        for (HardwareFunction f : hw().allFunctions()) {
            if (f.vfsEnabled() > 0) {
                port.emit(new SriovVfsDisabled(sys(), f.id(), hw().addressOf(f), f.vfsEnabled()));
            }
        }
        Enumeration e = new Enumeration(assignBusses, reporting, true);
        for (int root : List.copyOf(hw().rootBuses())) {
            e.enumerate(root);
        }
        e.reportDeferred();
    }

    /** {@code linux-assign-busses}: the renumbering alone, first-scan semantics, no list changes, no reports. */
    public void assignBusses() {
        Enumeration e = new Enumeration(true, Step.Reporting.DISCOVERY, false);
        for (int root : List.copyOf(hw().rootBuses())) {
            e.enumerate(root);
        }
    }

    /** {@code dom0-rescan}: scan the bus again as dom0 booted (renumbering with assign-busses); report only new functions. */
    public void rescan(int bus) {
        Enumeration e = new Enumeration(state().assignBusses(), state().reporting(), true);
        e.enumerate(bus);
        e.reportDeferred();
    }

    /** {@code dom0-remove}: the function Linux knows at {@code bdf} and all it knows below it, children first. */
    public void remove(Bdf bdf) {
        HardwareFunction f = knownPhysicalAt(bdf);
        if (f != null) {
            removeSubtree(f);
            return;
        }
        for (HardwareFunction pf : hw().allFunctions()) {
            for (Hardware.VirtualFunction vf : hw().virtualFunctions(pf)) {
                if (vf.address().equals(bdf) && state().knows(vf.id())) {
                    reportRemoved(vf.id(), vf.address());
                    return;
                }
            }
        }
    }

    /** {@code enable-sriov}: VF Enable, then each new VF reported with virtfn-of its PF; refused when VFs are on. */
    public void enableSriov(String pfId, int vfs) {
        HardwareFunction pf = hw().function(pfId);
        if (pf.vfsEnabled() > 0) {
            return;
        }
        Bdf pfAt = hw().addressOf(pf);
        port.emit(new SriovVfsEnabled(sys(), pfId, pfAt, vfs));
        for (Hardware.VirtualFunction vf : hw().virtualFunctions(pf)) {
            join(vf.id(), vf.address());
            port.emit(new PciDeviceAddCalled(sys(), vf.address(), pfAt, CALLER, null, List.of()));
        }
    }

    /** {@code disable-sriov}: each enabled VF's removal reported first, then the PF turns them off. */
    public void disableSriov(String pfId) {
        HardwareFunction pf = hw().function(pfId);
        if (pf.vfsEnabled() == 0) {
            return;
        }
        removeVfsThenDisable(pf);
    }

    /**
     * {@code dom0-report-all}: every function at its current address (a bus's functions in devfn
     * order, then each bridge's subtree), then each PF's enabled VFs in that order.
     */
    public void reportAll(boolean removeFirst) {
        List<HardwareFunction> order = new ArrayList<>();
        for (int root : hw().rootBuses()) {
            linuxOrder(hw().topLevel(root), order);
        }
        for (HardwareFunction f : order) {
            report(f.id(), hw().addressOf(f), null, removeFirst);
        }
        for (HardwareFunction f : order) {
            Bdf pfAt = hw().addressOf(f);
            for (Hardware.VirtualFunction vf : hw().virtualFunctions(f)) {
                report(vf.id(), vf.address(), pfAt, removeFirst);
            }
        }
    }

    /** Before {@code unplug}: as dom0-remove of the function when Linux knows it; with surprise, forget silently. */
    public void beforeUnplug(HardwareFunction f, boolean surprise) {
        if (!surprise && state().knows(f.id())) {
            removeSubtree(f);
        }
        forgetSubtreeSilently(f);
    }

    /** After {@code plug}: found and reported at discovery in scan order, without renumbering. */
    public void afterPlug(HardwareFunction f) {
        Enumeration e = new Enumeration(false, Step.Reporting.DISCOVERY, true);
        Bdf at = hw().addressOf(f);
        List<HardwareFunction> found = new ArrayList<>();
        e.consider(at.bus(), at.devfn(), found);
        e.scanBelow(at.bus(), found);
    }

    // ------------------------------------------------------------------ enumeration

    /**
     * One enumeration pass (a boot, a rescan, a renumbering): the set of buses scanned so far
     * and, for after-scan reporting, the functions still to report in Linux order.
     */
    private final class Enumeration {
        private final boolean assignBusses;
        private final Step.Reporting reporting;
        private final boolean touchesList;
        private final Set<Integer> scanned = new HashSet<>();
        private final List<String> deferred = new ArrayList<>();

        Enumeration(boolean assignBusses, Step.Reporting reporting, boolean touchesList) {
            this.assignBusses = assignBusses;
            this.reporting = reporting;
            this.touchesList = touchesList;
        }

        void enumerate(int bus) {
            deferred.addAll(scan(bus).reportOrder);
        }

        /** scan(b): the functions found on b, then (as the mode says) the buses behind its bridges. */
        private ScanResult scan(int bus) {
            scanned.add(bus);
            List<HardwareFunction> found = new ArrayList<>();
            List<String> order = new ArrayList<>();
            for (int device = 0; device < 32; device++) {
                int devfn = device * 8;
                ConfigSpace.Answer f0 = hw().answerAt(bus, devfn);
                if (f0 == null || f0.virtual()) {
                    continue;
                }
                order.addAll(consider(bus, devfn, found));
                if (f0.multiFunction()) {
                    for (int fn = 1; fn < 8; fn++) {
                        order.addAll(consider(bus, devfn + fn, found));
                    }
                }
            }
            ScanResult below = assignBusses ? renumberBelow(bus, found) : scanBelowKeeping(bus, found);
            order.addAll(below.reportOrder);
            return new ScanResult(below.max, order);
        }

        void scanBelow(int bus, List<HardwareFunction> found) {
            scanBelowKeeping(bus, found);
        }

        /** A read at (bus, devfn) that finds a physical function: new ones join the list and may be reported now. */
        List<String> consider(int bus, int devfn, List<HardwareFunction> found) {
            ConfigSpace.Answer a = hw().answerAt(bus, devfn);
            if (a == null || a.virtual()) {
                return List.of();
            }
            HardwareFunction f = hw().function(a.id());
            found.add(f);
            if (!touchesList || state().knows(f.id())) {
                return List.of();
            }
            Bdf at = Bdf.of(hw().segment(), bus, devfn);
            join(f.id(), at);
            if (reporting == Step.Reporting.DISCOVERY) {
                port.emit(new PciDeviceAddCalled(sys(), at, null, CALLER, null, List.of()));
                return List.of();
            }
            return List.of(f.id());
        }

        /** Without assign-busses: bridges keep their registers; scan each secondary above b not scanned yet. */
        private ScanResult scanBelowKeeping(int bus, List<HardwareFunction> found) {
            List<String> order = new ArrayList<>();
            int max = bus;
            for (HardwareFunction bridge : found) {
                if (!bridge.isBridge()) {
                    continue;
                }
                int secondary = bridge.buses().secondary();
                if (secondary > bus && !scanned.contains(secondary)) {
                    ScanResult r = scan(secondary);
                    order.addAll(r.reportOrder);
                    max = Math.max(max, r.max);
                }
            }
            return new ScanResult(max, order);
        }

        /**
         * With assign-busses: reserve the buses SR-IOV PFs need, pass 0 zeroes every bridge on b,
         * pass 1 gives each bridge in turn max+1 .. 0xff, scans behind it and closes its range.
         */
        private ScanResult renumberBelow(int bus, List<HardwareFunction> found) {
            int max = bus;
            for (HardwareFunction f : found) {
                if (f.isPhysicalFunction()) {
                    long last = f.sriov().vfRid(bus * 256L + f.devfn(), f.sriov().totalVfs() - 1);
                    // bus numbers are 8-bit: a reservation past bus ff takes every bus up to ff
                    max = (int) Math.max(max, Math.min(0xff, last >> 8));
                }
            }
            List<HardwareFunction> bridges = new ArrayList<>();
            for (HardwareFunction f : found) {
                if (f.isBridge()) {
                    bridges.add(f);
                }
            }
            for (HardwareFunction bridge : bridges) {
                write(bridge, BridgeBuses.ZERO);
            }
            List<String> order = new ArrayList<>();
            for (HardwareFunction bridge : bridges) {
                if (max >= 0xff) {
                    // No bus number left for this bridge: Linux leaves it closed (0/0/0).
                    continue;
                }
                int secondary = max + 1;
                write(bridge, new BridgeBuses(bus, secondary, 0xff));
                ScanResult r = scan(secondary);
                write(bridge, new BridgeBuses(bus, secondary, r.max));
                order.addAll(r.reportOrder);
                max = r.max;
            }
            return new ScanResult(max, order);
        }

        private void write(HardwareFunction bridge, BridgeBuses value) {
            port.emit(new BridgeBusNumbersWritten(sys(), bridge.id(), hw().addressOf(bridge), bridge.buses(), value,
                    CALLER, null, List.of()));
        }

        /** After-scan reporting: once the whole scan is done, at the final addresses. */
        void reportDeferred() {
            for (String id : deferred) {
                HardwareFunction f = hw().function(id);
                if (f != null) {
                    port.emit(new PciDeviceAddCalled(sys(), hw().addressOf(f), null, CALLER, null, List.of()));
                }
            }
            deferred.clear();
        }
    }

    private record ScanResult(int max, List<String> reportOrder) {
    }

    // ------------------------------------------------------------------ helpers

    private static void linuxOrder(List<HardwareFunction> level, List<HardwareFunction> out) {
        out.addAll(level);
        for (HardwareFunction f : level) {
            if (f.isBridge()) {
                linuxOrder(f.children(), out);
            }
        }
    }

    private HardwareFunction knownPhysicalAt(Bdf bdf) {
        for (String id : state().known().keySet()) {
            HardwareFunction f = hw().function(id);
            if (f != null && hw().addressOf(f).equals(bdf)) {
                return f;
            }
        }
        return null;
    }

    /** Children first (depth first, devfn order); a PF's VFs just before the PF, SR-IOV then off. */
    private void removeSubtree(HardwareFunction f) {
        for (HardwareFunction child : List.copyOf(f.children())) {
            removeSubtree(child);
        }
        if (f.vfsEnabled() > 0) {
            removeVfsThenDisable(f);
        }
        if (state().knows(f.id())) {
            reportRemoved(f.id(), hw().addressOf(f));
        }
    }

    private void removeVfsThenDisable(HardwareFunction pf) {
        for (Hardware.VirtualFunction vf : hw().virtualFunctions(pf)) {
            if (state().knows(vf.id())) {
                reportRemoved(vf.id(), vf.address());
            }
        }
        port.emit(new SriovVfsDisabled(sys(), pf.id(), hw().addressOf(pf), pf.vfsEnabled()));
    }

    private void reportRemoved(String id, Bdf at) {
        port.emit(new PciDeviceRemoveCalled(sys(), at, CALLER, null, List.of()));
        port.emit(new FunctionForgottenByDom0(sys(), id, at));
    }

    private void report(String id, Bdf at, Bdf virtfnOf, boolean removeFirst) {
        if (removeFirst) {
            port.emit(new PciDeviceRemoveCalled(sys(), at, CALLER, null, List.of()));
        }
        join(id, at);
        port.emit(new PciDeviceAddCalled(sys(), at, virtfnOf, CALLER, null, List.of()));
    }

    private void join(String id, Bdf at) {
        if (!state().knows(id)) {
            port.emit(new FunctionDiscoveredByDom0(sys(), id, at));
        }
    }

    /** Functions leaving the hardware leave Linux's list too, told to Xen or not. */
    private void forgetSubtreeSilently(HardwareFunction f) {
        for (HardwareFunction child : List.copyOf(f.children())) {
            forgetSubtreeSilently(child);
        }
        for (Hardware.VirtualFunction vf : hw().virtualFunctions(f)) {
            if (state().knows(vf.id())) {
                port.emit(new FunctionForgottenByDom0(sys(), vf.id(), vf.address()));
            }
        }
        if (state().knows(f.id())) {
            port.emit(new FunctionForgottenByDom0(sys(), f.id(), hw().addressOf(f)));
        }
    }

    /** Where Linux's effects go: folded into the machine at once, and recorded. */
    public interface Dom0Port {
        String systemId();

        Hardware hardware();

        Dom0State dom0();

        void emit(SegmentEvent event);
    }
}
