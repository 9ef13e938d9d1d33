package dev.pcitimeline.projections.views;

import dev.pcitimeline.domain.view.MachineView.Bus2BridgeRow;
import dev.pcitimeline.domain.view.MachineView.ContextRow;
import dev.pcitimeline.domain.view.MachineView.HardwareRow;
import dev.pcitimeline.domain.view.MachineView.PdevRow;
import dev.pcitimeline.domain.view.MachineView.UpstreamRow;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.projections.timeline.DatedFinding;

import java.util.List;
import java.util.function.Function;

/**
 * One temporal table of V2__views.sql: how a view row becomes a row version. Every table has
 * {@code system_id}, a key column, {@code valid_from}, {@code valid_to} and its own columns.
 */
record VersionedTable<R>(String table, String keyColumn, List<String> columns, Function<R, Object> key,
                         Function<R, Object[]> values) {

    static final VersionedTable<PdevRow> PDEVS = new VersionedTable<>("view_pdevs", "bdf",
            List.of("rid", "dev_type", "domain_id", "virtfn_of", "allocated_for"),
            r -> r.bdf().toString(),
            r -> new Object[]{r.bdf().rid(), r.type().name(), r.domain(), text(r.virtfnOf()), r.allocatedFor()});

    static final VersionedTable<Bus2BridgeRow> BUS2BRIDGE = new VersionedTable<>("view_bus2bridge", "bus",
            List.of("mapped", "bridge"),
            Bus2BridgeRow::bus,
            r -> new Object[]{r.mapped(), r.bridge().toString()});

    static final VersionedTable<UpstreamRow> UPSTREAM = new VersionedTable<>("view_upstream", "bdf",
            List.of("rid", "result", "bridge", "secbus"),
            r -> r.bdf().toString(),
            r -> new Object[]{r.bdf().rid(), r.result(), text(r.bridge()), r.secbus()});

    static final VersionedTable<ContextRow> CONTEXTS = new VersionedTable<>("view_contexts", "bdf",
            List.of("rid", "domain_id"),
            r -> r.bdf().toString(),
            r -> new Object[]{r.bdf().rid(), r.domain()});

    static final VersionedTable<HardwareRow> HARDWARE = new VersionedTable<>("view_hardware", "bdf",
            List.of("rid", "function_id", "kind", "pri_bus", "sec_bus", "sub_bus"),
            r -> r.bdf().toString(),
            r -> new Object[]{r.bdf().rid(), r.id(), r.kind().text(),
                    r.buses() == null ? null : r.buses().primary(),
                    r.buses() == null ? null : r.buses().secondary(),
                    r.buses() == null ? null : r.buses().subordinate()});

    static final VersionedTable<DatedFinding> FINDINGS = new VersionedTable<>("view_findings", "finding_key",
            List.of("kind", "kind_order", "bus", "bdf", "rid", "since", "message", "domain_id"),
            DatedFinding::key,
            d -> {
                Finding f = d.finding();
                return new Object[]{f.kind().name(), f.kind().ordinal(), f.bus(), text(f.bdf()),
                        f.bdf() == null ? null : f.bdf().rid(), d.since(), f.message(), f.domain()};
            });

    static final List<VersionedTable<?>> ALL = List.of(PDEVS, BUS2BRIDGE, UPSTREAM, CONTEXTS, HARDWARE, FINDINGS);

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
