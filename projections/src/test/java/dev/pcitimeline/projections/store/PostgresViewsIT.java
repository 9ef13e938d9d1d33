package dev.pcitimeline.projections.store;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.Seed;
import dev.pcitimeline.projections.query.EntryVersion;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.query.SystemSummary;
import dev.pcitimeline.projections.query.TimelineEntry;
import dev.pcitimeline.projections.views.ViewProjection;
import dev.pcitimeline.projections.views.Views;
import dev.pcitimeline.projections.views.ViewsRebuild;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "views" projection and its queries on PostgreSQL: every statement of the writer and of StateQueries runs
 * there (booleans, NULLs of every column type, timestamptz, TEXT), and the state read from the tables is the
 * in-memory fold's at every event, under the system's policy and a what-if one.
 */
@SpringBootTest(classes = {StoreTestApplication.class, PostgresTestDatabase.FreshSchema.class}, properties = {
        PostgresTestDatabase.DB_FROM_SYSTEM_PROPERTY,
        "spring.datasource.hikari.schema=it_views",
        "spring.flyway.default-schema=it_views",
        // checkpoints every step or two: the states are read from resumed checkpoints
        "pcitimeline.views.checkpoint-interval=8"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresViewsIT {
    private static final String SEED = "pg-seed";
    private static final String FIXED = "pg-fixed";
    private static final Duration PROJECTION_TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    ApplicationContext context;
    ViewsNode node;

    @BeforeAll
    void seed() {
        node = new ViewsNode(context);
        long seedEvents = node.seed(SEED, Policy.XEN_4_4, Seed.XEN_BOOT, Seed.DOM0_BOOT_ASSIGN_BUSSES,
                Seed.REMOVE_OLD_TUNDRA);
        long fixedEvents = node.seed(FIXED, Policy.FIX_REMEMBER_RANGE, Seed.XEN_BOOT, Seed.DOM0_BOOT_ASSIGN_BUSSES,
                Seed.REMOVE_OLD_TUNDRA);
        assertThat(seedEvents).isEqualTo(32);
        node.awaitProjected(SEED, seedEvents, PROJECTION_TIMEOUT);
        node.awaitProjected(FIXED, fixedEvents, PROJECTION_TIMEOUT);
    }

    @Test
    void theTablesGiveWhatTheFoldGivesAtEveryEvent() {
        node.assertTablesEqualTheFold(SEED, null);
        node.assertTablesEqualTheFold(FIXED, null);
        // what-if: folded in memory from the events PostgreSQL returns
        node.assertTablesEqualTheFold(SEED, Policy.FIX_REMEMBER_RANGE);
    }

    @Test
    void theSeedHangsXen44AndNotTheFix() {
        StateDocument hung = node.queries.state(SEED, null, null, null);
        assertThat(hung.event()).isEqualTo(32);
        assertThat(hung.hung()).isTrue();
        assertThat(hung.bus2bridge()).isEmpty();
        assertThat(node.queries.state(FIXED, null, null, null).hung()).isFalse();
        StateDocument afterBoot = node.queries.state(SEED, null, 0, null);
        assertThat(afterBoot.event()).isEqualTo(9);
        assertThat(afterBoot.bus2bridge()).extracting(StateDocument.Bus2BridgeMapping::bus).containsExactly(6, 7);
        assertThat(node.queries.eventAfterStep(SEED, 1)).isEqualTo(30);
    }

    @Test
    void historiesTimelineAndSystems() {
        assertThat(node.queries.bus2bridgeHistory(SEED, 6)).containsExactly(
                new EntryVersion.Bus2Bridge(6, true, "0000:05:00.0", 6, 19L),
                new EntryVersion.Bus2Bridge(6, true, "0000:02:00.0", 19, 32L));
        assertThat(node.queries.pdevHistory(SEED, Bdf.parse("0000:05:00.0"))).containsExactly(
                new EntryVersion.Pdev("0000:05:00.0", "PCIe2PCI_BRIDGE", null, null, "tundra", 6, 9L),
                new EntryVersion.Pdev("0000:05:00.0", "PCIe2PCI_BRIDGE", 0, null, "tundra", 9, null));

        List<TimelineEntry> timeline = node.queries.timeline(SEED, null, null);
        assertThat(timeline).extracting(TimelineEntry::event)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 32).boxed().toList());
        assertThat(timeline.get(31).outcome()).isEqualTo("HUNG");
        assertThat(timeline.get(31).payload()).contains("\"bdf\":\"0000:05:00.0\"");
        assertThat(timeline).allSatisfy(e -> assertThat(Instant.parse(e.time())).isBefore(Instant.now().plusSeconds(1)));
        assertThat(node.queries.timeline(SEED, 10L, 12L)).extracting(TimelineEntry::event).containsExactly(10L, 11L, 12L);

        assertThat(node.queries.systems()).extracting(SystemSummary::system).containsExactly(SEED, FIXED);
        SystemSummary summary = node.queries.system(SEED).orElseThrow();
        assertThat(summary.description()).isEqualTo("the seed topology");
        assertThat(summary.steps()).isEqualTo(3);
        assertThat(summary.failedEvent()).isNull();
    }

    /**
     * The bulk rebuild reads the event table with its own SQL (paged by global index): on PostgreSQL it must give the
     * same view rows, and leave the processor the token Axon's engine gives after the last event.
     */
    @Test
    void theBulkRebuildGivesTheSameRowsAndTheEnginesToken() {
        List<String> before = viewRows();
        List<TrackedEventMessage<?>> stored;
        try (Stream<? extends TrackedEventMessage<?>> stream = context.getBean(EventStorageEngine.class)
                .readEvents(null, false)) {
            stored = stream.<TrackedEventMessage<?>>map(m -> m).toList();
        }
        TrackingToken engineEnd = stored.get(stored.size() - 1).trackingToken();
        node.views().shutDown();
        try {
            ViewsRebuild.Result result = context.getBean(Views.class).rebuild().rebuild(n -> {
            });
            assertThat(result.events()).isEqualTo(stored.size());
            assertThat(viewRows()).containsExactlyElementsOf(before);
            TokenStore tokens = context.getBean(TokenStore.class);
            for (int segment : tokens.fetchSegments(ViewProjection.PROCESSING_GROUP)) {
                GapAwareTrackingToken token = (GapAwareTrackingToken) tokens.fetchToken(
                        ViewProjection.PROCESSING_GROUP, segment);
                tokens.releaseClaim(ViewProjection.PROCESSING_GROUP, segment);
                assertThat(token).isEqualTo(engineEnd);
                assertThat(token.getGaps()).isEqualTo(((GapAwareTrackingToken) engineEnd).getGaps());
            }
        } finally {
            node.views().start();
        }
        node.awaitProjected(SEED, 32, PROJECTION_TIMEOUT);
    }

    private List<String> viewRows() {
        List<String> rows = new java.util.ArrayList<>();
        for (String table : List.of("view_systems ORDER BY 1", "view_checkpoints ORDER BY 1, 2",
                "view_finding_kinds ORDER BY 1, 2", "view_bus2bridge ORDER BY 1, 2, 3")) {
            rows.addAll(node.jdbc.query("SELECT * FROM " + table, (rs, i) -> {
                StringBuilder b = new StringBuilder(table);
                for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                    b.append(" | ").append(rs.getMetaData().getColumnName(c)).append('=')
                            .append(rs.getObject(c) instanceof byte[] bytes ? java.util.Arrays.toString(bytes)
                                    : rs.getString(c));
                }
                return b.toString();
            }));
        }
        return rows;
    }

    @Test
    void theTestHelpersQueriesRunHereToo() {
        // The SQL of projections' test helpers (it/Driver): string concatenation with an integer, GROUP BY/HAVING.
        assertThat(node.jdbc.queryForList("SELECT system_id || ' ' || bus FROM view_bus2bridge WHERE valid_to IS NULL"
                + " GROUP BY system_id, bus HAVING COUNT(*) > 1", String.class)).isEmpty();
        assertThat(node.jdbc.queryForList("SELECT * FROM view_finding_kinds ORDER BY 1, 2")).isNotEmpty();
        // BYTEA in and out: the checkpoints (every 8 events here) and the states read from them
        assertThat(node.jdbc.queryForObject("SELECT COUNT(*) FROM view_checkpoints WHERE system_id = ?", Long.class,
                SEED)).isPositive();
    }
}
