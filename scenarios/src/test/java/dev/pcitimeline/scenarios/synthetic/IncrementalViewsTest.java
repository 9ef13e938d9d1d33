package dev.pcitimeline.scenarios.synthetic;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.machine.StepRecording;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.domain.view.Findings;
import dev.pcitimeline.domain.view.MachineView;
import dev.pcitimeline.domain.xen.XenTrace;
import dev.pcitimeline.projections.timeline.DatedFinding;
import dev.pcitimeline.projections.timeline.TimelineCursor;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import dev.pcitimeline.scenarios.format.ScenarioStep;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cursor recomputes only what an event can have changed (and keeps walks and fresh boots while
 * their inputs stay); at every event of long synthetic histories and of every library scenario, under
 * every policy, its view must equal the views computed from scratch on a machine folded alongside,
 * and each finding's {@code since} the first event of its current run.
 */
class IncrementalViewsTest {

    @TestFactory
    Stream<DynamicTest> synthetic_histories() {
        return Stream.of(Policy.values()).map(policy -> DynamicTest.dynamicTest(policy.text(), () -> {
            long seed = 11 + policy.ordinal();
            foldAndCompare(SyntheticHistoryGenerator.generate("s", seed, 6_000, true).events(), policy);
        }));
    }

    @TestFactory
    Stream<DynamicTest> library_scenarios() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("library"))) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        return files.stream().flatMap(file -> Stream.of(Policy.values()).map(policy ->
                DynamicTest.dynamicTest(file.getFileName() + ", " + policy.text(), () -> {
                    Scenario scenario;
                    try {
                        scenario = new ScenarioParser().parse(file);
                    } catch (ScenarioException invalid) {
                        return; // the library's own tests report it
                    }
                    foldAndCompare(record(scenario), policy);
                })));
    }

    private static List<SegmentEvent> record(Scenario scenario) {
        SegmentEvent.SystemCreated created = new SegmentEvent.SystemCreated("s", scenario.name(),
                scenario.description(), scenario.policy(), scenario.segment(), scenario.topology());
        Machine machine = Machine.created(created);
        List<SegmentEvent> events = new ArrayList<>(List.of(created));
        for (ScenarioStep step : scenario.steps()) {
            StepRecording recording = machine.record(step.step());
            for (SegmentEvent e : recording.events()) {
                machine.apply(e, XenTrace.NONE);
            }
            events.addAll(recording.events());
        }
        return events;
    }

    private static void foldAndCompare(List<SegmentEvent> events, Policy policy) {
        SegmentEvent.SystemCreated created = (SegmentEvent.SystemCreated) events.get(0);
        TimelineCursor cursor = TimelineCursor.start(created, policy);
        Machine machine = Machine.created(created, policy);
        Map<Finding.Subject, Long> since = new HashMap<>();
        check(cursor, machine, since, 1);
        for (int i = 1; i < events.size(); i++) {
            cursor.advance(events.get(i));
            machine.apply(events.get(i), XenTrace.NONE);
            check(cursor, machine, since, i + 1);
        }
    }

    private static void check(TimelineCursor cursor, Machine machine, Map<Finding.Subject, Long> since, long event) {
        MachineView scratch = MachineView.of(machine, Findings.expected(machine.hardware(), machine.xen()));
        if (!scratch.equals(cursor.view())) {
            throw new AssertionError("event " + event + ": the cursor's view\n  " + cursor.view()
                    + "\nis not the view from scratch\n  " + scratch);
        }
        Map<Finding.Subject, Long> now = new HashMap<>();
        for (Finding f : scratch.findings()) {
            now.put(f.subject(), since.getOrDefault(f.subject(), event));
        }
        since.clear();
        since.putAll(now);
        List<Long> expected = scratch.findings().stream().map(f -> now.get(f.subject())).toList();
        assertThat(cursor.findings()).extracting(DatedFinding::since).as("since at event %d", event)
                .isEqualTo(expected);
        assertThat(cursor.findings()).extracting(DatedFinding::finding).isEqualTo(scratch.findings());
    }
}
