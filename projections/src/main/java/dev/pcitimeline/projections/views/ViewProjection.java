package dev.pcitimeline.projections.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.projections.store.StoreObjectMapper;
import dev.pcitimeline.projections.timeline.Advance;
import dev.pcitimeline.projections.timeline.TimelineCursor;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The "views" projection: folds each system's events with a {@link TimelineCursor} and writes
 * what every event changed into the temporal tables of {@code V2__views.sql}.
 *
 * <p>Runs in a tracking processor (one thread, batches of up to 1000, a system's events in order).
 * Rows of a batch are written with JDBC batches just before the processor's transaction
 * commits, together with its token, so a crash or restart never duplicates nor loses rows.
 * The cursor cache only saves refolding: on a miss (a restart, an eviction, a rolled back
 * batch) the cursor is rebuilt from the system's earlier events in the event store.
 *
 * <p>An event the fold cannot apply is logged with its system and number and recorded in
 * {@code view_systems.failed_event}/{@code failure}; that system's views stop before it, the
 * other systems carry on.
 */
@ProcessingGroup(ViewProjection.PROCESSING_GROUP)
public class ViewProjection {
    public static final String PROCESSING_GROUP = "views";
    private static final Logger log = LoggerFactory.getLogger(ViewProjection.class);
    private static final String BATCH_RESOURCE = ViewProjection.class.getName() + ".batch";

    private final CursorCache cursors;
    private final EventHistory history;
    private final ViewWriter writer;
    private final ObjectMapper payloadMapper = StoreObjectMapper.create();

    public ViewProjection(JdbcTemplate jdbc, EventHistory history, int cursorCacheSize) {
        this.cursors = new CursorCache(cursorCacheSize);
        this.history = history;
        this.writer = new ViewWriter(jdbc);
    }

    @EventHandler
    public void on(SystemCreated event, DomainEventMessage<?> message) {
        String system = event.systemId();
        long n = message.getSequenceNumber() + 1;
        ViewBatch batch = batch();
        if (n != 1) {
            fail(batch, system, n, new IllegalStateException("SystemCreated is event " + n + ", not event 1"));
            return;
        }
        TimelineCursor cursor;
        String payload;
        try {
            payload = json(event);
            cursor = TimelineCursor.start(event);
        } catch (RuntimeException e) {
            batch.systemCreated(event, message.getTimestamp());
            fail(batch, system, n, e);
            return;
        }
        cursors.put(system, CursorCache.Entry.of(cursor, OpenVersions.none()));
        batch.systemCreated(event, message.getTimestamp());
        write(batch, system, cursor.latest(), message.getTimestamp(), payload);
    }

    @EventHandler
    public void on(SegmentEvent event, DomainEventMessage<?> message) {
        String system = event.systemId();
        long n = message.getSequenceNumber() + 1;
        ViewBatch batch = batch();
        TimelineCursor cursor = cursorBefore(batch, system, n);
        if (cursor == null) {
            return;
        }
        Advance advance;
        String payload;
        try {
            payload = json(event);
            advance = cursor.advance(event);
        } catch (RuntimeException e) {
            fail(batch, system, n, e);
            return;
        }
        write(batch, system, advance, message.getTimestamp(), payload);
    }

    @ResetHandler
    public void reset() {
        cursors.clear();
        writer.deleteAll();
        log.info("views: all view rows deleted, rebuilding from the event store");
    }

    /** The system's cursor at event {@code n - 1}: cached, or refolded from the store; null to skip the event. */
    private TimelineCursor cursorBefore(ViewBatch batch, String system, long n) {
        CursorCache.Entry entry = cursors.get(system);
        if (entry != null && entry.isFailed()) {
            log.warn("views: skipping event {} of system {}: its fold failed at event {}", n, system, entry.failedAt());
            return null;
        }
        if (entry != null && entry.cursor().events() == n - 1) {
            return entry.cursor();
        }
        try {
            TimelineCursor cursor = history.fold(system, null, n - 1);
            cursors.put(system, CursorCache.Entry.of(cursor, null)); // its open versions: loaded when needed
            log.debug("views: cursor of system {} rebuilt up to event {}", system, n - 1);
            return cursor;
        } catch (EventHistory.FoldFailedException e) {
            fail(batch, system, e.event(), e.getCause());
            return null;
        } catch (RuntimeException e) {
            fail(batch, system, n - 1, e);
            return null;
        }
    }

    private void write(ViewBatch batch, String system, Advance advance, Instant time, String payload) {
        if (advance.outcomeDiffersFromRecorded()) {
            // The fold and the recording disagree under the recording policy: a model bug, worth seeing.
            log.warn("views: event {} of system {} recorded outcome {} but folds to {}", advance.event(), system,
                    advance.recordedOutcome(), advance.outcome());
        }
        batch.advanced(system, advance, time, payload);
    }

    /**
     * The committed open versions of {@code system}'s rows, loaded from the tables the first time they are needed
     * after its cursor was (re)built, and kept with the cursor; the writer brings them up to date with each batch.
     */
    private OpenVersions openVersions(String system) {
        CursorCache.Entry entry = cursors.get(system);
        if (entry != null && entry.open() != null) {
            return entry.open();
        }
        OpenVersions loaded = writer.loadOpenVersions(system);
        if (entry != null && !entry.isFailed()) {
            cursors.put(system, entry.withOpen(loaded));
        }
        return loaded;
    }

    private void fail(ViewBatch batch, String system, long event, Throwable cause) {
        log.error("views: cannot fold event {} of system {}; its views stop at event {}", event, system, event - 1,
                cause);
        cursors.put(system, CursorCache.Entry.failed(event));
        String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        batch.failed(system, event, message.length() > 4000 ? message.substring(0, 4000) : message);
    }

    private String json(SegmentEvent event) {
        try {
            return payloadMapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write event " + event.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * This transaction's rows. Flushed in prepare-commit (inside the transaction, with the token);
     * on rollback the cursors of its systems may be ahead of the tables, so they are dropped.
     */
    private ViewBatch batch() {
        if (!CurrentUnitOfWork.isStarted()) {
            throw new IllegalStateException("the views projection runs inside an event processor's unit of work");
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(BATCH_RESOURCE, key -> {
            ViewBatch batch = new ViewBatch();
            root.onPrepareCommit(u -> writer.flush(batch, this::openVersions));
            root.onRollback(u -> cursors.evict(batch.systems()));
            return batch;
        });
    }
}
