package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.machine.StepRecording;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.XenDeviceType;
import dev.pcitimeline.domain.xen.Pdev;
import dev.pcitimeline.domain.xen.UpstreamResult;
import dev.pcitimeline.domain.xen.Xen;
import dev.pcitimeline.domain.xen.XenConsole;
import dev.pcitimeline.domain.xen.XenTrace;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioStep;
import dev.pcitimeline.scenarios.importer.LogCheck.Cause;
import dev.pcitimeline.scenarios.importer.LogCheck.Disagreement;
import dev.pcitimeline.scenarios.importer.LogCheck.FaultCheck;
import dev.pcitimeline.scenarios.importer.XenLog.ContextLine;
import dev.pcitimeline.scenarios.importer.XenLog.DeviceAdded;
import dev.pcitimeline.scenarios.importer.XenLog.DeviceRemoved;
import dev.pcitimeline.scenarios.importer.XenLog.DmaFault;
import dev.pcitimeline.scenarios.importer.XenLog.Entry;
import dev.pcitimeline.scenarios.importer.XenLog.FaultReason;
import dev.pcitimeline.scenarios.importer.XenLog.Op;
import dev.pcitimeline.scenarios.importer.XenLog.XenBanner;
import dev.pcitimeline.scenarios.runner.ScenarioValidator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Replays an imported {@code xl dmesg} scenario in memory (the same {@link Machine} fold the
 * store uses) and compares it with the log.
 * <p>
 * <b>Context operations.</b> With iommu=debug Xen prints one line per device each time
 * domain_context_mapping or domain_context_unmap runs for it: {@code dN:PCIe: map} for a PCIe
 * endpoint, {@code dN:PCI: map} for a conventional device (its bridge entries are mapped
 * silently), {@code dN:Hostbridge: skip ... map} for a host bridge, nothing for bridges. The
 * model makes those calls when it gives a pdev an owner (boot, add) and when it removes an
 * owned pdev; the trace of the fold yields them. Xen prints {@code PCI add device} and
 * {@code PCI remove device} after the call, so the lines between two step lines belong to the
 * step below them, and, right after a boot, first to that boot's mapping of every pdev.
 * <p>
 * <b>Outcomes.</b> Xen prints {@code PCI add device} only when the add succeeded, and
 * {@code PCI remove device} only when it found the pdev: a model add that fails, or a remove
 * that finds nothing, disagrees with the log.
 * <p>
 * <b>DMA faults.</b> Each fault is judged against the model after the last step printed
 * before it: no context entry at the requester ID (missing), or one held by another domain
 * than the device's owner (foreign), explains it; the fault reason, when printed, must fit.
 */
public final class LogChecker {

    /** VT-d fault reasons 1 and 2: the root or context entry's present bit is clear. */
    private static final Set<Integer> NOT_PRESENT = Set.of(0x1, 0x2);
    /** Reasons of a present entry whose translation failed: beyond MGAW, PTE write/read, next table, reserved PTE bits. */
    private static final Set<Integer> PAGE_LEVEL = Set.of(0x4, 0x5, 0x6, 0x7, 0xc);

    private LogChecker() {
    }

    /** A device-level context call the model made, as Xen would print it. */
    private record Operation(Op op, DomainId domain, XenDeviceType type, Bdf bdf) {
        String label() {
            return label(type);
        }

        static String label(XenDeviceType type) {
            return switch (type) {
                case PCIe_ENDPOINT -> "PCIe";
                case PCI -> "PCI";
                case PCI_HOST_BRIDGE -> "Hostbridge";
                default -> null; // bridges: Xen prints nothing; unknown types: an error line we do not read
            };
        }

        String text() {
            return XenConsole.contextCall(domain.toString(), type, bdf, op == Op.MAP);
        }
    }

    /** Collects a step's device-level context calls from the fold's trace. */
    private static final class Calls implements XenTrace {
        final List<Operation> operations = new ArrayList<>();
        String hung;

