package dev.pcitimeline.app.cli;

import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import dev.pcitimeline.scenarios.runner.ReplayOptions;
import dev.pcitimeline.scenarios.runner.ScenarioRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code rebuild-views} on a file store: the same states afterwards, at every event; a bad store is exit 1. */
class RebuildViewsCommandTest {
    private static final Path LIBRARY = Path.of("..", "scenarios", "library");

    @TempDir
    Path store;

    @Test
    void rebuilds_the_views_of_a_store_to_the_same_states() {
        String system;
        long events;
        List<StateDocument> before = new ArrayList<>();
        try (ConfigurableApplicationContext context = Cli.startWithoutWeb(store)) {
            system = context.getBean(ScenarioRunner.class).replay(new ScenarioParser()
                    .parse(LIBRARY.resolve("seed-assign-busses.yaml")), ReplayOptions.DEFAULT).system();
            StateQueries queries = context.getBean(StateQueries.class);
            events = queries.system(system).orElseThrow().events();
            for (int n = 1; n <= events; n++) {
                before.add(queries.state(system, n, null, null));
            }
        }

        CliRun run = CliRun.of("rebuild-views", "--db", store.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("rebuilt the views from " + events + " events");

        try (ConfigurableApplicationContext context = Cli.startWithoutWeb(store)) {
            StateQueries queries = context.getBean(StateQueries.class);
            assertThat(queries.system(system).orElseThrow().events()).isEqualTo(events);
            for (int n = 1; n <= events; n++) {
                assertThat(queries.state(system, n, null, null)).as("event %d", n).isEqualTo(before.get(n - 1));
            }
        }
    }

    @Test
    void a_store_that_cannot_be_opened_is_exit_1() {
        CliRun run = CliRun.of("rebuild-views", "--db", "postgresql://nobody:wrong@127.0.0.1:1/none");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("pci-timeline rebuild-views: cannot open the store:");
    }
}
