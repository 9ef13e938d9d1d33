package dev.pcitimeline.projections.views;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.xen.XenTrace;
import dev.pcitimeline.projections.timeline.Advance;
import dev.pcitimeline.projections.timeline.TimelineCursor;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * A system's stored events folded into a {@link TimelineCursor}: how the projection rebuilds a
 * cursor it no longer has, and how queries fold history under another policy. Reads the events
 * themselves, never the aggregate's snapshot (a snapshot is a machine, not a history).
 */
public class EventHistory {
    private final EventStore eventStore;
    private final JdbcTemplate jdbc;
    private final Serializer serializer;

    /** {@code jdbc}, {@code serializer}: the event table and its payloads' serializer ({@link #foldPayloadsOn}). */
    public EventHistory(EventStore eventStore, JdbcTemplate jdbc, Serializer serializer) {
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    /**
     * Folds events 1..{@code upTo} of {@code systemId} under {@code policy} (null: the system's own), calling
     * {@code each} with every advance, the SystemCreated's included.
     *
     * @throws UnknownHistoryException when the store has no SystemCreated for the system or fewer events
     */
    public TimelineCursor fold(String systemId, Policy policy, long upTo, Consumer<Advance> each) {
        return fold(systemId, policy, upTo, XenTrace.NONE, each);
    }

    /**
     * The same fold with {@code trace} seeing what Xen does inside every event; {@code each} is called right after
     * each event, so a trace can attribute what it saw to {@link Advance#event()} (the audit does).
     */
    public TimelineCursor fold(String systemId, Policy policy, long upTo, XenTrace trace, Consumer<Advance> each) {
        return foldEach(systemId, Collections.singletonList(policy), upTo, trace,
                cursors -> each.accept(cursors.get(0).latest())).get(0);
    }

    /**
     * Folds events 1..{@code upTo} of {@code systemId} once under each of {@code policies} in lockstep (the events
     * are read once), calling {@code each} after every event (the SystemCreated's included) with the cursors, in the
     * list's order; each cursor's {@link TimelineCursor#latest()} is that event's advance. This is how
     * {@code versions} compares releases event by event.
     *
     * @throws UnknownHistoryException when the store has no SystemCreated for the system or fewer events
     */
    public List<TimelineCursor> fold(String systemId, List<Policy> policies, long upTo,
                                     Consumer<List<TimelineCursor>> each) {
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("no policy to fold under");
        }
        return foldEach(systemId, policies, upTo, XenTrace.NONE, each);
    }

    private List<TimelineCursor> foldEach(String systemId, List<Policy> policies, long upTo, XenTrace trace,
                                          Consumer<List<TimelineCursor>> each) {
        if (upTo < 1) {
            throw new IllegalArgumentException("event " + upTo + " is out of range: events are numbered from 1");
        }
        DomainEventStream stream = eventStore.readEvents(systemId, 0L);
        SystemCreated created = created(systemId, stream);
        List<TimelineCursor> cursors = new ArrayList<>(policies.size());
        for (Policy policy : policies) {
            cursors.add(policy == null ? TimelineCursor.start(created) : TimelineCursor.start(created, policy));
        }
        List<TimelineCursor> folds = Collections.unmodifiableList(cursors);
        each.accept(folds);
        foldOn(systemId, stream, cursors, upTo, trace, (message, lead) -> each.accept(folds));
        return cursors;
    }

    /** What a fold saw at one event: the stored message and the cursor (its first, for several) after it. */
    @FunctionalInterface
    public interface EachEvent {
        void accept(DomainEventMessage<?> message, TimelineCursor cursor);
    }

    /**
     * Carries {@code cursor} (at any event, e.g. resumed from a checkpoint) on to event {@code upTo}, reading only
     * the stored events after it, and calls {@code each} after every one.
     *
     * @throws UnknownHistoryException when the store has fewer events
     */
    public TimelineCursor foldOn(TimelineCursor cursor, long upTo, EachEvent each) {
        String systemId = cursor.systemId();
        if (cursor.events() < upTo) {
            // sequence numbers are 0-based: event n is sequence n - 1, so this reads event cursor.events() + 1 first
            foldOn(systemId, eventStore.readEvents(systemId, cursor.events()), List.of(cursor), upTo, XenTrace.NONE,
                    each);
        }
        return cursor;
    }

