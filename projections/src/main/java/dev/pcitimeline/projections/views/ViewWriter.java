package dev.pcitimeline.projections.views;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/** Writes a {@link ViewBatch} with JDBC batch statements, in the caller's (the processor's) transaction. */
class ViewWriter {
    static final List<String> TABLES = List.of("view_event_log", "view_findings", "view_hardware", "view_contexts",
            "view_upstream", "view_bus2bridge", "view_pdevs", "view_steps", "view_systems");

    private final JdbcTemplate jdbc;

    ViewWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void flush(ViewBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        batch(batch.systemInserts(), "INSERT INTO view_systems (system_id, scenario, description, policy, segment,"
                + " created_at, events, steps) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        for (VersionedTable<?> table : VersionedTable.ALL) {
            // closes only touch versions of earlier batches; inserts carry this batch's versions
            batch(batch.closes(table), table.closeSql());
            batch(batch.inserts(table), table.insertSql());
        }
        batch(batch.stepInserts(), "INSERT INTO view_steps (system_id, step_index, keyword, step_text, marker_event,"
                + " first_event, last_event, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        batch(batch.stepUpdates(), "UPDATE view_steps SET first_event = ?, last_event = ?, outcome = ?"
                + " WHERE system_id = ? AND step_index = ?");
        batch(batch.eventLog(), "INSERT INTO view_event_log (system_id, event_number, step_index, event_type,"
                + " occurred_at, line, outcome, step_outcome, hung, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        batch(batch.progressUpdates(), "UPDATE view_systems SET events = ?, steps = ? WHERE system_id = ?");
        batch(batch.failureUpdates(), "UPDATE view_systems SET failed_event = ?, failure = ? WHERE system_id = ?");
    }

    /** Every row of every view table (a reset of the processor). */
    void deleteAll() {
        for (String table : TABLES) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    private void batch(List<Object[]> rows, String sql) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows);
        }
    }
}
