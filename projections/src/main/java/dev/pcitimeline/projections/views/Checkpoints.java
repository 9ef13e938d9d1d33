package dev.pcitimeline.projections.views;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.projections.store.StoreObjectMapper;
import dev.pcitimeline.projections.timeline.Advance;
import dev.pcitimeline.projections.timeline.DatedFinding;
import dev.pcitimeline.projections.timeline.StepRecord;
import dev.pcitimeline.projections.timeline.TimelineCursor;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The views' checkpoints ({@code view_checkpoints}, V5__views_as_checkpoints.sql): a system's fold state at the
 * end of a step, and the steps that ended since the previous checkpoint. The state at event N is the nearest
 * checkpoint at or before N resumed ({@link TimelineCursor#resume}) and the stored events after it folded; the
 * steps a state lists are the checkpoints' step lists, then the steps folded after the last one.
 *
 * <p>Both columns are the store's JSON, deflated: a checkpoint of the bench's machine is ~6 KB of JSON, ~1.5 KB
 * deflated, which H2 keeps in the row.
 */
public class Checkpoints {
    /**
     * Events between two checkpoints unless configured ({@code pcitimeline.views.checkpoint-interval}). A read between
     * two checkpoints folds on average half an interval plus half a step of stored events (~10 µs each: read,
     * deserialize, apply); a checkpoint costs the writer ~0.4 ms (snapshot, deflate, one row). On the bench (N =
     * 100,000) 256 gave state reads of p50/p99 ~2.4/16 ms and 128 gave ~2.2/6.7 ms, for ~10 % of the rebuild's rate:
     * docs/performance.md.
     */
    public static final int DEFAULT_INTERVAL = 128;

    private static final int CACHED_STATES = 64;
    private static final TypeReference<List<StepRecord>> STEP_LIST = new TypeReference<>() {
    };
    private static final TypeReference<TimelineCursor.Checkpoint> STATE = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final EventHistory history;
    private final ObjectMapper mapper = StoreObjectMapper.create();
    /**
     * Recently read checkpoint states: a history is immutable and its fold deterministic, so a checkpoint at
     * (system, event) always holds the same state, a rebuild's included. Resuming copies it into a new machine.
     */
    private final Map<Key, TimelineCursor.Checkpoint> recent = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, TimelineCursor.Checkpoint> eldest) {
                    return size() > CACHED_STATES;
                }
            });

    private record Key(String system, long event) {
    }

    /** A stored checkpoint: the event it was taken after and how many steps had ended by then. */
    public record Stored(long event, int steps) {
    }

    public Checkpoints(JdbcTemplate jdbc, EventHistory history) {
        this.jdbc = jdbc;
        this.history = history;
    }

    /**
     * The cursor of {@code system} (its own policy) at event {@code upTo}: resumed from its latest checkpoint at or
     * before {@code startAtOrBefore} (and {@code upTo}), or started at event 1 when there is none, then carried on
     * over the stored events. {@code each} sees every event folded, the SystemCreated's too when it starts there.
     *
     * @throws EventHistory.UnknownHistoryException when the store has fewer events than {@code upTo}
     */
    public TimelineCursor cursor(String system, long startAtOrBefore, long upTo, EventHistory.EachEvent each) {
        Optional<Stored> at = atOrBefore(system, Math.min(startAtOrBefore, upTo));
        if (at.isEmpty()) {
            return history.fold(system, upTo, (message, cursor) -> each.accept(message, cursor.rowsOnDemand()));
        }
        return history.foldOn(TimelineCursor.resume(state(system, at.get())).rowsOnDemand(), upTo, each);
    }

    /** The same without a callback. */
    public TimelineCursor cursor(String system, long upTo) {
        return cursor(system, upTo, upTo, (message, cursor) -> {
        });
    }

    /**
     * The checkpoint at or before an event, the one after an event, the first reaching a step count: each written so
     * that H2 walks the index from the bound and stops at the first entry (see {@link #atOrBefore};
     * CheckpointQueriesTest checks the plans).
     */
    static final String AT_OR_BEFORE_SQL = "SELECT event_number FROM view_checkpoints WHERE system_id = ?"
            + " AND event_number <= ? ORDER BY system_id DESC, event_number DESC LIMIT 1";
    static final String AFTER_SQL = "SELECT event_number FROM view_checkpoints WHERE system_id = ?"
            + " AND event_number > ? ORDER BY system_id, event_number LIMIT 1";
    static final String REACHING_STEPS_SQL = "SELECT steps FROM view_checkpoints WHERE system_id = ? AND steps >= ?"
            + " ORDER BY system_id, steps LIMIT 1";

    static final String INSERT_SQL = "INSERT INTO view_checkpoints (system_id, event_number, steps, state, step_list,"
            + " finding_runs) VALUES (?, ?, ?, ?, ?, ?)";

    /** A finding run that started at {@code event}: its subject held there and not at the event before. */
    public record RunStart(Finding.Subject subject, long event) {
    }

    /** The runs that start in {@code advance} (the findings' {@code since} is the event), added to {@code into}. */
    static void runStarts(Advance advance, List<RunStart> into) {
        if (advance.findings() == advance.findingsBefore()) {
            return;
        }
        for (DatedFinding d : advance.findings()) {
            if (d.since() == advance.event()) {
                into.add(new RunStart(d.finding().subject(), advance.event()));
            }
        }
    }

    /**
     * The own-policy cursor of {@code system} at event {@code upTo} for a read of the state there. Between two
     * checkpoints it folds only the machine and the steps from the earlier one, then dates the findings at
     * {@code upTo} with the finding runs the later one stored ({@link TimelineCursor#resumeDeferred}): no view and no
     * findings per event. After the last checkpoint (no run list yet) it folds as {@link #cursor(String, long)}.
     */
    public TimelineCursor stateCursor(String system, long upTo) {
        Optional<Stored> at = atOrBefore(system, upTo);
        if (at.isEmpty()) {
            return cursor(system, upTo);
        }
        Long next = first(jdbc.queryForList(AFTER_SQL, Long.class, system, upTo));
        if (next == null) {
            return cursor(system, upTo);
        }
        byte[] runs = jdbc.queryForObject("SELECT finding_runs FROM view_checkpoints WHERE system_id = ?"
                + " AND event_number = ?", byte[].class, system, next);
        TimelineCursor cursor = history.foldPayloadsOn(TimelineCursor.resumeDeferred(state(system, at.get())), upTo);
        Map<Finding.Subject, Long> starts = new HashMap<>();
        for (RunStart r : decodeRuns(runs, system, next)) {
            if (r.event() <= upTo) {
                starts.merge(r.subject(), r.event(), Math::max);
            }
        }
        cursor.settle(starts);
        return cursor.rowsOnDemand();
    }


    /** The latest checkpoint of {@code system} at or before {@code event}, if any. */
    public Optional<Stored> atOrBefore(String system, long event) {
        // The key first, then the row by its key (a row holds ~5 KB of blobs). H2 walks the key's index from the
        // bound and stops at the first entry only when ORDER BY names the index's columns (the plan says "index
        // sorted"): MAX(event_number) with the bound, or ORDER BY event_number alone, read every checkpoint of the
        // system up to it (0.5 ms at 8,000 checkpoints, a million events; 6 µs this way).
        Long at = first(jdbc.queryForList(AT_OR_BEFORE_SQL, Long.class, system, event));
        if (at == null) {
            return Optional.empty();
        }
        return Optional.of(new Stored(at, jdbc.queryForObject("SELECT steps FROM view_checkpoints WHERE system_id = ?"
                + " AND event_number = ?", Integer.class, system, at)));
    }

    /** The only value of a query for one row at most, or null. */
    private static <T> T first(List<T> values) {
        return values.isEmpty() ? null : values.get(0);
    }

    /** The cursor state stored at {@code checkpoint}. */
    public TimelineCursor.Checkpoint state(String system, Stored checkpoint) {
        return recent.computeIfAbsent(new Key(system, checkpoint.event()), k -> {
            // by its key: see atOrBefore
            byte[] bytes = jdbc.queryForObject("SELECT state FROM view_checkpoints WHERE system_id = ?"
                    + " AND event_number = ?", byte[].class, system, checkpoint.event());
            return read(bytes, STATE, "state", system, checkpoint);
        });
    }

    /**
     * The final steps {@code from..to-1} of {@code system}, from the step lists of the checkpoints that hold them
     * (every step ended before a stored checkpoint is in exactly one list).
     */
    public List<StepRecord> steps(String system, int from, int to) {
        List<StepRecord> out = new ArrayList<>(Math.max(0, to - from));
        for (List<StepRecord> list : stepLists(system, from, to)) {
            for (StepRecord r : list) {
                if (r.index() >= from && r.index() < to) {
                    out.add(r);
                }
            }
        }
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).index() != from + i) {
                throw new IllegalStateException("the checkpoints of system " + system + " list step "
                        + out.get(i).index() + " where step " + (from + i) + " should be");
            }
        }
        return out;
    }

    /**
     * The step lists, whole and in order, of the checkpoints that hold the final steps {@code from..to-1}: those whose
     * step count is above {@code from}, up to the first one that reaches {@code to}.
     */
    public List<List<StepRecord>> stepLists(String system, int from, int to) {
        List<List<StepRecord>> out = new ArrayList<>();
        if (to <= from) {
            return out;
        }
        Integer last = first(jdbc.queryForList(REACHING_STEPS_SQL, Integer.class, system, to));
        if (last == null) {
            return out;
        }
        jdbc.query("SELECT event_number, steps, step_list FROM view_checkpoints WHERE system_id = ? AND steps > ?"
                + " AND steps <= ? ORDER BY system_id, steps", rs -> {
            out.add(read(rs.getBytes(3), STEP_LIST, "step list", system, new Stored(rs.getLong(1), rs.getInt(2))));
        }, system, from, last);
        return out;
    }

    /** Final step {@code index} of {@code system} if a checkpoint holds it (it ended before the last checkpoint). */
    public Optional<StepRecord> step(String system, int index) {
        List<StepRecord> one = steps(system, index, index + 1);
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }

    /** The checkpoint's state column. */
    byte[] encodeState(TimelineCursor.Checkpoint state) {
        return write(state, state.machine().systemId());
    }

    /**
     * The checkpoint's finding_runs column: the finding runs that started since the previous checkpoint (a few hundred
     * for 256 events), deflated. Not JSON: a read decodes a whole list to date the findings at one event, and parsing
     * that many subjects as JSON was a third of a read. Per run: the kind's ordinal, then bus, requester ID (the
     * system's segment) and domain, each -1 when absent, then the event.
     */
    byte[] encodeRuns(String system, List<RunStart> runs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new DeflaterOutputStream(bytes,
                deflater, 4096), 8192))) {
            out.writeInt(runs.size());
            for (RunStart r : runs) {
                Finding.Subject s = r.subject();
                out.writeByte(s.kind().ordinal());
                out.writeInt(s.bus() == null ? -1 : s.bus());
                out.writeInt(s.bdf() == null ? -1 : s.bdf().segment());
                out.writeInt(s.bdf() == null ? -1 : s.bdf().rid());
                out.writeInt(s.domain() == null ? -1 : s.domain());
                out.writeLong(r.event());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the finding runs of a views checkpoint of system " + system, e);
        } finally {
            deflater.end();
        }
        return bytes.toByteArray();
    }

    private static List<RunStart> decodeRuns(byte[] bytes, String system, long event) {
        Inflater inflater = new Inflater();
        Finding.Kind[] kinds = Finding.Kind.values();
        // buffered: DataInputStream reads a byte at a time, each a call into the inflater otherwise
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new InflaterInputStream(
                new ByteArrayInputStream(bytes), inflater, 4096), 8192))) {
            int n = in.readInt();
            List<RunStart> runs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Finding.Kind kind = kinds[in.readByte()];
                int bus = in.readInt();
                int segment = in.readInt();
                int rid = in.readInt();
                int domain = in.readInt();
                long at = in.readLong();
                runs.add(new RunStart(new Finding.Subject(kind, bus < 0 ? null : bus,
                        rid < 0 ? null : Bdf.ofRid(segment, rid), domain < 0 ? null : domain), at));
            }
            return runs;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the finding runs of the views checkpoint of system " + system
                    + " at event " + event, e);
        } finally {
            inflater.end();
        }
    }

    /** The checkpoint's step list column: the steps that ended since the previous checkpoint. */
    byte[] encodeSteps(String system, List<StepRecord> steps) {
        return write(steps, system);
    }

    private byte[] write(Object value, String system) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (OutputStream out = new DeflaterOutputStream(bytes, deflater, 4096)) {
            mapper.writeValue(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a views checkpoint of system " + system, e);
        } finally {
            deflater.end();
        }
        return bytes.toByteArray();
    }

    /** A JSON column ({@code what}: which, for the error) of the checkpoint of {@code system} at {@code at}. */
    private <T> T read(byte[] bytes, TypeReference<T> type, String what, String system, Stored at) {
        Inflater inflater = new Inflater();
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(bytes), inflater, 4096)) {
            return mapper.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + what + " of the views checkpoint of system " + system
                    + " at event " + at.event(), e);
        } finally {
            inflater.end();
        }
    }
}