    /**
     * Carries {@code cursor} on to event {@code upTo} as {@link #foldOn(TimelineCursor, long, EachEvent)} does, for a
     * caller that needs no stored message: one query for exactly the events between (Axon's stream reads a system's
     * events in pages of 100, so a read that needs 70 deserialised 100 or 200 rows) and only the columns the fold
     * reads. A state read from a checkpoint is this; at N = 1,000,000 the rows H2 read from its file were a third of
     * what a read allocated, and the young collections that allocation caused were the reads' p99.
     *
     * @throws UnknownHistoryException when the store has fewer events
     */
    public TimelineCursor foldPayloadsOn(TimelineCursor cursor, long upTo) {
        String systemId = cursor.systemId();
        if (cursor.events() >= upTo) {
            return cursor;
        }
        // sequence numbers are 0-based: event n is sequence n - 1
        jdbc.query("SELECT sequenceNumber, payloadType, payloadRevision, payload FROM DomainEventEntry"
                        + " WHERE aggregateIdentifier = ? AND sequenceNumber >= ? AND sequenceNumber < ?"
                        + " ORDER BY sequenceNumber ASC",
                rs -> {
                    long n = nextEvent(systemId, cursor, rs.getLong(1));
                    Object payload = serializer.deserialize(new SimpleSerializedObject<>(rs.getBytes(4), byte[].class,
                            rs.getString(2), rs.getString(3)));
                    try {
                        cursor.advance((SegmentEvent) payload, XenTrace.NONE);
                    } catch (RuntimeException e) {
                        throw new FoldFailedException(systemId, n, e);
                    }
                }, systemId, cursor.events(), upTo);
        requireReached(systemId, cursor, upTo);
        return cursor;
    }

    private void foldOn(String systemId, DomainEventStream stream, List<TimelineCursor> cursors, long upTo,
                        XenTrace trace, EachEvent each) {
        TimelineCursor lead = cursors.get(0);
        while (lead.events() < upTo && stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            long n = nextEvent(systemId, lead, message.getSequenceNumber());
            try {
                for (TimelineCursor cursor : cursors) {
                    cursor.advance((SegmentEvent) message.getPayload(), trace);
                }
                each.accept(message, lead);
            } catch (RuntimeException e) {
                throw new FoldFailedException(systemId, n, e);
            }
        }
        requireReached(systemId, lead, upTo);
    }

    /** The number of the stored event with {@code sequence} (0-based), which must be the one after {@code lead}'s. */
    private static long nextEvent(String systemId, TimelineCursor lead, long sequence) {
        long n = sequence + 1;
        if (n != lead.events() + 1) {
            throw new IllegalStateException("system " + systemId + ": expected event " + (lead.events() + 1)
                    + " in the store, found " + n);
        }
        return n;
    }

    /** A fold that ran out of stored events before {@code upTo}: the store has fewer. */
    private static void requireReached(String systemId, TimelineCursor lead, long upTo) {
        if (lead.events() < upTo) {
            throw new UnknownHistoryException("system " + systemId + " has " + lead.events()
                    + " events in the event store, not " + upTo);
        }
    }

    /** The SystemCreated a system's stream starts with. */
    private static SystemCreated created(String systemId, DomainEventStream stream) {
        if (!stream.hasNext()) {
            throw new UnknownHistoryException("system " + systemId + " has no events in the event store");
        }
        DomainEventMessage<?> first = stream.peek();
        if (!(first.getPayload() instanceof SystemCreated created)) {
            throw new IllegalStateException("event 1 of system " + systemId + " is a " + first.getPayloadType()
                    .getSimpleName() + ", not a SystemCreated");
        }
        stream.next();
        return created;
    }

    /**
     * Events 1..{@code upTo} of {@code systemId} under its own policy with each event's stored message, the
     * SystemCreated's included (with a new cursor): what renders the timeline from the store.
     */
    public TimelineCursor fold(String systemId, long upTo, EachEvent each) {
        if (upTo < 1) {
            throw new IllegalArgumentException("event " + upTo + " is out of range: events are numbered from 1");
        }
        DomainEventStream stream = eventStore.readEvents(systemId, 0L);
        DomainEventMessage<?> first = stream.hasNext() ? stream.peek() : null;
        TimelineCursor cursor = TimelineCursor.start(created(systemId, stream));
        each.accept(first, cursor);
        foldOn(systemId, stream, List.of(cursor), upTo, XenTrace.NONE, each);
        return cursor;
    }

    /** Folds events 1..{@code upTo} under {@code policy} (null: the system's own). */
    public TimelineCursor fold(String systemId, Policy policy, long upTo) {
        return fold(systemId, policy, upTo, a -> {
        });
    }

    /** The store has no such system, or not that many events of it. */
    public static class UnknownHistoryException extends RuntimeException {
        public UnknownHistoryException(String message) {
            super(message);
        }
    }

    /** The fold threw while applying an event: the history holds something the model cannot apply. */
    public static class FoldFailedException extends RuntimeException {
        private final String systemId;
        private final long event;

        public FoldFailedException(String systemId, long event, RuntimeException cause) {
            super("cannot fold event " + event + " of system " + systemId + ": " + cause.getMessage(), cause);
            this.systemId = systemId;
            this.event = event;
        }

        public String systemId() {
            return systemId;
        }

        public long event() {
            return event;
        }
    }
}
