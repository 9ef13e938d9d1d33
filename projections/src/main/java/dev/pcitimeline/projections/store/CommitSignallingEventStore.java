package dev.pcitimeline.projections.store;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.util.List;

/**
 * Axon's embedded event store that also counts its commits ({@link EventCommits}), after they are durable: the
 * moment a stream reading the event table can see them.
 *
 * <p>Why: the store is built with {@code optimizeEventConsumption(false)} (see
 * {@link EmbeddedEventStoreConfiguration}), so each tracking processor reads the table on its own thread when it wants
 * events, instead of Axon's producer thread reading it after every commit (12,000 queries for the bench's 12,000
 * commands, 1.0-1.1 s of CPU during its 10 s ingest) for a views processor that takes its events every 50 ms. A private
 * stream has no signal of its own for new events: this count is it.
 */
public class CommitSignallingEventStore extends EmbeddedEventStore {
    private final EventCommits commits = new EventCommits();

    public CommitSignallingEventStore(Builder builder) {
        super(builder);
    }

    /** This store's commits, for the streams that wait for them. */
    public EventCommits commits() {
        return commits;
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        super.afterCommit(events);
        commits.committed();
    }
}
