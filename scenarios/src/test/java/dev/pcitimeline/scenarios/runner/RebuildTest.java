package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.query.SystemSummary;
import dev.pcitimeline.projections.views.ViewProjection;
import dev.pcitimeline.projections.views.Views;
import dev.pcitimeline.projections.views.ViewsRebuild;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The views are a pure function of the event store: after the whole library is replayed into
 * one store, resetting the "views" processor's tokens (its reset handler empties the tables)
 * and letting it replay every event gives the very same rows in every view table, and so does
 * the bulk rebuild (ViewsRebuild) that reads the storage engine without the processor.
 */
@SpringBootTest(classes = ScenarioTestApplication.class, properties = {"pcitimeline.db=mem",
        // the library's histories are short: checkpoints every few steps, so they hold some
        "pcitimeline.views.checkpoint-interval=16"})
class RebuildTest {

    @Autowired
    ScenarioRunner runner;

    @Autowired
    StateQueries queries;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    Views rebuild;

    @Test
    void resetting_the_views_processor_rebuilds_identical_tables() {
        ScenarioParser parser = new ScenarioParser();
        List<String> replayed = new ArrayList<>();
        for (Path file : AtStepEqualsCutReplayTest.libraryFiles()) {
            replayed.add(runner.replay(parser.parse(file), ReplayOptions.DEFAULT).system());
        }
        awaitCaughtUp();
        Map<String, Long> eventsBefore = queries.systems().stream()
                .collect(Collectors.toMap(SystemSummary::system, SystemSummary::events));
        assertThat(eventsBefore).as("systems in the views").containsKeys(replayed.toArray(String[]::new));

        List<String> tables = viewTables();
        assertThat(tables).as("view tables").contains("VIEW_SYSTEMS", "VIEW_CHECKPOINTS", "VIEW_FINDING_KINDS",
                "VIEW_BUS2BRIDGE");
        Map<String, List<String>> before = dump(tables);
        assertThat(before.get("VIEW_SYSTEMS")).as("rows of view_systems").hasSizeGreaterThanOrEqualTo(replayed.size());
        assertThat(before.get("VIEW_CHECKPOINTS")).as("rows of view_checkpoints").hasSizeGreaterThan(replayed.size());
        assertThat(before.get("VIEW_FINDING_KINDS")).as("rows of view_finding_kinds").isNotEmpty();

        TrackingEventProcessor views = views();
        views.shutDown();
        views.resetTokens();
        assertThat(queries.systems()).as("systems right after the reset (the reset handler empties the views)")
                .isEmpty();
        views.start();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<String, Long> now = queries.systems().stream()
                    .collect(Collectors.toMap(SystemSummary::system, SystemSummary::events));
            return now.equals(eventsBefore);
        });
        awaitCaughtUp();

        Map<String, List<String>> after = dump(tables);
        for (String table : tables) {
            assertThat(after.get(table)).as("rows of %s after the rebuild", table)
                    .containsExactlyElementsOf(before.get(table));
        }

        views.shutDown();
        ViewsRebuild.Result bulk = rebuild.rebuild().rebuild(n -> {
        });
        assertThat(bulk.events()).isEqualTo(eventsBefore.values().stream().mapToLong(Long::longValue).sum());
        Map<String, List<String>> rebuilt = dump(tables);
        for (String table : tables) {
            assertThat(rebuilt.get(table)).as("rows of %s after the bulk rebuild", table)
                    .containsExactlyElementsOf(before.get(table));
        }
        views.start();
    }

    private TrackingEventProcessor views() {
        return processing.eventProcessor(ViewProjection.PROCESSING_GROUP, TrackingEventProcessor.class)
                .orElseThrow(() -> new AssertionError("no tracking processor " + ViewProjection.PROCESSING_GROUP));
    }

    private void awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<Integer, EventTrackerStatus> status = views().processingStatus();
            return !status.isEmpty() && status.values().stream().allMatch(EventTrackerStatus::isCaughtUp);
        });
    }

    /** Every table named view_*, in the current schema. */
    private List<String> viewTables() {
        return jdbc.queryForList("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = SCHEMA()"
                + " AND UPPER(TABLE_NAME) LIKE 'VIEW\\_%' ESCAPE '\\' ORDER BY TABLE_NAME", String.class);
    }

    /** Every row of every table as text, ordered by all its columns. */
    private Map<String, List<String>> dump(List<String> tables) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String table : tables) {
            int columns = jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS"
                    + " WHERE TABLE_SCHEMA = SCHEMA() AND TABLE_NAME = ?", Integer.class, table);
            // checkpoints: by their key (BLOBs do not compare)
            String orderBy = table.equals("VIEW_CHECKPOINTS") ? "1, 2" : IntStream.rangeClosed(1, columns)
                    .mapToObj(Integer::toString)
                    .collect(Collectors.joining(", "));
            rows.put(table, jdbc.query("SELECT * FROM " + table + " ORDER BY " + orderBy, (rs, i) -> {
                StringBuilder b = new StringBuilder();
                for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                    b.append(c == 1 ? "" : " | ").append(rs.getMetaData().getColumnLabel(c)).append('=')
                            .append(rs.getString(c));
                }
                return b.toString();
            }));
        }
        return rows;
    }
}
