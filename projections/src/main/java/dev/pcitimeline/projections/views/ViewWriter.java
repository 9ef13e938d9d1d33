package dev.pcitimeline.projections.views;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Writes a {@link ViewBatch} with JDBC batch statements, in the caller's (the processor's) transaction. */
final class ViewWriter {
    /** Every table of the views (what a reset empties). */
    static final List<String> TABLES = List.of("view_checkpoints", "view_finding_kinds", "view_bus2bridge",
            "view_systems");

    private final JdbcTemplate jdbc;

    ViewWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Writes the batch. {@code open} gives a system's committed open versions (loading them if need be): versions of
     * earlier batches are closed by primary key when their valid_from is known there, and the batch's effect is
     * recorded in them once every statement succeeded (a rollback drops them with the cursors).
     */
    void flush(ViewBatch batch, Function<String, OpenVersions> open) {
        if (batch.isEmpty()) {
            return;
        }
        // known before anything of this batch is written: loaded, they are the committed tables' open versions
        batch.systemsClosingVersions().forEach(open::apply);
        batch(batch.systemInserts(), "INSERT INTO view_systems (system_id, scenario, description, policy, segment,"
                + " created_at, events, steps) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        for (VersionedTable<?> table : VersionedTable.ALL) {
            // closes only touch versions of earlier batches; inserts carry this batch's versions
            close(table, batch.closes(table), open);
            batch(batch.inserts(table), table.insertSql());
        }
        batch(batch.checkpointInserts(), Checkpoints.INSERT_SQL);
        batch(batch.findingKindInserts(), "INSERT INTO view_finding_kinds (kind, system_id, first_event)"
                + " VALUES (?, ?, ?)");
        batch(batch.progressUpdates(), "UPDATE view_systems SET events = ?, steps = ? WHERE system_id = ?");
        batch(batch.failureUpdates(), "UPDATE view_systems SET failed_event = ?, failure = ? WHERE system_id = ?");
        batch.recordOpenVersions(open);
    }

    /** {valid_to, system, key} rows: by primary key where the open version is known, else by searching the key. */
    private void close(VersionedTable<?> table, List<Object[]> closes, Function<String, OpenVersions> open) {
        if (closes.isEmpty()) {
            return;
        }
        List<Object[]> byKey = new ArrayList<>();
        List<Object[]> byPrimaryKey = new ArrayList<>(closes.size());
        List<Object[]> asked = new ArrayList<>(closes.size());
        for (Object[] close : closes) {
            Long validFrom = open.apply((String) close[1]).validFrom(table, close[2]);
            if (validFrom == null) {
                byKey.add(close);
            } else {
                byPrimaryKey.add(new Object[]{close[0], close[1], close[2], validFrom});
                asked.add(close);
            }
        }
        if (!byPrimaryKey.isEmpty()) {
            int[] counts = jdbc.batchUpdate(table.closeByPrimaryKeySql(), byPrimaryKey);
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    byKey.add(asked.get(i)); // not the open version after all: find it the slow way
                }
            }
        }
        batch(byKey, table.closeSql());
    }

    /** Every open version of {@code system}'s rows, from the tables. */
    OpenVersions loadOpenVersions(String system) {
        return OpenVersions.load(jdbc, system);
    }

    private void batch(List<Object[]> rows, String sql) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows);
        }
    }
}
