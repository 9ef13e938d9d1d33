package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.scenarios.format.Scenario;

import java.util.List;

/**
 * An {@code xl dmesg} capture turned into a scenario on a given topology.
 *
 * @param yaml     the scenario file, log lines kept as comments
 * @param scenario that file as the parser reads it
 * @param log      what the capture said, in order
 * @param steps    the scenario's steps with the log message each came from
 * @param warnings what the log and the topology leave open
 */
public record XlDmesgImport(String yaml, Scenario scenario, XenLog log, List<ImportedStep> steps, List<String> warnings) {

    public XlDmesgImport {
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }

    /**
     * A step of the scenario and its source.
     *
     * @param entry the log message, or null for the initial {@code xen-boot}
     */
    public record ImportedStep(int index, Step step, XenLog.Entry entry) {
    }

    /** Steps made from {@code PCI add ...} and {@code PCI remove device} lines. */
    public long addRemoveSteps() {
        return steps.stream().filter(s -> s.step() instanceof Step.Add || s.step() instanceof Step.Remove).count();
    }
}
