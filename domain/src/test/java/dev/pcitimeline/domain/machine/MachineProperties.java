package dev.pcitimeline.domain.machine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pcitimeline.domain.event.ConfigRead;
import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.StepStarted;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.Hardware;
import dev.pcitimeline.domain.hardware.HardwareFunction;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Devfn;
import dev.pcitimeline.domain.value.DeviceKind;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.hardware.ConfigSpace;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.domain.view.Findings;
import dev.pcitimeline.domain.view.ViewMemo;
import dev.pcitimeline.domain.view.MachineView;
import dev.pcitimeline.domain.xen.Pdev;
import dev.pcitimeline.domain.xen.Xen;
import dev.pcitimeline.domain.xen.XenTrace;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the machine and its fold over random hardware (bridges of every kind, nested,
 * several root buses, random and degenerate firmware bus registers, BAR2 values, SR-IOV PFs)
 * and random step sequences that keep every {@link StepRule}.
 */
class MachineProperties {

    private static final DeviceKind[] BRIDGE_KINDS = {
            DeviceKind.ROOT_PORT, DeviceKind.UPSTREAM_PORT, DeviceKind.DOWNSTREAM_PORT,
            DeviceKind.PCIE_TO_PCI_BRIDGE, DeviceKind.PCI_TO_PCIE_BRIDGE, DeviceKind.PCI_BRIDGE};
    private static final DeviceKind[] ALL_KINDS = DeviceKind.values();

