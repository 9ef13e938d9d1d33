package dev.pcitimeline.projections.views;

import dev.pcitimeline.domain.view.MachineView.Bus2BridgeRow;

import java.util.List;
import java.util.function.Function;

/**
 * A temporal table of V2__views.sql: how a view row becomes a row version. Every table has
 * {@code system_id}, a key column, {@code valid_from}, {@code valid_to} and its own columns.
 */
record VersionedTable<R>(String table, String keyColumn, List<String> columns, Function<R, Object> key,
                         Function<R, Object[]> values) {

    static final VersionedTable<Bus2BridgeRow> BUS2BRIDGE = new VersionedTable<>("view_bus2bridge", "bus",
            List.of("mapped", "bridge"),
            Bus2BridgeRow::bus,
            r -> new Object[]{r.mapped(), r.bridge().toString()});

    /** The temporal tables the projection writes (V5__views_as_checkpoints.sql kept only this one). */
    static final List<VersionedTable<?>> ALL = List.of(BUS2BRIDGE);

    /** Closes a key's open version, whichever it is: reads every version the key ever had. */
    String closeSql() {
        return "UPDATE " + table + " SET valid_to = ? WHERE system_id = ? AND " + keyColumn + " = ? AND valid_to IS NULL";
    }

    /** Closes the open version that started at a known valid_from: one row by primary key. */
    String closeByPrimaryKeySql() {
        return "UPDATE " + table + " SET valid_to = ? WHERE system_id = ? AND " + keyColumn + " = ? AND valid_from = ?"
                + " AND valid_to IS NULL";
    }

    String insertSql() {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (system_id, ").append(keyColumn)
                .append(", valid_from, valid_to");
        for (String c : columns) {
            sql.append(", ").append(c);
        }
        sql.append(") VALUES (?, ?, ?, ?");
        sql.append(", ?".repeat(columns.size()));
        return sql.append(')').toString();
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