        @Override
        public void pdevOwnerChanged(Pdev before, Pdev after) {
            // boot and add give an unowned pdev to a domain, then map it (the call happens even if it fails)
            if (after.owner() != null && before.owner() == null && Operation.label(after.type()) != null) {
                operations.add(new Operation(Op.MAP, after.owner(), after.type(), after.bdf()));
            }
        }

        @Override
        public void pdevRemoved(Pdev pdev) {
            // remove unmaps from the owner first (an unowned pdev gets EINVAL, no unmap), then frees
            if (pdev.owner() != null && Operation.label(pdev.type()) != null) {
                operations.add(new Operation(Op.UNMAP, pdev.owner(), pdev.type(), pdev.bdf()));
            }
        }

        @Override
        public void hung(String where) {
            hung = where;
        }
    }

    /**
     * @throws dev.pcitimeline.scenarios.format.ScenarioException the imported scenario breaks a model rule
     */
    public static LogCheck check(XlDmesgImport imported) {
        Scenario scenario = imported.scenario();
        ScenarioValidator.validate(scenario);
        Machine machine = Machine.created(new SegmentEvent.SystemCreated("check-log", scenario.name(),
                scenario.description(), scenario.policy(), scenario.segment(), scenario.topology()));
        List<Disagreement> disagreements = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<List<Operation>> calls = new ArrayList<>();
        List<Xen> states = new ArrayList<>();
        boolean hungReported = false;
        for (ScenarioStep step : scenario.steps()) {
            Calls trace = new Calls();
            StepRecording recording = machine.record(step.step());
            for (SegmentEvent e : recording.events()) {
                machine.apply(e, trace);
            }
            calls.add(trace.operations);
            states.add(machine.xen().copy());
            Entry source = imported.steps().get(step.index()).entry();
            int line = source == null ? 0 : source.line();
            Outcome outcome = recording.outcome();
            if (outcome == Outcome.HUNG) {
                if (!hungReported) {
                    disagreements.add(new Disagreement(line, step.index(), "the model hangs here ("
                            + (trace.hung == null ? "Xen was already hung" : trace.hung)
                            + "), but the log goes on: real Xen did not"));
                    hungReported = true;
                }
            } else if (step.step() instanceof Step.Add add && !outcome.isOk()) {
                disagreements.add(new Disagreement(line, step.index(), "Xen printed \"PCI add\" for " + add.bdf()
                        + ", which it does only when the add succeeds; the model's add gives " + outcome
                        + whatAnswers(machine, add.bdf())));
            } else if (step.step() instanceof Step.Remove remove && outcome == Outcome.ENODEV) {
                disagreements.add(new Disagreement(line, step.index(), "Xen printed \"PCI remove device\" for "
                        + remove.bdf() + ", so it had a pdev there; the model has none (ENODEV)"));
            }
        }

        // Context lines, grouped by the step lines around them.
        List<Entry> entries = imported.log().entries();
        int contextLines = (int) entries.stream().filter(e -> e instanceof ContextLine).count();
        int matched = 0;
        int modelOps = calls.stream().mapToInt(List::size).sum();
        List<FaultCheck> faults = new ArrayList<>();
        if (contextLines == 0) {
            notes.add("the log has no [VT-D] map/unmap lines (Xen prints them with iommu=debug): there is nothing to "
                    + "compare the model's " + modelOps + " context operation(s) with");
        }
        boolean[][] used = new boolean[calls.size()][];
        for (int i = 0; i < calls.size(); i++) {
            used[i] = new boolean[calls.get(i).size()];
        }
        int before = 0; // the last step whose line came before
        for (Entry e : entries) {
            if (e instanceof DeviceAdded || e instanceof DeviceRemoved || e instanceof XenBanner) {
                before++;
            } else if (e instanceof ContextLine c) {
                List<Integer> candidates = new ArrayList<>();
                if (scenario.steps().get(before).step() instanceof Step.XenBoot) {
                    candidates.add(before); // a boot maps every pdev before dom0 reports anything
                }
                if (before + 1 < calls.size() && !(scenario.steps().get(before + 1).step() instanceof Step.XenBoot)) {
                    candidates.add(before + 1); // the add/remove printed after its own map/unmap
                }
                Match m = match(c, candidates, calls, used);
                if (m.step() != null) {
                    matched++;
                }
                if (m.problem() != null) {
                    // an unmatched line is charged to the step printed after it (or the last one before)
                    int step = m.step() != null ? m.step() : candidates.isEmpty() ? before : candidates.get(candidates.size() - 1);
                    disagreements.add(new Disagreement(c.line(), step, m.problem()));
                }
            } else if (e instanceof DmaFault f) {
                faults.add(explainFault(f, reasonAfter(entries, f), before, states.get(before)));
            }
        }
        if (contextLines > 0) {
            for (int i = 0; i < calls.size(); i++) {
                for (int k = 0; k < calls.get(i).size(); k++) {
                    if (!used[i][k]) {
                        Operation op = calls.get(i).get(k);
                        Entry source = imported.steps().get(i).entry();
                        disagreements.add(new Disagreement(0, i, "the model calls " + op.text() + " ("
                                + describe(scenario.steps().get(i).step()) + ") but the log has no such line "
                                + (source == null ? "before dom0's first report" : "before log line " + source.line())));
                    }
                }
            }
        }
        disagreements.sort(java.util.Comparator.comparingInt(Disagreement::step).thenComparingInt(Disagreement::logLine));
        return new LogCheck(scenario.steps().size(), contextLines, matched, modelOps, disagreements, faults, notes);
    }

