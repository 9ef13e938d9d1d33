package dev.pcitimeline.scenarios.synthetic;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.Hardware;
import dev.pcitimeline.domain.hardware.HardwareFunction;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.machine.StepRecording;
import dev.pcitimeline.domain.machine.StepRule;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.xen.Pdev;
import dev.pcitimeline.domain.xen.XenTrace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Generates a long, realistic history for benchmarks: a generated topology (bridges, SR-IOV,
 * conventional PCI behind PCIe-to-PCI bridges, switches) and a deterministic mix of Xen boots
 * and reboots each followed by a dom0 boot (with or without {@code pci=assign-busses}, either
 * reporting mode), hypercalls (add, remove, assign, deassign), renumbering (Linux's and single
 * register writes), SR-IOV enable/disable, dom0 remove/rescan/report-all, unplug and plug.
 *
 * <p>Same seed, same history. Every step is checked against the domain's {@link StepRule}s on
 * the machine as it is at that moment and folded with {@link Machine#apply}, exactly as the
 * aggregate would: a step that broke a rule would be a generator bug and fails loudly.
 * Bus numbers written stay below {@code 0xff}, so Xen only hangs if the model itself makes it.
 */
public final class SyntheticHistoryGenerator {
    /** Guest domains passthrough targets are drawn from. */
    private static final int GUESTS = 4;

    private final Random random;
    private final SegmentEvent.SystemCreated created;
    private final Machine machine;
    private final boolean keepEvents;
    private final List<Step> steps = new ArrayList<>();
    private final List<SegmentEvent> events = new ArrayList<>();
    /** Subtrees unplugged so far, to plug back later: (parent, spec as it was). */
    private final List<Unplugged> unplugged = new ArrayList<>();
    /** A boot cycle in progress: dom0 boots right after Xen. */
    private boolean dom0BootPending;

    private record Unplugged(String parent, FunctionSpec spec) {
    }

    /**
     * What a history is made of: how many root ports the machine has ({@code rootPorts} plus a random
     * {@code 0..rootPortsSpread-1}), how often each kind of step is drawn, and whether dom0 boots lean towards
     * {@code pci=assign-busses} (3 in 4 instead of 1 in 2, and the first dom0 boot drawn like the others).
     *
     * @param weights per {@link StepKind}, in its order: how often it is drawn, out of their sum
     */
    public record Mix(String name, int rootPorts, int rootPortsSpread, List<Integer> weights, boolean favourAssignBusses) {
        public Mix {
            weights = List.copyOf(weights);
            if (weights.size() != StepKind.values().length || weights.stream().anyMatch(w -> w < 0)
                    || weights.stream().mapToInt(Integer::intValue).sum() <= 0) {
                throw new IllegalArgumentException("a mix needs one weight >= 0 per step kind " + List.of(StepKind.values()));
            }
        }

        /** The benchmark's server: 10..14 root ports, more than half the steps single hypercalls. */
        public static final Mix BENCH = new Mix("bench", 10, 5,
                List.of(2, 16, 13, 13, 9, 5, 5, 6, 5, 2, 5, 3, 8, 8), false);

        /**
         * What the original report is about (issue 14): a small machine (3..6 root ports, so every topology has a
         * NIC, an SR-IOV PF and a PCIe-to-PCI bridge with a PCI bridge behind it), frequent Xen and dom0 boots with
         * {@code pci=assign-busses}, dom0 remove/rescan, SR-IOV and hot-plug; hypercalls by hand are rarer.
         */
        public static final Mix REPORT = new Mix("report", 3, 4,
                List.of(8, 6, 5, 6, 4, 12, 12, 10, 6, 3, 3, 5, 10, 10), true);
    }

    /** The kinds of step the mix draws from, in the order of {@link Mix#weights}. */
    public enum StepKind {
        BOOT, ADD, REMOVE, ASSIGN, DEASSIGN, DOM0_REMOVE, DOM0_RESCAN, ENABLE_SRIOV, DISABLE_SRIOV,
        LINUX_ASSIGN_BUSSES, WRITE_BRIDGE_BUSES, DOM0_REPORT_ALL, UNPLUG, PLUG
    }

    private final Mix mix;
    private final int totalWeight;

    private SyntheticHistoryGenerator(long seed, String systemId, boolean keepEvents, Mix mix) {
        this.random = new Random(seed);
        this.keepEvents = keepEvents;
        this.mix = mix;
        this.totalWeight = mix.weights().stream().mapToInt(Integer::intValue).sum();
        List<FunctionSpec> topology = SyntheticTopology.generate(random, mix.rootPorts() + random.nextInt(mix.rootPortsSpread()));
        this.created = new SegmentEvent.SystemCreated(systemId, "synthetic-" + seed,
                "generated history (seed " + seed + ")", Policy.XEN_4_4, 0, topology);
        this.machine = Machine.created(created);
        if (keepEvents) {
            events.add(created);
        }
    }

    /**
     * A history of at least {@code targetEvents} events (the last step may go a little beyond) for system
     * {@code systemId}; with {@code keepEvents} the events themselves are kept too (memory: ~0.3 KiB each).
     */
    public static SyntheticHistory generate(String systemId, long seed, long targetEvents, boolean keepEvents) {
        if (targetEvents < 1) {
            throw new IllegalArgumentException("target events " + targetEvents + " must be at least 1");
        }
        SyntheticHistoryGenerator g = new SyntheticHistoryGenerator(seed, systemId, keepEvents, Mix.BENCH);
        g.start();
        while (g.machine.eventCount() < targetEvents) {
            g.run(g.next());
        }
        return g.history(seed);
    }

    /**
     * A history of exactly {@code stepCount} steps (at least 2: {@code xen-boot} and {@code dom0-boot} come first)
     * drawn from {@code mix}, its events kept.
     */
    public static SyntheticHistory generateSteps(String systemId, long seed, int stepCount, Mix mix) {
        if (stepCount < 2) {
            throw new IllegalArgumentException("steps " + stepCount + " must be at least 2 (xen-boot, dom0-boot)");
        }
        SyntheticHistoryGenerator g = new SyntheticHistoryGenerator(seed, systemId, true, mix);
        g.start();
        while (g.steps.size() < stepCount) {
            g.run(g.next());
        }
        return g.history(seed);
    }

    /** Xen boots, then dom0: plainly for the bench, drawn like every later dom0 boot when the mix favours assign-busses. */
    private void start() {
        run(new Step.XenBoot());
        if (mix.favourAssignBusses()) {
            dom0BootPending = true;
            run(next());
        } else {
            run(new Step.Dom0Boot(false, Step.Reporting.DISCOVERY));
        }
    }

    private SyntheticHistory history(long seed) {
        return new SyntheticHistory(seed, created.systemId(), created.scenario(), created.description(),
                created.policy(), created.segment(), created.topology(), steps, machine.eventCount(), events);
    }

    /** Checks the step against every rule on the machine as it is, then folds its events. */
    private void run(Step step) {
        Optional<String> violation = StepRule.firstViolation(machine, step);
        if (violation.isPresent()) {
            throw new IllegalStateException("generated step " + (steps.size()) + " " + step + " breaks a rule: "
                    + violation.get());
        }
        StepRecording recording = machine.record(step);
        for (SegmentEvent e : recording.events()) {
            machine.apply(e, XenTrace.NONE);
        }
        if (keepEvents) {
            events.addAll(recording.events());
        }
        steps.add(step);
    }

    // ------------------------------------------------------------------ the mix

    private Step next() {
        if (dom0BootPending) {
            dom0BootPending = false;
            boolean assignBusses = random.nextBoolean() || (mix.favourAssignBusses() && random.nextBoolean());
            return new Step.Dom0Boot(assignBusses,
                    random.nextInt(4) == 0 ? Step.Reporting.AFTER_SCAN : Step.Reporting.DISCOVERY);
        }
        while (true) {
            Optional<Step> step = pick().get();
            if (step.isPresent() && StepRule.firstViolation(machine, step.get()).isEmpty()) {
                return step.get();
            }
        }
    }

    /** Weighted choice of a step kind; the kind may find nothing to do here (empty) and is drawn again. */
    private Supplier<Optional<Step>> pick() {
        int r = random.nextInt(totalWeight);
        StepKind kind = null;
        for (StepKind k : StepKind.values()) {
            r -= mix.weights().get(k.ordinal());
            if (r < 0) {
                kind = k;
                break;
            }
        }
        return switch (kind) {
            case BOOT -> this::boot;
            case ADD -> this::add;
            case REMOVE -> this::remove;
            case ASSIGN -> this::assign;
            case DEASSIGN -> this::deassign;
            case DOM0_REMOVE -> this::dom0Remove;
            case DOM0_RESCAN -> this::dom0Rescan;
            case ENABLE_SRIOV -> this::enableSriov;
            case DISABLE_SRIOV -> this::disableSriov;
            case LINUX_ASSIGN_BUSSES -> () -> Optional.of(new Step.LinuxAssignBusses());
            case WRITE_BRIDGE_BUSES -> this::writeBridgeBuses;
            case DOM0_REPORT_ALL -> () -> Optional.of(new Step.Dom0ReportAll(random.nextBoolean()));
            case UNPLUG -> this::unplug;
            case PLUG -> this::plug;
        };
    }

    private Optional<Step> boot() {
        dom0BootPending = true;
        return Optional.of(random.nextInt(3) == 0 ? new Step.Reboot() : new Step.XenBoot());
    }

    /** Mostly a function that answers (a VF with its PF), sometimes a known pdev again, sometimes nothing there. */
    private Optional<Step> add() {
        int r = random.nextInt(10);
        if (r < 7) {
            List<Hardware.Reached> reached = hardware().reachableFunctions();
            Hardware.Reached f = reached.get(random.nextInt(reached.size()));
            Bdf pf = null;
            if (f.virtual()) {
                HardwareFunction physical = hardware().function(f.id().substring(0, f.id().lastIndexOf(".vf")));
                pf = physical == null ? null : hardware().addressOf(physical);
            }
            return Optional.of(new Step.Add(f.bdf(), pf));
        } else if (r < 9) {
            return anyPdev().map(p -> new Step.Add(p.bdf(), p.virtfnOf()));
        }
        return Optional.of(new Step.Add(Bdf.of(machine.segment(), random.nextInt(0x40), random.nextInt(0x100)), null));
    }

    private Optional<Step> remove() {
        if (random.nextInt(8) == 0) {
            List<Hardware.Reached> reached = hardware().reachableFunctions();
            return Optional.of(new Step.Remove(reached.get(random.nextInt(reached.size())).bdf()));
        }
        return anyPdev().map(p -> new Step.Remove(p.bdf()));
    }

    private Optional<Step> assign() {
        List<Pdev> candidates = new ArrayList<>();
        for (Pdev p : machine.xen().pdevs()) {
            // mostly what Xen accepts (owned by dom0), now and then a busy one
            if (DomainId.DOM0.equals(p.owner()) || random.nextInt(10) == 0) {
                candidates.add(p);
            }
        }
        return choose(candidates).map(p -> new Step.Assign(p.bdf(), DomainId.guest(1 + random.nextInt(GUESTS))));
    }

    private Optional<Step> deassign() {
        List<Pdev> candidates = new ArrayList<>();
        for (Pdev p : machine.xen().pdevs()) {
            if ((p.owner() != null && !p.owner().isDom0()) || random.nextInt(20) == 0) {
                candidates.add(p);
            }
        }
        return choose(candidates).map(p -> new Step.Deassign(p.bdf()));
    }

    private Optional<Step> dom0Remove() {
        Map<String, Bdf> known = machine.dom0().known();
        if (known.isEmpty()) {
            return Optional.empty();
        }
        List<Bdf> at = new ArrayList<>(known.values());
        return Optional.of(new Step.Dom0Remove(at.get(random.nextInt(at.size()))));
    }

    private Optional<Step> dom0Rescan() {
        List<Integer> buses = new ArrayList<>();
        buses.add(0);
        for (HardwareFunction f : hardware().allFunctions()) {
            if (f.isBridge() && f.buses().secondary() > 0) {
                buses.add(f.buses().secondary());
            }
        }
        return Optional.of(new Step.Dom0Rescan(buses.get(random.nextInt(buses.size()))));
    }

    private Optional<Step> enableSriov() {
        List<HardwareFunction> pfs = physicalFunctions();
        return choose(pfs).map(pf -> new Step.EnableSriov(pf.id(), 1 + random.nextInt(pf.sriov().totalVfs())));
    }

    private Optional<Step> disableSriov() {
        return choose(physicalFunctions()).map(pf -> new Step.DisableSriov(pf.id()));
    }

    /** A bridge's range moved by a bus or two (or back to power-on), never reaching 0xff. */
    private Optional<Step> writeBridgeBuses() {
        List<HardwareFunction> bridges = new ArrayList<>();
        for (HardwareFunction f : hardware().allFunctions()) {
            if (f.isBridge()) {
                bridges.add(f);
            }
        }
        return choose(bridges).map(b -> {
            if (random.nextInt(4) == 0) {
                return new Step.WriteBridgeBuses(b.id(), b.powerOnBuses().primary(), b.powerOnBuses().secondary(),
                        b.powerOnBuses().subordinate());
            }
            int shift = random.nextBoolean() ? 1 : random.nextBoolean() ? 2 : -1;
            int secondary = clamp(b.buses().secondary() + shift);
            int subordinate = clamp(Math.max(secondary, b.buses().subordinate() + shift + random.nextInt(2)));
            return new Step.WriteBridgeBuses(b.id(), null, secondary, subordinate);
        });
    }

    /** A small subtree (an endpoint, a PCI bridge with its devices…) leaves; not a root port, not the host bridge. */
    private Optional<Step> unplug() {
        List<HardwareFunction> candidates = new ArrayList<>();
        for (HardwareFunction f : hardware().allFunctions()) {
            if (!f.isTopLevel() && hardware().subtreeIds(f.id()).size() <= 4) {
                candidates.add(f);
            }
        }
        return choose(candidates).map(f -> {
            HardwareFunction parent = f.parent();
            unplugged.add(new Unplugged(parent.id(), f.toSpec(true)));
            return new Step.Unplug(f.id(), random.nextInt(4) == 0);
        });
    }

    /** Something unplugged earlier comes back where it was, if its parent is still there and the slot free. */
    private Optional<Step> plug() {
        for (int i = 0; i < unplugged.size(); i++) {
            Unplugged u = unplugged.get(i);
            if (hardware().plugProblem(u.parent(), u.spec()) == null) {
                unplugged.remove(i);
                return Optional.of(new Step.Plug(u.parent(), u.spec()));
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ helpers

    private Hardware hardware() {
        return machine.hardware();
    }

    private List<HardwareFunction> physicalFunctions() {
        List<HardwareFunction> pfs = new ArrayList<>();
        for (HardwareFunction f : hardware().allFunctions()) {
            if (f.isPhysicalFunction()) {
                pfs.add(f);
            }
        }
        return pfs;
    }

    private Optional<Pdev> anyPdev() {
        return choose(machine.xen().pdevs());
    }

    private <T> Optional<T> choose(List<T> list) {
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(random.nextInt(list.size())));
    }

    private static int clamp(int bus) {
        return Math.max(1, Math.min(0xfe, bus));
    }
}
