package dev.pcitimeline.projections.views;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.StepStarted;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.domain.view.MachineView.Bus2BridgeRow;
import dev.pcitimeline.projections.timeline.Advance;
import dev.pcitimeline.projections.timeline.DatedFinding;
import dev.pcitimeline.projections.timeline.StepRecord;
import dev.pcitimeline.projections.timeline.TableChange;
import dev.pcitimeline.projections.timeline.TimelineCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The views' fold, whoever feeds it: the "views" tracking processor ({@link ViewProjection}) one batch per
 * transaction, or a bulk rebuild ({@link ViewsRebuild}) reading the store directly. Each system's events go through
 * its {@link TimelineCursor}; a batch collects what they leave behind ({@link ViewBatch}): a checkpoint at the end of
 * the first step that ends {@code interval} events or more after the previous one, the first finding of each kind,
 * each bus2bridge entry version, the progress.
 *
 * <p>A system whose cursor is not cached (a restart, an eviction, a rolled back batch) is resumed from its latest
 * checkpoint and the stored events after it. An event the fold cannot apply is logged with its system and number and
 * recorded in {@code view_systems.failed_event}/{@code failure}; that system's views stop before it, the other
 * systems carry on.
 */
final class ViewFolder {
    private static final Logger log = LoggerFactory.getLogger(ViewFolder.class);

    private final JdbcTemplate jdbc;
    private final CursorCache cursors;
    private final EventHistory history;
    private final Checkpoints checkpoints;
    private final int interval;