    /** A log line's pairing: the step whose call it matched (null: none) and what is wrong (null: nothing). */
    private record Match(Integer step, String problem) {
    }

    /** Pairs a log line with an unused model call of the candidate steps. */
    private static Match match(ContextLine c, List<Integer> candidates, List<List<Operation>> calls, boolean[][] used) {
        if (c.domainId() == null) {
            return new Match(null, "the log " + c.op().text() + "s " + c.bdf() + " for d" + c.domain()
                    + ", a domain the model does not have (dom_io: quarantine, Xen 4.12 and later)");
        }
        for (int step : candidates) {
            List<Operation> ops = calls.get(step);
            for (int k = 0; k < ops.size(); k++) {
                Operation op = ops.get(k);
                if (!used[step][k] && op.op() == c.op() && op.bdf().equals(c.bdf()) && op.domain().value() == c.domainId()) {
                    used[step][k] = true;
                    if (!op.label().equals(c.deviceType())) {
                        return new Match(step, "the log treats " + c.bdf() + " as " + c.deviceType() + ", the model as "
                                + op.label() + " (Xen type " + op.type() + "): the topology's kind differs from the real device");
                    }
                    return new Match(step, null);
                }
            }
        }
        String around = candidates.isEmpty() ? "no step" : candidates.stream().map(String::valueOf)
                .collect(Collectors.joining(" or ", "step ", ""));
        Set<String> options = new LinkedHashSet<>();
        for (int step : candidates) {
            for (int k = 0; k < calls.get(step).size(); k++) {
                if (!used[step][k]) {
                    options.add(calls.get(step).get(k).text());
                }
            }
        }
        return new Match(null, "the log " + c.op().text() + "s " + c.bdf() + " for d" + c.domain() + " (" + c.deviceType()
                + ") and the model does not (" + around + " calls " + (options.isEmpty() ? "nothing else"
                : String.join(", ", options)) + ")");
    }

    /** The fault reason printed right after a fault (before the next fault), or null. */
    private static Integer reasonAfter(List<Entry> entries, DmaFault fault) {
        int i = entries.indexOf(fault);
        for (int k = i + 1; k < entries.size(); k++) {
            Entry e = entries.get(k);
            if (e instanceof FaultReason r) {
                return r.reason();
            }
            if (e instanceof DmaFault) {
                return null;
            }
        }
        return null;
    }

