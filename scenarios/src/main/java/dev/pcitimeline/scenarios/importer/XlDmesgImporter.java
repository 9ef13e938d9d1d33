package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.hardware.Hardware;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import dev.pcitimeline.scenarios.importer.XenLog.ContextLine;
import dev.pcitimeline.scenarios.importer.XenLog.DeviceAdded;
import dev.pcitimeline.scenarios.importer.XenLog.DeviceRemoved;
import dev.pcitimeline.scenarios.importer.XenLog.DmaFault;
import dev.pcitimeline.scenarios.importer.XenLog.Entry;
import dev.pcitimeline.scenarios.importer.XenLog.FaultReason;
import dev.pcitimeline.scenarios.importer.XenLog.XenBanner;
import dev.pcitimeline.scenarios.importer.XlDmesgImport.ImportedStep;
import dev.pcitimeline.scenarios.runner.ScenarioValidator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an {@code xl dmesg} capture into a scenario: the topology of a given scenario file
 * (e.g. one {@code import lspci} wrote), {@code xen-boot}, then one {@code add} or
 * {@code remove} step per {@code PCI add ...}/{@code PCI remove device} line in log order, and
 * another {@code xen-boot} where the capture shows Xen booting again. VT-d map/unmap lines and
 * DMA faults stay as comments after the step they follow in the log; note that Xen prints
 * {@code PCI add device} only after it mapped the device, so map lines just before an add
 * belong to that add ({@link LogChecker} pairs them that way).
 */
public final class XlDmesgImporter {

    private XlDmesgImporter() {
    }

    /** Reads the topology file: a scenario file whose topology, segment and policy are used, its steps not. */
    public static Scenario readTopology(Path file) {
        return new ScenarioParser().parse(file);
    }

    /**
     * @param topology     the scenario whose topology the log ran on
     * @param scenarioName null: from the log's file name
     */
    public static XlDmesgImport importLog(TextInput input, Scenario topology, String scenarioName) {
        XenLog log = XenLogParser.parse(input, topology.segment());
        if (log.entries().isEmpty() && log.skipped().isEmpty() && input.lines().stream().noneMatch(l -> l.contains("(XEN)"))) {
            throw new ImportException(input.source(), 0, "not an xl dmesg capture: no line holds \"(XEN)\" or a Xen "
                    + "PCI message (PCI add device, PCI remove device, [VT-D] map/unmap, DMAR fault)");
        }
        List<String> warnings = new ArrayList<>();
        if (log.entries().stream().noneMatch(e -> e instanceof DeviceAdded || e instanceof DeviceRemoved)) {
            warnings.add("the log has no \"PCI add\"/\"PCI remove device\" line (Xen prints them at loglvl=all): "
                    + "the scenario is xen-boot alone");
        }
        Hardware hw;
        try {
            hw = Hardware.fromTopology(topology.segment(), topology.topology());
        } catch (IllegalArgumentException e) {
            throw new ImportException(topology.source(), 0, "the topology is not a machine: " + e.getMessage());
        }
        List<ImportedStep> steps = new ArrayList<>();
        steps.add(new ImportedStep(0, new Step.XenBoot(), null));
        for (Entry e : log.entries()) {
            if (e instanceof DeviceAdded a) {
                Bdf virtfnOf = a.physfn();
                if (a.kind() == XenLog.AddKind.VIRTUAL_FUNCTION && virtfnOf == null) {
                    virtfnOf = pfFromTopology(hw, a.bdf());
                    warnings.add("line " + a.line() + ": the log does not name the PF of VF " + a.bdf() + ": "
                            + (virtfnOf == null ? "no PF of the topology has a VF there, so the add has no virtfn-of"
                            : "virtfn-of " + virtfnOf + " from the topology's SR-IOV data"));
                }
                if (hw.answerAt(a.bdf().bus(), a.bdf().devfn()) == null) { // VFs enabled at power-on answer too
                    warnings.add("line " + a.line() + ": nothing of the topology answers at " + a.bdf()
                            + " at power-on: Xen will find no device there (PCI_UNKNOWN) and refuse the add");
                }
                steps.add(new ImportedStep(steps.size(), new Step.Add(a.bdf(), virtfnOf), a));
            } else if (e instanceof DeviceRemoved r) {
                steps.add(new ImportedStep(steps.size(), new Step.Remove(r.bdf()), r));
            } else if (e instanceof XenBanner b) {
                warnings.add("line " + b.line() + ": Xen boots again here: a xen-boot step starts a fresh Xen");
                steps.add(new ImportedStep(steps.size(), new Step.XenBoot(), b));
            }
        }
        String name = scenarioName != null ? scenarioName : LspciImporter.nameFrom(input.source());
        String yaml = write(name, input.source(), topology, log, steps, warnings);
        Scenario scenario;
        try {
            scenario = new ScenarioParser().parse(name + ".yaml", yaml);
            ScenarioValidator.validate(scenario);
        } catch (ScenarioException e) {
            throw new ImportException(input.source(), 0, "the scenario made from this log is not valid: " + e.getMessage());
        }
        return new XlDmesgImport(yaml, scenario, log, steps, warnings);
    }