    ViewFolder(JdbcTemplate jdbc, EventHistory history, Checkpoints checkpoints, int cursorCacheSize, int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("checkpoint interval " + interval + " must be at least 1");
        }
        this.jdbc = jdbc;
        this.cursors = new CursorCache(cursorCacheSize);
        this.history = history;
        this.checkpoints = checkpoints;
        this.interval = interval;
    }

    void created(SystemCreated event, long n, Instant time, ViewBatch batch) {
        String system = event.systemId();
        batch.systemCreated(event, time);
        if (n != 1) {
            fail(batch, system, n, new IllegalStateException("SystemCreated is event " + n + ", not event 1"));
            return;
        }
        TimelineCursor cursor;
        try {
            cursor = TimelineCursor.start(event).rowsOnDemand();
        } catch (RuntimeException e) {
            fail(batch, system, n, e);
            return;
        }
        SystemFold fold = new SystemFold(cursor, 0, Set.of(), List.of(), OpenVersions.none());
        cursors.put(system, CursorCache.Entry.of(fold));
        settled(batch, fold, cursor.latest());
    }

    void event(SegmentEvent event, long n, ViewBatch batch) {
        String system = event.systemId();
        SystemFold fold = foldBefore(batch, system, n);
        if (fold == null) {
            return;
        }
        TimelineCursor cursor = fold.cursor;
        Advance advance;
        try {
            if (event instanceof StepStarted && cursor.events() - fold.lastCheckpoint >= interval
                    && !cursor.steps().isEmpty()) {
                checkpoint(batch, fold);
            }
            advance = cursor.advance(event);
        } catch (RuntimeException e) {
            fail(batch, system, n, e);
            return;
        }
        if (advance.outcomeDiffersFromRecorded()) {
            // The fold and the recording disagree under the recording policy: a model bug, worth seeing.
            log.warn("views: event {} of system {} recorded outcome {} but folds to {}", n, system,
                    advance.recordedOutcome(), advance.outcome());
        }
        settled(batch, fold, advance);
    }

    /** The state between two steps, and the steps that ended since the previous checkpoint. */
    private void checkpoint(ViewBatch batch, SystemFold fold) {
        TimelineCursor cursor = fold.cursor;
        TimelineCursor.Checkpoint state = cursor.checkpoint();
        String system = cursor.systemId();
        // copies: the cursor and the fold clear theirs below, and the batch may encode on another thread
        List<StepRecord> steps = List.copyOf(cursor.steps());
        List<Checkpoints.RunStart> runs = List.copyOf(fold.runStarts);
        batch.checkpoint(system, cursor.events(), cursor.firstStep() + steps.size(), state,
                () -> new byte[][]{checkpoints.encodeState(state), checkpoints.encodeSteps(system, steps),
                        checkpoints.encodeRuns(system, runs)});
        cursor.forgetSteps();
        fold.runStarts.clear();
        fold.lastCheckpoint = cursor.events();
    }

    private void settled(ViewBatch batch, SystemFold fold, Advance advance) {
        String system = fold.cursor.systemId();
        long n = advance.event();
        if (advance.view().bus2bridge() != advance.viewBefore().bus2bridge()) {
            batch.changed(VersionedTable.BUS2BRIDGE, system, TableChange.between(advance.viewBefore().bus2bridge(),
                    advance.view().bus2bridge(), Bus2BridgeRow::bus), n);
        }
        Checkpoints.runStarts(advance, fold.runStarts);
        if (advance.findings() != advance.findingsBefore()) {
            for (DatedFinding d : advance.findings()) {
                if (fold.kindsSeen.add(d.finding().kind())) {
                    batch.firstFinding(system, d.finding().kind(), n);
                }
            }
        }
        batch.progressed(system, n, advance.view().step() + 1);
    }

    /** The system's fold at event {@code n - 1}: cached, or resumed; null to skip the event. */
    private SystemFold foldBefore(ViewBatch batch, String system, long n) {
        CursorCache.Entry entry = cursors.get(system);
        if (entry != null && entry.isFailed()) {
            log.warn("views: skipping event {} of system {}: its fold failed at event {}", n, system, entry.failedAt());
            return null;
        }
        if (entry != null && entry.fold().cursor.events() == n - 1) {
            return entry.fold();
        }
        try {
            SystemFold fold = resume(batch, system, n - 1);
            cursors.put(system, CursorCache.Entry.of(fold));
            log.debug("views: cursor of system {} resumed up to event {}", system, n - 1);
            return fold;
        } catch (EventHistory.FoldFailedException e) {
            fail(batch, system, e.event(), e.getCause());
            return null;
        } catch (RuntimeException e) {
            fail(batch, system, n - 1, e);
            return null;
        }
    }

    /**
     * The fold at event {@code upTo} from the latest checkpoint at or before it: this batch's (not committed yet),
     * else the tables'; from event 1 when there is none.
     */
    private SystemFold resume(ViewBatch batch, String system, long upTo) {
        ViewBatch.PendingCheckpoint pending = batch.pendingCheckpoint(system);
        Set<Finding.Kind> kinds = EnumSet.noneOf(Finding.Kind.class);
        jdbc.query("SELECT kind FROM view_finding_kinds WHERE system_id = ?",
                rs -> {
                    kinds.add(Finding.Kind.valueOf(rs.getString(1)));
                }, system);
        kinds.addAll(batch.firstFindings(system));
        TimelineCursor cursor;
        long last;
        // the finding runs started since that checkpoint, which the next one stores
        List<Checkpoints.RunStart> runs = new ArrayList<>();
        EventHistory.EachEvent collect = (m, c) -> Checkpoints.runStarts(c.latest(), runs);
        if (pending != null && pending.event() <= upTo) {
            cursor = history.foldOn(TimelineCursor.resume(pending.state()).rowsOnDemand(), upTo, collect);
            last = pending.event();
        } else {
            Optional<Checkpoints.Stored> stored = checkpoints.atOrBefore(system, upTo);
            if (stored.isPresent()) {
                cursor = history.foldOn(TimelineCursor.resume(checkpoints.state(system, stored.get()))
                        .rowsOnDemand(), upTo, collect);
                last = stored.get().event();
            } else {
                cursor = history.fold(system, upTo, (m, c) -> collect.accept(m, c.rowsOnDemand()));
                last = 0;
            }
        }
        return new SystemFold(cursor, last, kinds, runs, null);
    }

    /** The committed open versions of {@code system}'s rows, loaded the first time they are needed. */
    OpenVersions openVersions(String system) {
        CursorCache.Entry entry = cursors.get(system);
        if (entry != null && !entry.isFailed() && entry.fold().open != null) {
            return entry.fold().open;
        }
        OpenVersions loaded = OpenVersions.load(jdbc, system);
        if (entry != null && !entry.isFailed()) {
            entry.fold().open = loaded;
        }
        return loaded;
    }

    /** A batch was rolled back: its systems' cursors may be ahead of the tables. */
    void rolledBack(ViewBatch batch) {
        cursors.evict(batch.systems());
    }

    /** The views were emptied: every cursor goes. */
    void clear() {
        cursors.clear();
    }

    private void fail(ViewBatch batch, String system, long event, Throwable cause) {
        log.error("views: cannot fold event {} of system {}; its views stop at event {}", event, system, event - 1,
                cause);
        cursors.put(system, CursorCache.Entry.failed(event));
        String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        batch.failed(system, event, message.length() > 4000 ? message.substring(0, 4000) : message);
    }
}
