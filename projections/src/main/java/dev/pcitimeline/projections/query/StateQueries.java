package dev.pcitimeline.projections.query;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.query.StateDocument.Bus2BridgeMapping;
import dev.pcitimeline.projections.query.StateDocument.Context;
import dev.pcitimeline.projections.query.StateDocument.FindingEntry;
import dev.pcitimeline.projections.query.StateDocument.HardwareFunction;
import dev.pcitimeline.projections.query.StateDocument.Pdev;
import dev.pcitimeline.projections.query.StateDocument.StepEntry;
import dev.pcitimeline.projections.query.StateDocument.Upstream;
import dev.pcitimeline.projections.timeline.StepRecord;
import dev.pcitimeline.projections.timeline.TimelineCursor;
import dev.pcitimeline.projections.views.EventHistory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the views: the state object of API.md at any event or step, under the system's own
 * policy from the temporal tables, under any other policy by folding the stored events in
 * memory with the same {@link TimelineCursor} the projection uses (what-if).
 *
 * <p>"Now" is what the projection has processed ({@link #eventsProcessed}); after sending
 * commands, wait for it with {@link #awaitProcessed}.
 */
@Service
public class StateQueries {
    /** Length classes of closed row versions a query may meet beyond those its system's event count allows. */
    private static final int SPARE_CLASSES = 1;
    private static final Duration POLL = Duration.ofMillis(10);

    private final JdbcTemplate jdbc;
    private final EventHistory history;

    public StateQueries(JdbcTemplate jdbc, EventHistory history) {
        this.jdbc = jdbc;
        this.history = history;
    }

    // ------------------------------------------------------------------ state

    /**
     * The state object of {@code system} after event {@code atEvent} (1..events) or after the last event of step
     * {@code atStep}, or now when both are null, under {@code policyOrNull} (null: the system's own).
     *
     * @throws UnknownSystemException   no such system in the views
     * @throws IllegalArgumentException both points given, or one out of range
     */
    public StateDocument state(String system, Integer atEvent, Integer atStep, Policy policyOrNull) {
        SystemSummary s = require(system);
        long n = resolve(s, atEvent, atStep);
        if (policyOrNull == null || policyOrNull.text().equals(s.policy())) {
            return fromTables(s, n);
        }
        return StateDocuments.of(history.fold(system, policyOrNull, n));
    }

    /** The same state, always folded in memory from the event store (any policy; null: the system's own). */
    public StateDocument foldedState(String system, Integer atEvent, Integer atStep, Policy policyOrNull) {
        SystemSummary s = require(system);
        long n = resolve(s, atEvent, atStep);
        return StateDocuments.of(history.fold(system, policyOrNull, n));
    }

    /** The event the state "after step {@code step}" includes up to: its last produced event, or its marker. */
    public long eventAfterStep(String system, int step) {
        return resolve(require(system), null, step);
    }

    private long resolve(SystemSummary s, Integer atEvent, Integer atStep) {
        if (atEvent != null && atStep != null) {
            throw new IllegalArgumentException("at-event and at-step exclude each other: give one of them");
        }
        if (atEvent != null) {
            if (atEvent < 1 || atEvent > s.events()) {
                throw new IllegalArgumentException("at-event " + atEvent + " is out of range: system " + s.system()
                        + " has events 1.." + s.events());
            }
            return atEvent;
        }
        if (atStep != null) {
            if (atStep < 0 || atStep >= s.steps()) {
                throw new IllegalArgumentException("at-step " + atStep + " is out of range: system " + s.system()
                        + (s.steps() == 0 ? " has no steps" : " has steps 0.." + (s.steps() - 1)));
            }
            return jdbc.queryForObject("SELECT COALESCE(last_event, marker_event) FROM view_steps"
                    + " WHERE system_id = ? AND step_index = ?", Long.class, s.system(), atStep);
        }
        return s.events();
    }

    private StateDocument fromTables(SystemSummary s, long n) {
        String id = s.system();
        record LogRow(int step, String stepOutcome, boolean hung) {
        }
        LogRow log = jdbc.queryForObject("SELECT step_index, step_outcome, hung FROM view_event_log"
                        + " WHERE system_id = ? AND event_number = ?",
                (rs, i) -> new LogRow(rs.getInt(1), rs.getString(2), rs.getBoolean(3)), id, n);
        ValidAt at = new ValidAt(id, n, s.events());
        List<Pdev> pdevs = jdbc.query(at.sql("bdf, dev_type, domain_id, virtfn_of, rid", "view_pdevs", "")
                        + " ORDER BY rid",
                (rs, i) -> new Pdev(rs.getString(1), rs.getString(2), integer(rs, 3), rs.getString(4)), at.args());
        List<Bus2BridgeMapping> bus2bridge = jdbc.query(at.sql("bus, bridge", "view_bus2bridge", " AND mapped")
                        + " ORDER BY bus",
                (rs, i) -> new Bus2BridgeMapping(rs.getInt(1), rs.getString(2)), at.args());
        List<Upstream> upstream = jdbc.query(at.sql("bdf, result, bridge, secbus, rid", "view_upstream", "")
                        + " ORDER BY rid",
                (rs, i) -> new Upstream(rs.getString(1), rs.getInt(2), rs.getString(3), integer(rs, 4)), at.args());
        List<Context> contexts = jdbc.query(at.sql("bdf, domain_id, rid", "view_contexts", "") + " ORDER BY rid",
                (rs, i) -> new Context(rs.getString(1), rs.getInt(2)), at.args());
        List<HardwareFunction> hardware = jdbc.query(at.sql("bdf, function_id, kind, pri_bus, sec_bus, sub_bus, rid",
                        "view_hardware", "") + " ORDER BY rid",
                (rs, i) -> new HardwareFunction(rs.getString(1), rs.getString(2), rs.getString(3),
                        integer(rs, 4) == null ? null : List.of(rs.getInt(4), rs.getInt(5), rs.getInt(6))), at.args());
        List<FindingEntry> findings = new ArrayList<>(jdbc.query(at.sql(
                        "kind, bus, bdf, since, message, kind_order, rid, domain_id", "view_findings", "")
                        + " ORDER BY kind_order, bus, rid",
                (rs, i) -> new FindingEntry(rs.getString(1), integer(rs, 2), rs.getString(3), integer(rs, 8), rs.getLong(4),
                        rs.getString(5)), at.args()));
        findings.sort(StateDocuments.FINDING_ORDER);
        List<StepEntry> steps = steps(id, n, log.step(), log.stepOutcome());
        return new StateDocument(s.scenario(), id, s.policy(), s.segment(), n, log.step(), log.hung(), pdevs,
                bus2bridge, upstream, contexts, hardware, findings, steps, List.of());
    }

    /**
     * The row versions of one system valid at event N: {@code valid_from <= N < valid_to}, or still open
     * (V3__view_span_class.sql). Open versions have no span class; a closed version of class k (length in
     * 2^k..2^(k+1)-1) valid at N started after N - 2^(k+1), so each class is one index range of about the state's
     * size, not the whole history before N. Versions are at most as long as the system has events, which bounds
     * the classes to read.
     */
    private static final class ValidAt {
        private final String system;
        private final long n;
        private final int classes;

        ValidAt(String system, long n, long events) {
            this.system = system;
            this.n = n;
            this.classes = Math.min(41, 64 - Long.numberOfLeadingZeros(Math.max(1, events)) + SPARE_CLASSES);
        }

        /** {@code SELECT columns FROM table} for the versions valid at N, {@code condition} ANDed to each part. */
        String sql(String columns, String table, String condition) {
            StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM ").append(table)
                    .append(" WHERE system_id = ? AND span_class IS NULL AND valid_from <= ?").append(condition);
            for (int k = 0; k < classes; k++) {
                sql.append(" UNION ALL SELECT ").append(columns).append(" FROM ").append(table)
                        .append(" WHERE system_id = ? AND span_class = ").append(k)
                        .append(" AND valid_from > ? AND valid_from <= ? AND valid_to > ?").append(condition);
            }
            return sql.toString();
        }

        Object[] args() {
            Object[] args = new Object[2 + 4 * classes];
            args[0] = system;
            args[1] = n;
            for (int k = 0; k < classes; k++) {
                args[2 + 4 * k] = system;
                args[3 + 4 * k] = k >= 62 ? Long.MIN_VALUE : n - (2L << k);
                args[4 + 4 * k] = n;
                args[5 + 4 * k] = n;
            }
            return args;
        }
    }

    /**
     * Steps 0..{@code last} as the state at event N shows them: the last (which contains N) clipped at N with its
     * outcome then. Every step before the last is final (a later one has started), so those are read once per
     * system and kept: a state late in a long history has thousands of steps, which were its dearest part.
     */
    private List<StepEntry> steps(String system, long n, int last, String lastOutcome) {
        if (last < 0) {
            return List.of();
        }
        FinalSteps known = finalSteps.computeIfAbsent(system, id -> new FinalSteps());
        List<StepEntry> steps = new ArrayList<>(last + 1);
        synchronized (known) {
            if (known.entries.size() < last) {
                jdbc.query(STEP_COLUMNS + " WHERE system_id = ? AND step_index >= ? AND step_index < ? ORDER BY step_index",
                        rs -> {
                            StepRecord r = STEP_ROW.mapRow(rs, 0);
                            if (r.index() != known.entries.size()) {
                                throw new IllegalStateException("view_steps of " + system + " has step " + r.index()
                                        + " where step " + known.entries.size() + " should be");
                            }
                            known.entries.add(StateDocuments.step(r));
                        }, system, known.entries.size(), last);
            }
            steps.addAll(known.entries.subList(0, last));
        }
        StepRecord current = jdbc.queryForObject(STEP_COLUMNS + " WHERE system_id = ? AND step_index = ?", STEP_ROW,
                system, last);
        steps.add(StateDocuments.step(current.upTo(n, Outcome.parse(lastOutcome))));
        return steps;
    }

    private static final String STEP_COLUMNS = "SELECT step_index, keyword, step_text, marker_event, first_event,"
            + " last_event, outcome FROM view_steps";

    private static final RowMapper<StepRecord> STEP_ROW = (rs, i) -> new StepRecord(rs.getInt(1), rs.getString(2),
            rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), Outcome.parse(rs.getString(7)));

    /** The final steps of a system read so far, in order (index = position). */
    private static final class FinalSteps {
        final List<StepEntry> entries = new ArrayList<>();
    }

    /** Final steps by system, for the systems read most recently (a 100k-event history has ~12k steps, ~2 MiB). */
    private final Map<String, FinalSteps> finalSteps = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, FinalSteps> eldest) {
                    return size() > 16;
                }
            });

    // ------------------------------------------------------------------ systems and progress

    public List<SystemSummary> systems() {
        return jdbc.query("SELECT " + SYSTEM_COLUMNS + " FROM view_systems ORDER BY created_at, system_id",
                SYSTEM_ROW);
    }

    public Optional<SystemSummary> system(String system) {
        return jdbc.query("SELECT " + SYSTEM_COLUMNS + " FROM view_systems WHERE system_id = ?", SYSTEM_ROW, system)
                .stream().findFirst();
    }

    /** Events of {@code system} the projection has processed; 0 while it has not seen the system. */
    public long eventsProcessed(String system) {
        List<Long> events = jdbc.queryForList("SELECT events FROM view_systems WHERE system_id = ?", Long.class,
                system);
        return events.isEmpty() ? 0 : events.get(0);
    }

    /**
     * Waits until the projection has processed event {@code event} of {@code system}.
     *
     * @return false when {@code timeout} passed first
     * @throws IllegalStateException when the system's fold failed at or before that event (it will never get there)
     */
    public boolean awaitProcessed(String system, long event, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<SystemSummary> s = system(system);
            if (s.isPresent() && s.get().events() >= event) {
                return true;
            }
            if (s.isPresent() && s.get().failedEvent() != null && s.get().failedEvent() <= event) {
                throw new IllegalStateException("the views of system " + system + " stop before event "
                        + s.get().failedEvent() + ": " + s.get().failure());
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    // ------------------------------------------------------------------ timeline and history

    /** Events {@code from..to} (inclusive; null: from the first / to the last processed) of the timeline. */
    public List<TimelineEntry> timeline(String system, Long from, Long to) {
        require(system);
        return jdbc.query("SELECT event_number, step_index, event_type, occurred_at, line, outcome, payload"
                        + " FROM view_event_log WHERE system_id = ? AND event_number >= ? AND event_number <= ?"
                        + " ORDER BY event_number",
                (rs, i) -> new TimelineEntry(rs.getLong(1), rs.getInt(2), rs.getString(3), time(rs, 4),
                        rs.getString(5), rs.getString(6), rs.getString(7)),
                system, from == null ? 1L : from, to == null ? Long.MAX_VALUE : to);
    }

    /** Every version of bus2bridge entry {@code bus} (mapped or not), oldest first. */
    public List<EntryVersion.Bus2Bridge> bus2bridgeHistory(String system, int bus) {
        require(system);
        return jdbc.query("SELECT bus, mapped, bridge, valid_from, valid_to FROM view_bus2bridge"
                        + " WHERE system_id = ? AND bus = ? ORDER BY valid_from",
                (rs, i) -> new EntryVersion.Bus2Bridge(rs.getInt(1), rs.getBoolean(2), rs.getString(3),
                        rs.getLong(4), longOrNull(rs, 5)), system, bus);
    }

    /** Every version of the pdev at {@code bdf}, oldest first. */
    public List<EntryVersion.Pdev> pdevHistory(String system, Bdf bdf) {
        require(system);
        return jdbc.query("SELECT bdf, dev_type, domain_id, virtfn_of, allocated_for, valid_from, valid_to"
                        + " FROM view_pdevs WHERE system_id = ? AND bdf = ? ORDER BY valid_from",
                (rs, i) -> new EntryVersion.Pdev(rs.getString(1), rs.getString(2), integer(rs, 3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), longOrNull(rs, 7)), system, bdf.toString());
    }

    /** The in-memory fold of {@code system} up to event {@code upTo} under a policy (null: its own). */
    public TimelineCursor fold(String system, Policy policyOrNull, long upTo) {
        require(system);
        return history.fold(system, policyOrNull, upTo);
    }

    // ------------------------------------------------------------------ helpers

    private static final String SYSTEM_COLUMNS =
            "system_id, scenario, description, policy, segment, created_at, events, steps, failed_event, failure";

    private static final RowMapper<SystemSummary> SYSTEM_ROW = (rs, i) -> new SystemSummary(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), time(rs, 6), rs.getLong(7),
            rs.getInt(8), longOrNull(rs, 9), rs.getString(10));

    private SystemSummary require(String system) {
        return system(system).orElseThrow(() -> new UnknownSystemException(system));
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static String time(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }
}
