package dev.pcitimeline.projections.views;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashMap;
import java.util.Map;

/**
 * The committed open version (valid_to NULL) of every key of one system's temporal tables, by its
 * {@code valid_from}: what lets the writer close a version by its primary key
 * {@code (system_id, key, valid_from)} instead of searching all the versions a key ever had for the
 * open one (a finding that comes and goes has thousands). A hint only: a close by primary key that
 * finds no open row falls back to the search, so a stale entry costs time, never a wrong row.
 * Kept with the system's cursor and dropped with it (eviction, rolled back batch).
 */
final class OpenVersions {
    private final Map<VersionedTable<?>, Map<Object, Long>> byTable = new HashMap<>();

    /** A system the tables know nothing of yet (its SystemCreated is being folded). */
    static OpenVersions none() {
        return new OpenVersions();
    }

    /** The open versions the tables hold for {@code system} (an index range per table: {@code span_class IS NULL}). */
    static OpenVersions load(JdbcTemplate jdbc, String system) {
        OpenVersions open = new OpenVersions();
        for (VersionedTable<?> table : VersionedTable.ALL) {
            Map<Object, Long> versions = open.of(table);
            jdbc.query("SELECT " + table.keyColumn() + ", valid_from FROM " + table.table()
                    + " WHERE system_id = ? AND span_class IS NULL", rs -> {
                versions.put(rs.getObject(1), rs.getLong(2));
            }, system);
        }
        return open;
    }

    /** The open version's valid_from, or null when not known. */
    Long validFrom(VersionedTable<?> table, Object key) {
        return of(table).get(key);
    }

    void closed(VersionedTable<?> table, Object key) {
        of(table).remove(key);
    }

    void opened(VersionedTable<?> table, Object key, long validFrom) {
        of(table).put(key, validFrom);
    }

    private Map<Object, Long> of(VersionedTable<?> table) {
        return byTable.computeIfAbsent(table, t -> new HashMap<>());
    }
}
