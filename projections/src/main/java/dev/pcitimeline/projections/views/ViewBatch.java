package dev.pcitimeline.projections.views;

import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.projections.timeline.TableChange;
import dev.pcitimeline.projections.timeline.TimelineCursor;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rows one batch of events (one transaction) writes, collected in memory and flushed as JDBC batches before
 * commit: new systems, checkpoints, first findings of a kind, bus2bridge entry versions, and each system's progress.
 * A version opened and closed inside the batch is inserted once, already closed; only versions from earlier batches
 * are closed with an UPDATE (the one open version of that key), so statement order never matters within a table.
 */
final class ViewBatch {
    private final List<Object[]> systemInserts = new ArrayList<>();
    private final Map<String, long[]> progress = new LinkedHashMap<>();
    private final Map<String, Object[]> failures = new LinkedHashMap<>();
    private final List<PendingRow> checkpointRows = new ArrayList<>();
    /** The latest checkpoint of each system in this batch, as a state to resume from (not committed yet). */
    private final Map<String, PendingCheckpoint> checkpoints = new HashMap<>();
    private final Map<String, EnumSet<Finding.Kind>> kinds = new HashMap<>();
    private final List<Object[]> kindRows = new ArrayList<>();
    private final Map<VersionedTable<?>, Versions> versions = new LinkedHashMap<>();
    private final Set<String> systems = new LinkedHashSet<>();
    /** Where this batch's checkpoints are encoded (serialized and deflated): the folding thread unless said otherwise. */
    private final Executor encoder;
    private long events;

    /** A checkpoint of this batch: where it was taken and the state to resume from. */
    record PendingCheckpoint(long event, TimelineCursor.Checkpoint state) {
    }

    /** A batch whose checkpoints are encoded on the thread that takes them. */
    ViewBatch() {
        this(Runnable::run);
    }

    /** A batch whose checkpoints are encoded by {@code encoder} (the rows wait for them when read). */
    ViewBatch(Executor encoder) {
        this.encoder = encoder;
        for (VersionedTable<?> t : VersionedTable.ALL) {
            versions.put(t, new Versions());
        }
    }

    void systemCreated(SystemCreated e, Instant time) {
        systems.add(e.systemId());
        systemInserts.add(new Object[]{e.systemId(), e.scenario(), e.description(), e.policy().text(), e.segment(),
                OffsetDateTime.ofInstant(time, ZoneOffset.UTC), 0L, 0});
    }

    /** The system has folded event {@code event}, {@code steps} steps started. */
    void progressed(String system, long event, int steps) {
        systems.add(system);
        progress.put(system, new long[]{event, steps});
        events++;
    }

    /**
     * A checkpoint of {@code system} after {@code event}, {@code steps} steps ended; {@code encode} gives its three
     * columns (state, step list, finding runs) and runs on this batch's encoder, so it must read only values that
     * stay as they are (the state is a snapshot).
     */
    void checkpoint(String system, long event, int steps, TimelineCursor.Checkpoint state,
                    Supplier<byte[][]> encode) {
        checkpointRows.add(new PendingRow(system, event, steps, CompletableFuture.supplyAsync(encode, encoder)));
        checkpoints.put(system, new PendingCheckpoint(event, state));
    }

    /** A checkpoint row whose columns may still be being encoded. */
    private record PendingRow(String system, long event, int steps, CompletableFuture<byte[][]> columns) {
        Object[] row() {
            byte[][] c;
            try {
                c = columns.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            return new Object[]{system, event, steps, c[0], c[1], c[2]};
        }
    }

    PendingCheckpoint pendingCheckpoint(String system) {
        return checkpoints.get(system);
    }

    /** A finding of {@code kind} holds in {@code system} at {@code event}, the first time the system has one. */
    void firstFinding(String system, Finding.Kind kind, long event) {
        if (kinds.computeIfAbsent(system, s -> EnumSet.noneOf(Finding.Kind.class)).add(kind)) {
            kindRows.add(new Object[]{kind.name(), system, event});
        }
    }

    /** The kinds this batch found first in {@code system}. */
    Set<Finding.Kind> firstFindings(String system) {
        return kinds.getOrDefault(system, EnumSet.noneOf(Finding.Kind.class));
    }