    // ================================================================== properties

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void the_same_system_and_steps_give_the_same_events(@ForAll("systems") RandomSystem system) {
        Run first = Run.of(system.created(Policy.XEN_4_4), system.steps(), false);
        Run second = Run.of(system.created(Policy.XEN_4_4), system.steps(), false);

        assertThat(second.recordings()).isEqualTo(first.recordings());
        assertThat(second.machine().snapshot()).isEqualTo(first.machine().snapshot());
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void no_exception_escapes_the_model_for_a_valid_step(@ForAll("systems") RandomSystem system,
                                                        @ForAll("policies") Policy policy) {
        Run run = Run.of(system.created(policy), system.steps(), false);
        // and every view of the result can be computed too
        Machine m = run.machine();
        MachineView.of(m, Xen.freshBoot(m.policy(), m.hardware()));
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void folding_the_recorded_events_into_a_fresh_machine_gives_the_recording_state_and_the_observed_outcomes(
            @ForAll("systems") RandomSystem system, @ForAll("policies") Policy policy) {
        SystemCreated created = system.created(policy);
        Run run = Run.of(created, system.steps(), false);
        Machine fresh = Machine.created(created);

        for (StepRecording recording : run.recordings()) {
            StepOutcome outcome = new StepOutcome(((StepStarted) recording.events().get(0)).keyword());
            for (SegmentEvent e : recording.events()) {
                Reads reads = new Reads();
                Outcome refolded = fresh.apply(e, reads);
                if (e instanceof SegmentEvent.XenObserved<?> observed) {
                    assertThat(observed.outcome()).as("outcome of %s", e).isEqualTo(refolded);
                    assertThat(readsOf(e)).as("reads of %s", e).isEqualTo(reads.reads);
                    outcome.add(refolded);
                } else {
                    assertThat(refolded).as("%s is not seen by Xen", e).isEqualTo(Outcome.OK);
                    assertThat(reads.reads).isEmpty();
                }
            }
            assertThat(outcome.outcome()).as("outcome of step %d", recording.index()).isEqualTo(recording.outcome());
            assertThat(fresh.snapshot()).as("after step %d", recording.index())
                    .isEqualTo(run.snapshotsAfterEachStep().get(recording.index()));
        }
        assertThat(fresh.snapshot()).isEqualTo(run.machine().snapshot());
        assertThat(fresh).as("machines with equal state are equal").isEqualTo(run.machine());
        assertThat(fresh.eventCount()).isEqualTo(1 + run.recordings().stream().mapToLong(r -> r.events().size()).sum());
    }

    /**
     * What the views take shortcuts for equals the plain computation after every event: the boot scan passing by
     * buses the hardware says nothing answers on (and so the fresh boot the findings compare against), the pdev list
     * Xen keeps between changes, the fresh boot's table from its bridges' allocations alone (what folds compare
     * against), the findings a memo keeps group by group while what each group reads stays (Xen's stamps change with
     * what they stand for), and the subject order the timeline pairs findings up by.
     */
    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void the_views_shortcuts_equal_the_plain_computations(@ForAll("systems") RandomSystem system,
                                                         @ForAll("policies") Policy policy) {
        SystemCreated created = system.created(policy);
        Run run = Run.of(created, system.steps(), false);
        Machine m = Machine.created(created);
        ViewMemo memo = new ViewMemo();
        Object tableStamp = null;
        Object contextsStamp = null;
        Xen.Snapshot before = null;
        for (StepRecording recording : run.recordings()) {
            for (SegmentEvent e : recording.events()) {
                m.apply(e, XenTrace.NONE);
                Hardware hw = m.hardware();
                Xen table = Findings.expectedTable(hw, m.xen());
                List<Finding> plain = Findings.of(hw, m.xen(), table);
                assertThat(plain).as("findings against the boot's table alone, after %s", e)
                        .isEqualTo(Findings.of(hw, m.xen(), Findings.expected(hw, m.xen())));
                assertThat(Findings.of(hw, m.xen(), table, memo)).as("findings from the memo, after %s", e)
                        .isEqualTo(plain);
                Xen.Snapshot now = m.xen().snapshot();
                if (m.xen().tableStamp() == tableStamp) {
                    assertThat(now.bus2bridge()).as("the table under the same stamp, after %s", e)
                            .isEqualTo(before.bus2bridge());
                }
                if (m.xen().contextsStamp() == contextsStamp) {
                    assertThat(now.contexts()).as("the context entries under the same stamp, after %s", e)
                            .isEqualTo(before.contexts());
                }
                tableStamp = m.xen().tableStamp();
                contextsStamp = m.xen().contextsStamp();
                before = now;
                Xen fresh = Findings.expected(hw, m.xen());
                assertThat(table.snapshot().bus2bridge()).as("the table of the bridges' allocations alone, after %s", e)
                        .isEqualTo(fresh.snapshot().bus2bridge());
                assertThat(table.hung()).as("the hang of the bridges' allocations alone, after %s", e)
                        .isEqualTo(fresh.hung());
                ConfigSpace everyBus = new ConfigSpace() { // the interface's own answer: look at every bus
                    @Override
                    public int segment() {
                        return hw.segment();
                    }

                    @Override
                    public Answer answerAt(int bus, int devfn) {
                        return hw.answerAt(bus, devfn);
                    }
                };
                assertThat(Xen.bootScan(hw)).as("scan after %s", e).isEqualTo(Xen.bootScan(everyBus));
                Xen expected = Xen.freshBoot(policy, hw);
                assertThat(expected.snapshot()).as("fresh boot after %s", e)
                        .isEqualTo(Xen.freshBoot(policy, everyBus).snapshot());
                List<Finding> findings = Findings.of(hw, m.xen(), expected);
                for (int i = 1; i < findings.size(); i++) {
                    assertThat(Finding.compareSubjects(findings.get(i - 1), findings.get(i))).as("%s then %s",
                            findings.get(i - 1), findings.get(i)).isNegative();
                }
            }
            Xen xen = m.xen();
            List<Pdev> listed = xen.pdevs();
            int inTable = 0;
            for (int rid = 0; rid <= 0xffff; rid++) {
                if (xen.pdev(rid >> 8, rid & 0xff) != null) {
                    inTable++;
                }
            }
            assertThat(inTable).as("pdevs after step %d", recording.index()).isEqualTo(listed.size());
            for (Pdev p : listed) {
                assertThat(xen.pdev(p.bdf().bus(), p.bdf().devfn())).isSameAs(p);
            }
        }
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void xen_4_4_and_fix_remember_range_agree_while_no_bridge_register_is_written_and_no_hardware_changes(
            @ForAll("systems") RandomSystem system) {
        SystemCreated created = system.created(Policy.XEN_4_4);
        Run run = Run.of(created, system.steps(), true);
        Machine xen44 = Machine.created(created);
        Machine remember = Machine.created(created, Policy.FIX_REMEMBER_RANGE);

        for (StepRecording recording : run.recordings()) {
            for (SegmentEvent e : recording.events()) {
                xen44.apply(e, XenTrace.NONE);
                remember.apply(e, XenTrace.NONE);
            }
            assertSameXenState(remember.xen(), xen44.xen(), recording);
        }
    }

    /**
     * XEN-MODEL.md §4b: a release is 4.4 plus rows that only act under narrow conditions. The history is recorded
     * under 4.4 and folded again under each release; the release's Xen reports through
     * {@link XenTrace#releaseRuleApplied} every branch where it does not do what 4.4 does (the condition of a row
     * arose). Until the first step in which that happens, the release must fold to exactly the 4.4 state and
     * outcomes: a rule that acts without its condition, or a condition the model does not report, fails here.
     * Histories whose conditions arise at once (loops from assign-busses, passthrough under 4.17) are still
     * compared up to that step, so every history contributes.
     */
    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void every_release_folds_to_the_xen_4_4_state_until_the_condition_of_one_of_its_rows_arises(
            @ForAll("systems") RandomSystem system) {
        SystemCreated created = system.created(Policy.XEN_4_4);
        Run run = Run.of(created, system.steps(), false);
        for (Policy release : Policy.values()) {
            if (!release.isLaterRelease()) {
                continue;
            }
            Machine xen44 = Machine.created(created);
            Machine later = Machine.created(created, release);
            RowsApplied rows = new RowsApplied();
            for (StepRecording recording : run.recordings()) {
                List<Outcome> outcomes44 = new ArrayList<>();
                List<Outcome> outcomesLater = new ArrayList<>();
                for (SegmentEvent e : recording.events()) {
                    outcomes44.add(xen44.apply(e, XenTrace.NONE));
                    outcomesLater.add(later.apply(e, rows));
                }
                if (!rows.rows.isEmpty()) {
                    break;
                }
                String step = release + " " + ((StepStarted) recording.events().get(0)).text();
                assertThat(outcomesLater).as(step).isEqualTo(outcomes44);
                assertSameXenState(later.xen(), xen44.xen(), recording);
                assertThat(later.xen().crashedDomains()).as(step).isEmpty();
            }
        }
    }

    /** The rows of §4b a fold reported. */
    private static final class RowsApplied implements XenTrace {
        final Set<String> rows = new TreeSet<>();

        @Override
        public void releaseRuleApplied(String row) {
            rows.add(row);
        }
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void a_snapshot_round_trip_through_jackson_restores_an_equal_machine(@ForAll("systems") RandomSystem system,
                                                                        @ForAll("policies") Policy policy)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper()
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .findAndRegisterModules();
        Machine machine = Run.of(system.created(policy), system.steps(), false).machine();

        String json = mapper.writeValueAsString(machine);
        Machine restored = mapper.readValue(json, Machine.class);

        assertThat(restored.snapshot()).isEqualTo(machine.snapshot());
        assertThat(mapper.writeValueAsString(restored)).isEqualTo(json);
        // and it goes on exactly as the original would
        Step boot = new Step.XenBoot();
        assertThat(restored.record(boot)).isEqualTo(machine.record(boot));
    }

    private static void assertSameXenState(Xen actual, Xen expected, StepRecording after) {
        String step = "after " + ((StepStarted) after.events().get(0)).text();
        assertThat(actual.hung()).as(step).isEqualTo(expected.hung());
        assertThat(MachineView.pdevs(actual)).as(step).isEqualTo(MachineView.pdevs(expected));
        assertThat(actual.contexts()).as(step).isEqualTo(expected.contexts());
        for (int bus = 0; bus < 256; bus++) {
            assertThat(actual.bus2bridge(bus)).as("%s: bus2bridge[%02x]", step, bus).isEqualTo(expected.bus2bridge(bus));
        }
    }

    private static List<ConfigRead> readsOf(SegmentEvent e) {
        if (e instanceof SegmentEvent.PciDeviceAddCalled x) {
            return x.reads();
        } else if (e instanceof SegmentEvent.PciDeviceRemoveCalled x) {
            return x.reads();
        } else if (e instanceof SegmentEvent.PdevAllocatedAtBoot x) {
            return x.reads();
        } else if (e instanceof SegmentEvent.PdevsGivenToDom0AtBoot x) {
            return x.reads();
        } else if (e instanceof SegmentEvent.AssignDeviceCalled x) {
            return x.reads();
        } else if (e instanceof SegmentEvent.DeassignDeviceCalled x) {
            return x.reads();
        } else if (e instanceof SegmentEvent.BridgeBusNumbersWritten x) {
            return x.reads();
        }
        throw new AssertionError("not observed by Xen: " + e);
    }

    /** Collects Xen's config reads as the recorder does. */
    private static final class Reads implements XenTrace {
        final List<ConfigRead> reads = new ArrayList<>();

        @Override
        public void configRead(Bdf at, String register, int value, String answeredBy) {
            reads.add(new ConfigRead(at, register, value, answeredBy));
        }
    }

    // ================================================================== running random steps

    /** The steps a sequence actually ran (each kept every StepRule), and the machine they left. */
    record Run(Machine machine, List<StepRecording> recordings, List<Machine.Snapshot> snapshotsAfterEachStep) {

        /**
         * Turns each seed into a step on the machine as it is, keeps those that break no rule, and
         * records and applies them as the aggregate does. {@code stableHardware}: only steps that
         * write no bridge register and change no hardware.
         */
        static Run of(SystemCreated created, List<StepSeed> seeds, boolean stableHardware) {
            Machine m = Machine.created(created);
            List<StepRecording> recordings = new ArrayList<>();
            List<Machine.Snapshot> snapshots = new ArrayList<>();
            for (StepSeed seed : seeds) {
                Step step = seed.on(m);
                if (step == null || (stableHardware && !keepsHardware(step))
                        || StepRule.firstViolation(m, step).isPresent()) {
                    continue;
                }
                StepRecording r = m.record(step);
                for (SegmentEvent e : r.events()) {
                    m.apply(e, XenTrace.NONE);
                }
                recordings.add(r);
                snapshots.add(m.snapshot());
            }
            return new Run(m, recordings, snapshots);
        }

        private static boolean keepsHardware(Step step) {
            if (step instanceof Step.Dom0Boot s) {
                return !s.assignBusses();
            }
            return !(step instanceof Step.LinuxAssignBusses || step instanceof Step.WriteBridgeBuses
                    || step instanceof Step.Plug || step instanceof Step.Unplug || step instanceof Step.EnableSriov
                    || step instanceof Step.DisableSriov || step instanceof Step.Reboot);
        }
    }

    /**
     * One random step, decided against the machine as it is when it runs: {@code kind} picks the
     * step type, {@code a}, {@code b}, {@code c} pick its targets and values, {@code flag} its switch.
     */
    record StepSeed(int kind, int a, int b, int c, boolean flag) {

        Step on(Machine m) {
            Hardware hw = m.hardware();
            List<HardwareFunction> functions = hw.allFunctions();
            switch (kind) {
                case 0:
                    return new Step.XenBoot();
                case 1:
                    return new Step.Reboot();
                case 2:
                    return new Step.Dom0Boot(flag, a % 2 == 0 ? Step.Reporting.DISCOVERY : Step.Reporting.AFTER_SCAN);
                case 3:
                    return new Step.Dom0Remove(pick(addresses(m), a));
                case 4:
                    return new Step.Dom0Rescan(pick(new ArrayList<>(buses(m)), a));
                case 5:
                    return new Step.LinuxAssignBusses();
                case 6: {
                    HardwareFunction bridge = pick(bridges(functions), a);
                    return bridge == null ? null
                            : new Step.WriteBridgeBuses(bridge.id(), (b & 3) == 0 ? null : b & 0xf,
                            (b & 0x30) == 0 ? null : (c & 0xf), (c & 0x300) == 0 ? null : busValue(c >> 4));
                }
                case 7: {
                    HardwareFunction pf = pick(pfs(functions), a);
                    return pf == null ? null : new Step.EnableSriov(pf.id(), 1 + Math.floorMod(b, pf.sriov().totalVfs()));
                }
                case 8: {
                    HardwareFunction pf = pick(pfs(functions), a);
                    return pf == null ? null : new Step.DisableSriov(pf.id());
                }
                case 9: {
                    Bdf at = pick(addresses(m), a);
                    Bdf pf = flag ? pick(addresses(m), b) : null;
                    return new Step.Add(at, pf);
                }
                case 10:
                    return new Step.Remove(pick(addresses(m), a));
                case 11:
                    return new Step.Dom0ReportAll(flag);
                case 12:
                    return new Step.Assign(pick(addresses(m), a), DomainId.of(1 + Math.floorMod(b, 3)));
                case 13:
                    return new Step.Deassign(pick(addresses(m), a));
                case 14: {
                    HardwareFunction f = pick(functions, a);
                    return f == null ? null : new Step.Unplug(f.id(), flag);
                }
                case 15:
                    return plug(m, functions);
                default:
                    throw new IllegalStateException("step kind " + kind);
            }
        }

        private Step plug(Machine m, List<HardwareFunction> functions) {
            List<HardwareFunction> bridges = bridges(functions);
            String parent = flag || bridges.isEmpty() ? Hardware.ROOT : pick(bridges, a).id();
            DeviceKind kind = ALL_KINDS[Math.floorMod(b, ALL_KINDS.length)];
            String id = "plug" + m.eventCount();
            Devfn devfn = new Devfn(Math.floorMod(c, 4) * 8 + (c >> 2 & 1));
            Integer rootBus = Hardware.ROOT.equals(parent) ? (c & 0x40) == 0 ? 0 : busValue(c >> 8) : null;
            BridgeBuses buses = kind.isBridge() ? new BridgeBuses(busValue(a), busValue(b >> 4), busValue(c >> 12)) : null;
            List<FunctionSpec> children = kind.isBridge() && (a & 1) == 1
                    ? List.of(FunctionSpec.endpoint(id + "c", "00.0", DeviceKind.PCI_ENDPOINT))
                    : List.of();
            SriovSpec sriov = kind.isEndpoint() && (a & 2) == 2 ? new SriovSpec(4, 1 + (b & 0x1ff), b >> 9 & 3, c & 3)
                    : null;
            long bar2 = kind.isEndpoint() ? (long) (c & 0xffff) << 8 : 0;
            return new Step.Plug(parent, new FunctionSpec(id, devfn, rootBus, kind, buses, bar2, sriov, children));
        }

        private static int busValue(int x) {
            int v = Math.floorMod(x, 20);
            return v == 19 ? 0xff : v;
        }

        private List<Bdf> addresses(Machine m) {
            Set<Bdf> out = new TreeSet<>();
            for (Hardware.Reached r : m.hardware().reachableFunctions()) {
                out.add(r.bdf());
            }
            for (Pdev p : m.xen().pdevs()) {
                out.add(p.bdf());
            }
            out.addAll(m.dom0().known().values());
            List<Bdf> list = new ArrayList<>(out);
            // sometimes an address nothing knows
            list.add(Bdf.of(m.segment(), Math.floorMod(c, 12), Math.floorMod(b, 0x20)));
            return list;
        }

        private static Set<Integer> buses(Machine m) {
            Set<Integer> out = new TreeSet<>(m.hardware().rootBuses());
            for (HardwareFunction f : m.hardware().allFunctions()) {
                if (f.isBridge()) {
                    out.add(f.buses().secondary());
                }
            }
            out.add(0);
            return out;
        }

        private static List<HardwareFunction> bridges(List<HardwareFunction> functions) {
            return functions.stream().filter(HardwareFunction::isBridge).toList();
        }

        private static List<HardwareFunction> pfs(List<HardwareFunction> functions) {
            return functions.stream().filter(HardwareFunction::isPhysicalFunction).toList();
        }

        private static <T> T pick(List<T> list, int index) {
            return list.isEmpty() ? null : list.get(Math.floorMod(index, list.size()));
        }
    }

    // ================================================================== generators

    /** A random system: its firmware topology and segment, and the seeds of its steps. */
    record RandomSystem(int segment, List<FunctionSpec> topology, List<StepSeed> steps) {
        SystemCreated created(Policy policy) {
            return new SystemCreated("prop", "prop", null, policy, segment, topology);
        }
    }

    @Provide
    Arbitrary<Policy> policies() {
        return Arbitraries.of(Policy.class);
    }

    @Provide
    Arbitrary<RandomSystem> systems() {
        Arbitrary<Integer> segment = Arbitraries.frequency(Tuple.of(4, 0), Tuple.of(1, 0x10));
        Arbitrary<List<Placed>> top = Combinators.combine(rootBuses(), shape(3)).as(Placed::new).list().ofMinSize(2).ofMaxSize(6);
        Arbitrary<List<StepSeed>> steps = stepSeed().list().ofMinSize(3).ofMaxSize(18);
        return Combinators.combine(segment, top, steps).as((s, placed, seeds) -> new RandomSystem(s, toTopology(placed), seeds));
    }

    private Arbitrary<StepSeed> stepSeed() {
        Arbitrary<Integer> kind = Arbitraries.frequency(
                Tuple.of(6, 0), Tuple.of(1, 1), Tuple.of(6, 2), Tuple.of(3, 3), Tuple.of(3, 4), Tuple.of(2, 5),
                Tuple.of(3, 6), Tuple.of(3, 7), Tuple.of(2, 8), Tuple.of(4, 9), Tuple.of(4, 10), Tuple.of(3, 11),
                Tuple.of(3, 12), Tuple.of(2, 13), Tuple.of(2, 14), Tuple.of(2, 15));
        Arbitrary<Integer> any = Arbitraries.integers().between(0, 0xffff);
        return Combinators.combine(kind, any, any, any, Arbitraries.of(true, false)).as(StepSeed::new);
    }

    private Arbitrary<Integer> rootBuses() {
        return Arbitraries.frequencyOf(
                Tuple.of(14, Arbitraries.just(0)),
                Tuple.of(4, Arbitraries.integers().between(1, 0x40)),
                Tuple.of(1, Arbitraries.of(0xfe, 0xff)));
    }

    /** A function of the tree before ids are given; {@code children} only matter for bridges. */
    record Shape(DeviceKind kind, int devfn, BridgeBuses buses, long bar2, SriovSpec sriov, List<Shape> children) {
    }

    record Placed(int rootBus, Shape shape) {
    }

    private Arbitrary<Shape> shape(int depth) {
        Arbitrary<DeviceKind> kinds = depth == 0
                ? Arbitraries.frequency(Tuple.of(4, DeviceKind.PCIE_ENDPOINT), Tuple.of(4, DeviceKind.PCI_ENDPOINT),
                Tuple.of(1, DeviceKind.HOST_BRIDGE))
                : Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(BRIDGE_KINDS)),
                Tuple.of(4, Arbitraries.of(DeviceKind.PCIE_ENDPOINT, DeviceKind.PCI_ENDPOINT)),
                Tuple.of(1, Arbitraries.just(DeviceKind.HOST_BRIDGE)));
        Arbitrary<List<Shape>> children = depth == 0 ? Arbitraries.just(List.of()) : shape(depth - 1).list().ofMaxSize(4);
        return Combinators.combine(kinds, devfns(), busRegisters(), bar2s(), sriovs(), children).as(Shape::new);
    }

    private Arbitrary<Integer> devfns() {
        Arbitrary<Integer> device = Arbitraries.integers().between(0, 4);
        Arbitrary<Integer> function = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(0)),
                Tuple.of(4, Arbitraries.integers().between(1, 7)));
        return Combinators.combine(device, function).as((d, f) -> d * 8 + f);
    }

    /** Mostly small overlapping numbers (s > u included), some anywhere, a few with subordinate ff. */
    private Arbitrary<BridgeBuses> busRegisters() {
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 12);
        Arbitrary<Integer> any = Arbitraries.integers().between(0, 0xff);
        return Arbitraries.frequencyOf(
                Tuple.of(80, Combinators.combine(small, small, small).as(BridgeBuses::new)),
                Tuple.of(15, Combinators.combine(any, any, any).as(BridgeBuses::new)),
                Tuple.of(5, Combinators.combine(small, small).as((p, s) -> new BridgeBuses(p, s, 0xff))));
    }

    /** BAR2: mostly 0, some whose bytes 1 and 2 look like bus numbers, some anything. */
    private Arbitrary<Long> bar2s() {
        Arbitrary<Long> small = Combinators.combine(Arbitraries.integers().between(0, 12), Arbitraries.integers().between(0, 12))
                .as((s, u) -> (long) s << 8 | (long) u << 16);
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(0L)), Tuple.of(3, small),
                Tuple.of(1, Arbitraries.longs().between(0, 0xffffffffL)));
    }

    private Arbitrary<SriovSpec> sriovs() {
        Arbitrary<Integer> total = Arbitraries.integers().between(1, 8);
        Arbitrary<Integer> offset = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.integers().between(1, 600)),
                Tuple.of(1, Arbitraries.integers().between(0xfe00, 0xffff)));
        Arbitrary<Integer> stride = Arbitraries.integers().between(0, 4);
        return Combinators.combine(total, offset, stride)
                .flatAs((t, o, s) -> Arbitraries.integers().between(0, t).map(enabled -> new SriovSpec(t, o, s, enabled)))
                .injectNull(0.7);
    }

    /** Gives ids in depth-first order and drops a function whose devfn its bus already has. */
    private static List<FunctionSpec> toTopology(List<Placed> placed) {
        int[] next = {0};
        List<FunctionSpec> out = new ArrayList<>();
        Map<Integer, Set<Integer>> usedByRoot = new HashMap<>();
        for (Placed p : placed) {
            if (!usedByRoot.computeIfAbsent(p.rootBus(), k -> new HashSet<>()).add(p.shape().devfn())) {
                continue;
            }
            out.add(spec(p.shape(), next).onRootBus(p.rootBus()));
        }
        return out;
    }

    private static FunctionSpec spec(Shape s, int[] next) {
        String id = "f" + next[0]++;
        boolean bridge = s.kind().isBridge();
        boolean endpoint = s.kind().isEndpoint();
        List<FunctionSpec> children = new ArrayList<>();
        if (bridge) {
            Set<Integer> used = new HashSet<>();
            for (Shape c : s.children()) {
                if (used.add(c.devfn())) {
                    children.add(spec(c, next));
                }
            }
        }
        return new FunctionSpec(id, new Devfn(s.devfn()), null, s.kind(), bridge ? s.buses() : null,
                endpoint ? s.bar2() : 0, endpoint ? s.sriov() : null, children);
    }
}
