package dev.pcitimeline.projections.views;

import dev.pcitimeline.domain.event.SegmentEvent.StepStarted;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.projections.timeline.Advance;
import dev.pcitimeline.projections.timeline.EventText;
import dev.pcitimeline.projections.timeline.StepRecord;
import dev.pcitimeline.projections.timeline.TableChange;
import dev.pcitimeline.projections.timeline.ViewDiff;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The rows one processor batch (one transaction) writes, collected in memory and flushed as
 * JDBC batches before commit. A version opened and closed inside the batch is inserted once,
 * already closed; only versions from earlier batches are closed with an UPDATE (the one open
 * version of that key), so statement order never matters within a table.
 */
final class ViewBatch {
    private final List<Object[]> systemInserts = new ArrayList<>();
    private final Map<String, long[]> progress = new LinkedHashMap<>();
    private final Map<String, Object[]> failures = new LinkedHashMap<>();
    /** Steps started in this batch (inserted with their latest values) and older steps that moved on. */
    private final Map<List<Object>, SystemStep> stepInserts = new LinkedHashMap<>();
    private final Map<List<Object>, SystemStep> stepUpdates = new LinkedHashMap<>();
    private final List<Object[]> eventLog = new ArrayList<>();
    private final Map<VersionedTable<?>, Versions> versions = new LinkedHashMap<>();
    private final Set<String> systems = new LinkedHashSet<>();

    ViewBatch() {
        for (VersionedTable<?> t : VersionedTable.ALL) {
            versions.put(t, new Versions());
        }
    }

    void systemCreated(SystemCreated e, Instant time) {
        systems.add(e.systemId());
        systemInserts.add(new Object[]{e.systemId(), e.scenario(), e.description(), e.policy().text(), e.segment(),
                utc(time), 0L, 0});
    }

    /** Everything one folded event changes. */
    void advanced(String system, Advance a, Instant time, String payloadJson) {
        systems.add(system);
        long n = a.event();
        ViewDiff diff = a.diff();
        record(VersionedTable.PDEVS, system, diff.pdevs(), n);
        record(VersionedTable.BUS2BRIDGE, system, diff.bus2bridge(), n);
        record(VersionedTable.UPSTREAM, system, diff.upstream(), n);
        record(VersionedTable.CONTEXTS, system, diff.contexts(), n);
        record(VersionedTable.HARDWARE, system, diff.hardware(), n);
        record(VersionedTable.FINDINGS, system, diff.findings(), n);

        StepRecord step = a.currentStep();
        if (step != null) {
            List<Object> key = List.of(system, step.index());
            if (a.payload() instanceof StepStarted || stepInserts.containsKey(key)) {
                stepInserts.put(key, new SystemStep(system, step));
            } else {
                stepUpdates.put(key, new SystemStep(system, step));
            }
        }
        eventLog.add(new Object[]{system, n, a.step(), EventText.type(a.payload()), utc(time),
                EventText.of(a.payload(), a.outcome(), a.view()), a.outcome().text(),
                step == null ? null : step.outcome().text(), a.view().hung(), payloadJson});
        progress.put(system, new long[]{n, a.step() + 1L});
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

    private <R> void record(VersionedTable<R> table, String system, TableChange<R> change, long event) {
        Versions v = versions.get(table);
        for (R row : change.closed()) {
            v.close(system, table.key().apply(row), event);
        }
        for (R row : change.opened()) {
            v.open(system, table.key().apply(row), table.values().apply(row), event);
        }
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

    List<Object[]> stepInserts() {
        List<Object[]> rows = new ArrayList<>();
        for (SystemStep s : stepInserts.values()) {
            StepRecord r = s.step();
            rows.add(new Object[]{s.system(), r.index(), r.keyword(), r.text(), r.markerEvent(),
                    nullIfZero(r.firstEvent()), nullIfZero(r.lastEvent()), r.outcome().text()});
        }
        return rows;
    }

    List<Object[]> stepUpdates() {
        List<Object[]> rows = new ArrayList<>();
        for (SystemStep s : stepUpdates.values()) {
            StepRecord r = s.step();
            rows.add(new Object[]{nullIfZero(r.firstEvent()), nullIfZero(r.lastEvent()), r.outcome().text(),
                    s.system(), r.index()});
        }
        return rows;
    }

    List<Object[]> eventLog() {
        return eventLog;
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

    private static Long nullIfZero(long n) {
        return n == 0 ? null : n;
    }

    private static OffsetDateTime utc(Instant time) {
        return OffsetDateTime.ofInstant(time, ZoneOffset.UTC);
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

    private record SystemStep(String system, StepRecord step) {
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