    /** The PF whose SR-IOV layout puts a VF (any index below total-vfs) at {@code vf}, or null. */
    static Bdf pfFromTopology(Hardware hw, Bdf vf) {
        for (var f : hw.allFunctions()) {
            if (f.sriov() == null) {
                continue;
            }
            Bdf pf = hw.addressOf(f);
            for (int i = 0; i < f.sriov().totalVfs(); i++) {
                long rid = f.sriov().vfRid(pf.rid(), i);
                if (rid == vf.rid()) {
                    return pf;
                }
                if (rid > 0xffff || f.sriov().vfStride() == 0) {
                    break;
                }
            }
        }
        return null;
    }

    private static String write(String name, String logSource, Scenario topology, XenLog log, List<ImportedStep> steps,
                                List<String> warnings) {
        ScenarioWriter w = new ScenarioWriter();
        long adds = steps.stream().filter(s -> s.step() instanceof Step.Add).count();
        long removes = steps.stream().filter(s -> s.step() instanceof Step.Remove).count();
        long boots = steps.size() - adds - removes;
        w.comment(0, "Imported by `pci-timeline import xl-dmesg` from " + logSource + " on the topology of "
                + topology.source() + " (scenario " + topology.name() + ").");
        w.comment(0, log.lines() + " lines read; " + steps.size() + " steps written (" + boots + " xen-boot, " + adds
                + " add, " + removes + " remove); " + log.skipped().size() + " lines skipped.");
        w.comment(0, "VT-d map/unmap and DMA fault lines are kept as comments after the step they follow in the log.");
        w.comment(0, "Xen prints \"PCI add device\" after it mapped the device: map lines just above an add are that add's.");
        if (!log.skipped().isEmpty()) {
            w.comment(0, "Skipped lines:");
            for (SkippedLine s : log.skipped()) {
                w.comment(0, "  " + s);
            }
        }
        if (!warnings.isEmpty()) {
            w.comment(0, "Warnings:");
            for (String warning : warnings) {
                w.comment(0, "  " + warning);
            }
        }
        w.header(name, "Imported from " + logSource + " (xl dmesg) on the topology of " + topology.source()
                + " by pci-timeline import xl-dmesg", topology.policy(), topology.segment());
        w.topology(topology.topology(), java.util.Map.of(), java.util.Map.of());
        w.steps();
        int next = 1;
        w.step("xen-boot", null);
        for (Entry e : log.entries()) {
            if (e instanceof DeviceAdded || e instanceof DeviceRemoved || e instanceof XenBanner) {
                ImportedStep s = steps.get(next++);
                w.step(stepYaml(s.step()), "log " + e.line() + ": " + e.text());
            } else if (e instanceof ContextLine || e instanceof DmaFault || e instanceof FaultReason) {
                w.comment(2, "log " + e.line() + ": " + e.text());
            }
        }
        return w.text();
    }

    private static String stepYaml(Step step) {
        if (step instanceof Step.Add a) {
            return a.virtfnOf() == null ? "add: \"" + a.bdf() + "\""
                    : "add: {bdf: \"" + a.bdf() + "\", virtfn-of: \"" + a.virtfnOf() + "\"}";
        }
        if (step instanceof Step.Remove r) {
            return "remove: \"" + r.bdf() + "\"";
        }
        return step.keyword();
    }
}
