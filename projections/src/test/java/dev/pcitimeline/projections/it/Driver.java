package dev.pcitimeline.projections.it;

import dev.pcitimeline.domain.command.CreateSystem;
import dev.pcitimeline.domain.command.RunStep;
import dev.pcitimeline.domain.command.StepResult;
import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.Seed;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.query.StateDocuments;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.timeline.TimelineCursor;
import dev.pcitimeline.projections.views.ViewProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Drives a Spring context the way the CLI and REST will: real commands in, projection out. */
final class Driver {
    final CommandGateway gateway;
    final StateQueries queries;
    final EventStore eventStore;
    final JdbcTemplate jdbc;
    final EventProcessingConfiguration processing;

    Driver(ApplicationContext context) {
        this.gateway = context.getBean(CommandGateway.class);
        this.queries = context.getBean(StateQueries.class);
        this.eventStore = context.getBean(EventStore.class);
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.processing = context.getBean(EventProcessingConfiguration.class);
    }

    /** Creates a seed system and runs {@code steps}; returns the events it has. */
    long seed(String id, Policy policy, Step... steps) {
        gateway.sendAndWait(new CreateSystem(id, "seed", "the seed topology", policy, 0, Seed.topology()));
        long events = 1;
        for (Step step : steps) {
            events = run(id, step).events();
        }
        return events;
    }

    StepResult run(String id, Step step) {
        StepResult result = gateway.sendAndWait(new RunStep(id, step));
        assertThat(result).isNotNull();
        return result;
    }

    void awaitProjection(String id, long events) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> queries.eventsProcessed(id) >= events);
        assertThat(queries.eventsProcessed(id)).isEqualTo(events);
    }

    TrackingEventProcessor views() {
        return processing.eventProcessor(ViewProjection.PROCESSING_GROUP, TrackingEventProcessor.class).orElseThrow();
    }

    void awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> !views().processingStatus().isEmpty()
                        && views().processingStatus().values().stream().allMatch(EventTrackerStatus::isCaughtUp));
    }

    /** Folds the stored events of {@code id} once, handing the state after every event to {@code each}. */
    void foldEveryEvent(String id, Policy policyOrNull, BiConsumer<Long, StateDocument> each) {
        DomainEventStream stream = eventStore.readEvents(id, 0L);
        List<SegmentEvent> events = new ArrayList<>();
        while (stream.hasNext()) {
            DomainEventMessage<?> m = stream.next();
            events.add((SegmentEvent) m.getPayload());
        }
        SegmentEvent.SystemCreated created = (SegmentEvent.SystemCreated) events.get(0);
        TimelineCursor cursor = policyOrNull == null ? TimelineCursor.start(created)
                : TimelineCursor.start(created, policyOrNull);
        each.accept(1L, StateDocuments.of(cursor));
        for (SegmentEvent e : events.subList(1, events.size())) {
            cursor.advance(e);
            each.accept(cursor.events(), StateDocuments.of(cursor));
        }
    }

    /** Every row of every view table, as text, in key order. */
    List<String> dumpViews() {
        List<String> rows = new ArrayList<>();
        for (String[] t : new String[][]{{"view_systems", "1"}, {"view_checkpoints", "1, 2"},
                {"view_finding_kinds", "1, 2"}, {"view_bus2bridge", "1, 2, 3"}}) {
            rows.addAll(jdbc.query("SELECT * FROM " + t[0] + " ORDER BY " + t[1], (rs, i) -> {
                StringBuilder b = new StringBuilder(t[0]);
                for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                    b.append(" | ").append(rs.getMetaData().getColumnName(c)).append('=').append(rs.getString(c));
                }
                return b.toString();
            }));
        }
        return rows;
    }

    /** Keys with more than one open version in view_bus2bridge (must be none). */
    List<String> keysWithTwoOpenVersions() {
        return jdbc.queryForList("SELECT system_id || ' ' || bus FROM view_bus2bridge WHERE valid_to IS NULL"
                + " GROUP BY system_id, bus HAVING COUNT(*) > 1", String.class);
    }

    /** Checkpoints of {@code system} in the views. */
    long checkpoints(String system) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM view_checkpoints WHERE system_id = ?", Long.class, system);
    }
}
