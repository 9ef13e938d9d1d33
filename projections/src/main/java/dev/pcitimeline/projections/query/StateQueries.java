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
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.domain.view.MachineView;
import dev.pcitimeline.projections.store.StoreObjectMapper;
import dev.pcitimeline.projections.timeline.Advance;
import dev.pcitimeline.projections.timeline.EventText;
import dev.pcitimeline.projections.views.Checkpoints;
import dev.pcitimeline.projections.views.ViewsProgress;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;

import java.sql.ResultSet;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private static final Duration POLL = Duration.ofMillis(10);

    private final JdbcTemplate jdbc;
    private final EventHistory history;
    private final Checkpoints checkpoints;
    private final ViewsProgress progress;
    private final ObjectMapper payloadMapper = StoreObjectMapper.create();

    public StateQueries(JdbcTemplate jdbc, EventHistory history, Checkpoints checkpoints, ViewsProgress progress) {
        this.jdbc = jdbc;
        this.history = history;
        this.checkpoints = checkpoints;
        this.progress = progress;
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
            return fromCheckpoint(s, n);
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
            return lastEventOf(s, atStep);
        }
        return s.events();
    }

    /** The event the state after step {@code index} includes up to: the step's last event, or its marker. */
    private long lastEventOf(SystemSummary s, int index) {
        StepRecord step = checkpoints.step(s.system(), index).orElseGet(() -> {
            // after the last checkpoint: fold from it to the end and find the step there
            TimelineCursor cursor = checkpoints.cursor(s.system(), s.events());
            return cursor.steps().get(index - cursor.firstStep());
        });
        return step.producedEvents() ? step.lastEvent() : step.markerEvent();
    }

    /**
     * The state at event N under the system's own policy: the nearest checkpoint at or before N resumed, the stored
     * events after it folded; the steps before that checkpoint come from the checkpoints' step lists (kept in memory
     * per system once read: they are final).
     */
    private StateDocument fromCheckpoint(SystemSummary s, long n) {
        TimelineCursor cursor = checkpoints.stateCursor(s.system(), n);
        return StateDocuments.of(cursor, finalSteps(s.system(), cursor.firstStep()));
    }

    /**
     * Final steps 0..{@code count - 1} of {@code system} ({@code count}: the steps of one of its checkpoints), one
     * chunk per checkpoint, from the checkpoints' step lists: a prefix of the chunks read so far, found by binary
     * search and shared, not copied (a late state of a long history has thousands of chunks).
     */
    private StepList.Prefix finalSteps(String system, int count) {
        FinalSteps known = finalSteps.computeIfAbsent(system, id -> new FinalSteps());
        synchronized (known) {
            if (known.count < count) {
                for (List<StepRecord> list : checkpoints.stepLists(system, known.count, count)) {
                    List<StepEntry> entries = new ArrayList<>(list.size());
                    for (StepRecord r : list) {
                        if (r.index() != known.count + entries.size()) {
                            throw new IllegalStateException("the checkpoints of system " + system + " list step "
                                    + r.index() + " where step " + (known.count + entries.size()) + " should be");
                        }
                        entries.add(StateDocuments.step(r));
                    }
                    known.add(new StepList.Chunk(entries));
                }
            }
            if (count == 0) {
                return StepList.Prefix.EMPTY;
            }
            // a chunk ending at count: empty chunks (checkpoints without a new final step) end where the one before
            // them does, so the search may find any of them, and each gives the same steps
            int at = Arrays.binarySearch(known.ends, 0, known.size, count);
            if (at < 0) {
                throw new IllegalStateException("the checkpoints of system " + system + " end no step list at step "
                        + count);
            }
            return new StepList.Prefix(known.chunks, known.starts, at + 1, count, known.printed);
        }
    }

    /**
     * The final steps of a system read so far, in order, as arrays that only grow at the end (a full array is
     * replaced by a longer copy): the states handed out share their prefixes.
     */
    private static final class FinalSteps {
        StepList.Chunk[] chunks = new StepList.Chunk[64];
        /** Per chunk, the index of its first step and the number of steps up to its end (ascending). */
        int[] starts = new int[64];
        int[] ends = new int[64];
        int size;
        int count;
        /** Their JSON, printed as states reach them and written by every state that includes them. */
        final StepList.Printed printed = new StepList.Printed();

        void add(StepList.Chunk chunk) {
            if (size == chunks.length) {
                chunks = Arrays.copyOf(chunks, size * 2);
                starts = Arrays.copyOf(starts, size * 2);
                ends = Arrays.copyOf(ends, size * 2);
            }
            chunks[size] = chunk;
            starts[size] = count;
            count += chunk.size();
            ends[size] = count;
            size++;
        }
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
     * Waits until the projection has processed event {@code event} of {@code system}: woken by each commit of the
     * views processor in this JVM ({@link ViewsProgress}), and looking at the tables at least every 10 ms (another
     * node's processor may be the one that gets there).
     *
     * @return false when {@code timeout} passed first
     * @throws IllegalStateException when the system's fold failed at or before that event (it will never get there)
     */
    public boolean awaitProcessed(String system, long event, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long commits = progress.commits(); // before the tables: a commit after it ends the wait below
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
                progress.awaitCommitAfter(commits, POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    // ------------------------------------------------------------------ timeline and history

    /**
     * Events {@code from..to} (inclusive; null: from the first / to the last processed) of the timeline, rendered
     * from the stored events: folded from the nearest checkpoint before {@code from}.
     */
    public List<TimelineEntry> timeline(String system, Long from, Long to) {
        SystemSummary s = require(system);
        long first = from == null ? 1 : Math.max(1, from);
        long last = to == null ? s.events() : Math.min(to, s.events());
        List<TimelineEntry> entries = new ArrayList<>();
        if (first > last) {
            return entries;
        }
        checkpoints.cursor(system, first - 1, last, (message, cursor) -> {
            long n = cursor.events();
            if (n >= first) {
                Advance a = cursor.latest();
                entries.add(new TimelineEntry(n, a.step(), EventText.type(a.payload()),
                        message.getTimestamp().toString(), EventText.of(a.payload(), a.outcome(), cursor.view()),
                        a.outcome().text(), json(a.payload())));
            }
        });
        return entries;
    }

    private String json(Object payload) {
        try {
            return payloadMapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write event " + payload.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The systems that ever had a finding of {@code kind}, oldest first, each with the first event one held at. */
    public List<SystemWithFinding> systemsWithFinding(Finding.Kind kind) {
        return jdbc.query("SELECT s.system_id, s.scenario, s.description, s.policy, s.segment, s.created_at,"
                        + " s.events, s.steps, s.failed_event, s.failure, k.first_event"
                        + " FROM view_finding_kinds k JOIN view_systems s ON s.system_id = k.system_id"
                        + " WHERE k.kind = ? ORDER BY s.created_at, s.system_id",
                (rs, i) -> new SystemWithFinding(SYSTEM_ROW.mapRow(rs, i),
                        new SystemWithFinding.FirstSeen(kind.name(), rs.getLong(11))), kind.name());
    }

    /** Every version of bus2bridge entry {@code bus} (mapped or not), oldest first. */
    public List<EntryVersion.Bus2Bridge> bus2bridgeHistory(String system, int bus) {
        require(system);
        return jdbc.query("SELECT bus, mapped, bridge, valid_from, valid_to FROM view_bus2bridge"
                        + " WHERE system_id = ? AND bus = ? ORDER BY valid_from",
                (rs, i) -> new EntryVersion.Bus2Bridge(rs.getInt(1), rs.getBoolean(2), rs.getString(3),
                        rs.getLong(4), longOrNull(rs, 5)), system, bus);
    }

    /**
     * Every version of the pdev at {@code bdf}, oldest first: folded from the store (no table keeps pdev versions; a
     * history's pdevs change about once every four events).
     */
    public List<EntryVersion.Pdev> pdevHistory(String system, Bdf bdf) {
        SystemSummary s = require(system);
        List<EntryVersion.Pdev> versions = new ArrayList<>();
        MachineView.PdevRow[] open = new MachineView.PdevRow[1];
        long[] since = new long[1];
        history.fold(s.system(), s.events(), (message, cursor) -> {
            MachineView.PdevRow now = null;
            for (MachineView.PdevRow r : cursor.view().pdevs()) {
                if (r.bdf().equals(bdf)) {
                    now = r;
                }
            }
            if (Objects.equals(now, open[0])) {
                return;
            }
            long n = cursor.events();
            if (open[0] != null) {
                versions.add(pdevVersion(open[0], since[0], n));
            }
            open[0] = now;
            since[0] = n;
        });
        if (open[0] != null) {
            versions.add(pdevVersion(open[0], since[0], null));
        }
        return versions;
    }

    private static EntryVersion.Pdev pdevVersion(MachineView.PdevRow r, long from, Long to) {
        return new EntryVersion.Pdev(r.bdf().toString(), r.type().name(), r.domain(),
                r.virtfnOf() == null ? null : r.virtfnOf().toString(), r.allocatedFor(), from, to);
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