    /** How the model's context entries after step {@code afterStep} account for one fault; {@code reason} may be null. */
    static FaultCheck explainFault(DmaFault f, Integer reason, int afterStep, Xen xen) {
        Bdf bdf = f.bdf();
        DomainId entry = xen.contexts().get(bdf.rid());
        Pdev own = xen.pdev(bdf.bus(), bdf.devfn());
        List<Pdev> aliases = aliasing(xen, bdf);
        // The device at the requester ID decides whose entry it should be; without one, the devices that alias it.
        Set<DomainId> owners = new LinkedHashSet<>();
        if (own != null && own.owner() != null) {
            owners.add(own.owner());
        } else {
            aliases.stream().map(Pdev::owner).filter(Objects::nonNull).forEach(owners::add);
        }
        String whose = own != null ? bdf + " is a pdev (" + own.type() + ", " + (own.owner() == null ? "no owner"
                : "owned by " + own.owner()) + ")" : "Xen has no pdev at " + bdf;
        if (!aliases.isEmpty()) {
            whose += "; its requester ID is used by " + aliases.stream().map(p -> p.bdf() + " (" + (p.owner() == null
                    ? "no owner" : p.owner()) + ")").collect(Collectors.joining(", ")) + " behind a bridge";
        }
        String reasonText = reason == null ? "" : String.format(" (fault reason %02x)", reason);
        Cause cause;
        String explanation;
        boolean consistent;
        if (entry == null) {
            cause = Cause.MISSING;
            explanation = "missing context entry: the model has none for " + bdf + " after step " + afterStep + "; " + whose;
            consistent = reason == null || NOT_PRESENT.contains(reason);
            if (!consistent) {
                explanation += "; but the log's reason" + reasonText + " says an entry was present";
            }
        } else if (!owners.isEmpty() && !owners.contains(entry)) {
            cause = Cause.FOREIGN;
            explanation = "foreign context entry: " + bdf + " is mapped for " + entry + " after step " + afterStep
                    + ", but " + whose;
            consistent = reason == null || !NOT_PRESENT.contains(reason);
            if (!consistent) {
                explanation += "; but the log's reason" + reasonText + " says no entry was present";
            }
        } else {
            cause = Cause.NONE;
            explanation = "no missing or foreign entry: " + bdf + " is mapped for " + entry + " after step " + afterStep
                    + (owners.isEmpty() ? "" : ", its owner") + "; " + whose;
            consistent = reason != null && PAGE_LEVEL.contains(reason);
            explanation += consistent ? "; the reason" + reasonText + " is a page-table fault, not a context-entry one"
                    : "; the model cannot explain this fault" + reasonText;
        }
        return new FaultCheck(f.line(), bdf, f.write(), reason, afterStep, cause, explanation, consistent);
    }

    /** Conventional pdevs whose DMA carries {@code rid}: the top-most bridge above them, or its secondary bus's 00.0. */
    private static List<Pdev> aliasing(Xen xen, Bdf rid) {
        List<Pdev> out = new ArrayList<>();
        for (Pdev p : xen.pdevs()) {
            if (p.type() != XenDeviceType.PCI || p.bdf().equals(rid)) {
                continue;
            }
            UpstreamResult up = xen.findUpstreamBridge(p.bdf().bus(), p.bdf().devfn());
            if (up.result() < 1) {
                continue;
            }
            boolean bridge = up.bus() == rid.bus() && up.devfn() == rid.devfn();
            Pdev at = xen.pdev(up.bus(), up.devfn());
            boolean secbus = at != null && at.type() == XenDeviceType.PCIe2PCI_BRIDGE && up.secbus() == rid.bus()
                    && rid.devfn() == 0;
            if (bridge || secbus) {
                out.add(p);
            }
        }
        return out;
    }

    private static String whatAnswers(Machine machine, Bdf bdf) {
        var answer = machine.hardware().answerAt(bdf.bus(), bdf.devfn());
        return answer == null ? " (nothing of the topology answers there: the topology lacks this device)"
                : " (" + answer.id() + ", a " + answer.kind() + ", answers there)";
    }

    private static String describe(Step step) {
        if (step instanceof Step.Add a) {
            return "add " + a.bdf();
        }
        if (step instanceof Step.Remove r) {
            return "remove " + r.bdf();
        }
        return step.keyword();
    }
}
