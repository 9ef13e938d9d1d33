package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.machine.StepRecording;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.view.MachineView;
import dev.pcitimeline.domain.xen.XenTrace;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioStep;
import dev.pcitimeline.scenarios.runner.ScenarioValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A scenario folded in memory with the domain's Machine, as the store's aggregate folds it. */
record InMemoryReplay(Machine machine, List<Outcome> outcomes) {

    static InMemoryReplay of(Scenario scenario) {
        ScenarioValidator.validate(scenario);
        Machine machine = Machine.created(new SegmentEvent.SystemCreated("test", scenario.name(), scenario.description(),
                scenario.policy(), scenario.segment(), scenario.topology()));
        List<Outcome> outcomes = new ArrayList<>();
        for (ScenarioStep step : scenario.steps()) {
            StepRecording recording = machine.record(step.step());
            for (SegmentEvent e : recording.events()) {
                machine.apply(e, XenTrace.NONE);
            }
            outcomes.add(recording.outcome());
        }
        return new InMemoryReplay(machine, outcomes);
    }

    /** The BDFs of the hardware view (what config space reaches now). */
    Set<Bdf> hardwareBdfs() {
        Set<Bdf> bdfs = new TreeSet<>();
        MachineView.hardware(machine.hardware()).forEach(row -> bdfs.add(row.bdf()));
        return bdfs;
    }
}
