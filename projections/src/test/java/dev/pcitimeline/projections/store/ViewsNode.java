package dev.pcitimeline.projections.store;

import dev.pcitimeline.domain.command.CreateSystem;
import dev.pcitimeline.domain.command.RunStep;
import dev.pcitimeline.domain.command.StepResult;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.Seed;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.views.ViewProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** One application context seen as a node: real commands in, the "views" projection and its queries out. */
final class ViewsNode {
    final CommandGateway gateway;
    final StateQueries queries;
    final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;

    ViewsNode(ApplicationContext context) {
        this.gateway = context.getBean(CommandGateway.class);
        this.queries = context.getBean(StateQueries.class);
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.processing = context.getBean(EventProcessingConfiguration.class);
    }

    /** Creates a system on the seed machine and runs {@code steps}; returns how many events it has. */
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

    /** Waits until the views include event {@code events} of {@code id}, and no more. */
    void awaitProjected(String id, long events, Duration timeout) {
        assertThat(queries.awaitProcessed(id, events, timeout)).as("views of %s at event %d", id, events).isTrue();
        assertThat(queries.eventsProcessed(id)).isEqualTo(events);
    }

    TrackingEventProcessor views() {
        return processing.eventProcessor(ViewProjection.PROCESSING_GROUP, TrackingEventProcessor.class).orElseThrow();
    }

    /** The state read from the tables equals the in-memory fold of the stored events, at every event. */
    void assertTablesEqualTheFold(String id, Policy policyOrNull) {
        long events = queries.eventsProcessed(id);
        assertThat(events).isPositive();
        for (int n = 1; n <= events; n++) {
            assertThat(queries.state(id, n, null, policyOrNull)).as("%s at event %d", id, n)
                    .isEqualTo(queries.foldedState(id, n, null, policyOrNull));
        }
    }
}