    <R> void changed(VersionedTable<R> table, String system, TableChange<R> change, long event) {
        Versions v = versions.get(table);
        for (R row : change.closed()) {
            v.close(system, table.key().apply(row), event);
        }
        for (R row : change.opened()) {
            v.open(system, table.key().apply(row), table.values().apply(row), event);
        }
    }

    void failed(String system, long event, String message) {
        systems.add(system);
        failures.put(system, new Object[]{event, message, system});
    }

    Set<String> systems() {
        return systems;
    }

    boolean isEmpty() {
        return systems.isEmpty();
    }

    /** Events folded into this batch. */
    long events() {
        return events;
    }

    // ------------------------------------------------------------------ what the writer needs

    List<Object[]> systemInserts() {
        return systemInserts;
    }

    List<Object[]> progressUpdates() {
        List<Object[]> rows = new ArrayList<>();
        progress.forEach((system, p) -> rows.add(new Object[]{p[0], (int) p[1], system}));
        return rows;
    }

    List<Object[]> failureUpdates() {
        return new ArrayList<>(failures.values());
    }

    /** The checkpoints' rows, once their columns are encoded (waits for them). */
    List<Object[]> checkpointInserts() {
        List<Object[]> rows = new ArrayList<>(checkpointRows.size());
        for (PendingRow r : checkpointRows) {
            rows.add(r.row());
        }
        return rows;
    }

    List<Object[]> findingKindInserts() {
        return kindRows;
    }

    /** Versions of earlier batches to close: {valid_to, system, key}. */
    List<Object[]> closes(VersionedTable<?> table) {
        return versions.get(table).closes;
    }

    /** Systems with versions of earlier batches to close. */
    Set<String> systemsClosingVersions() {
        Set<String> out = new LinkedHashSet<>();
        for (Versions v : versions.values()) {
            for (Object[] close : v.closes) {
                out.add((String) close[1]);
            }
        }
        return out;
    }

    /** Brings each system's committed open versions up to date with this batch (once its rows are written). */
    void recordOpenVersions(Function<String, OpenVersions> open) {
        for (Map.Entry<VersionedTable<?>, Versions> e : versions.entrySet()) {
            VersionedTable<?> table = e.getKey();
            for (Object[] close : e.getValue().closes) {
                open.apply((String) close[1]).closed(table, close[2]);
            }
            for (Pending p : e.getValue().open.values()) {
                open.apply(p.system()).opened(table, p.key(), p.validFrom());
            }
        }
    }

    List<Object[]> inserts(VersionedTable<?> table) {
        Versions v = versions.get(table);
        List<Object[]> rows = new ArrayList<>(v.finished);
        for (Pending p : v.open.values()) {
            rows.add(p.row(null));
        }
        return rows;
    }

    /** Versions of one table in this batch. */
    private static final class Versions {
        /** Versions opened in this batch and still open, by (system, key). */
        final Map<List<Object>, Pending> open = new LinkedHashMap<>();
        /** Versions opened and closed in this batch: complete rows. */
        final List<Object[]> finished = new ArrayList<>();
        /** Versions from earlier batches to close: valid_to, system, key. */
        final List<Object[]> closes = new ArrayList<>();

        void close(String system, Object key, long event) {
            Pending p = open.remove(List.of(system, key));
            if (p != null) {
                finished.add(p.row(event));
            } else {
                closes.add(new Object[]{event, system, key});
            }
        }

        void open(String system, Object key, Object[] values, long event) {
            Pending previous = open.put(List.of(system, key), new Pending(system, key, event, values));
            if (previous != null) {
                throw new IllegalStateException("version of " + key + " opened at " + event + " while the one from "
                        + previous.validFrom + " is still open");
            }
        }
    }

    private record Pending(String system, Object key, long validFrom, Object[] values) {
        Object[] row(Long validTo) {
            Object[] row = new Object[4 + values.length];
            row[0] = system;
            row[1] = key;
            row[2] = validFrom;
            row[3] = validTo;
            System.arraycopy(values, 0, row, 4, values.length);
            return row;
        }
    }
}
