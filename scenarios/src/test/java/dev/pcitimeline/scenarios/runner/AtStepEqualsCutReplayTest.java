package dev.pcitimeline.scenarios.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time travel is honest: the state "after step K" of a full replay is exactly the state a
 * replay of the same scenario stopped after step K ends in, for every library scenario and
 * every step; and the state "after event N" equals the state at N of a replay cut after the
 * first step that reaches N, for every event of one scenario. Only {@code system} (a new
 * system per replay) and {@code expectations} (the cut replay checks fewer) may differ.
 */
@SpringBootTest(classes = ScenarioTestApplication.class, properties = "pcitimeline.db=mem")
class AtStepEqualsCutReplayTest {
    static final Path LIBRARY = Path.of("library");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ScenarioParser parser = new ScenarioParser();

    @Autowired
    ScenarioRunner runner;

    @Autowired
    StateQueries queries;

    @TestFactory
    Stream<DynamicTest> every_step_of_every_library_scenario() {
        return libraryFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Scenario scenario = parser.parse(file);
            String full = runner.replay(scenario, ReplayOptions.DEFAULT).system();
            for (int k = 0; k < scenario.steps().size(); k++) {
                StateDocument atStep = queries.state(full, null, k, null);
                assertThat(atStep.step()).as("%s --at-step %d: step", file, k).isEqualTo(k);
                assertThat(atStep.steps()).as("%s --at-step %d: steps", file, k).hasSize(k + 1);

                String cut = runner.replay(cutAfter(scenario, k), ReplayOptions.DEFAULT).system();
                StateDocument cutState = queries.state(cut, null, null, null);
                assertThat(comparable(atStep)).as("%s: --at-step %d of %s vs the end of %s (cut after step %d)",
                        file.getFileName(), k, full, cut, k).isEqualTo(comparable(cutState));
            }
        }));
    }

    @Test
    void every_event_of_the_library_scenario_with_most_steps() {
        Path file = libraryFiles().stream()
                .max(Comparator.comparingInt((Path f) -> parser.parse(f).steps().size())
                        .thenComparing(Comparator.reverseOrder()))
                .orElseThrow();
        Scenario scenario = parser.parse(file);
        assertThat(scenario.steps()).as("%s has steps", file).isNotEmpty();
        String full = runner.replay(scenario, ReplayOptions.DEFAULT).system();
        long events = queries.eventsProcessed(full);

        // One cut replay per step: cut K holds the events up to the end of step K.
        List<String> cuts = new ArrayList<>();
        List<Long> cutEvents = new ArrayList<>();
        for (int k = 0; k < scenario.steps().size(); k++) {
            String cut = runner.replay(cutAfter(scenario, k), ReplayOptions.DEFAULT).system();
            cuts.add(cut);
            cutEvents.add(queries.eventsProcessed(cut));
        }
        assertThat(cutEvents.get(cutEvents.size() - 1)).as("the last cut is the whole scenario").isEqualTo(events);

        int k = 0;
        for (int n = 1; n <= events; n++) {
            while (cutEvents.get(k) < n) {
                k++;
            }
            StateDocument atEvent = queries.state(full, n, null, null);
            assertThat(atEvent.event()).as("--at-event %d: event", n).isEqualTo(n);
            assertThat(comparable(atEvent)).as("%s: --at-event %d of %s vs event %d of %s (cut after step %d)",
                    file.getFileName(), n, full, n, cuts.get(k), k)
                    .isEqualTo(comparable(queries.state(cuts.get(k), n, null, null)));
        }
    }

    /** The same scenario with steps 0..k only (their expect entries included). */
    static Scenario cutAfter(Scenario s, int k) {
        return new Scenario(s.name(), s.description(), s.policy(), s.segment(), s.topology(), s.initialExpectations(),
                s.steps().subList(0, k + 1), s.source());
    }

    /** The state's JSON without the fields two replays of one history may differ in. */
    static ObjectNode comparable(StateDocument state) {
        ObjectNode node = JSON.valueToTree(state);
        node.remove("system");
        node.remove("expectations");
        return node;
    }

    static List<Path> libraryFiles() {
        try (Stream<Path> list = Files.list(LIBRARY)) {
            List<Path> files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")
                    || p.toString().endsWith(".json")).sorted().toList();
            assertThat(files).as("scenario files in %s", LIBRARY.toAbsolutePath()).isNotEmpty();
            return files;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + LIBRARY.toAbsolutePath(), e);
        }
    }
}
