package dev.pcitimeline.projections.timeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.StepStarted;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.machine.StepOutcome;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.view.ViewMemo;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.domain.view.Findings;
import dev.pcitimeline.domain.view.MachineView;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.xen.Bus2BridgeEntry;
import dev.pcitimeline.domain.xen.Bus2BridgeWriteCause;
import dev.pcitimeline.domain.xen.ContextChangeCause;
import dev.pcitimeline.domain.xen.Pdev;
import dev.pcitimeline.domain.xen.Xen;
import dev.pcitimeline.domain.xen.XenTrace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One fold step over the history of one system under one policy, shared by the projection
 * (which persists each {@link Advance#diff()}) and by in-memory what-if folds. It owns a
 * {@link Machine} and derives everything else from {@link Machine#apply}, {@link MachineView}
 * and {@link Findings}: no Xen rule lives here, only bookkeeping (finding runs, step spans).
 *
 * <p>Not thread-safe; one cursor is driven by one caller at a time.
 */
public final class TimelineCursor {
    private static final MachineView NOTHING =
            new MachineView(0, -1, false, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    private final Machine machine;
    /**
     * What the findings compare against, for the hardware version it was computed on: the fresh boot's table
     * ({@link Findings#expectedTable}, computed after every hardware change, so without the handover to dom0).
     */
    private Xen expected;
    private long expectedForVersion = Long.MIN_VALUE;
    /** What the view derives from Xen's bus2bridge table alone, while that stays the same. */
    private final ViewMemo viewMemo = new ViewMemo();
    /** The hardware version {@link #view} was computed on. */
    private long viewForVersion = Long.MIN_VALUE;
    private MachineView view = NOTHING;
    /** Whether {@link #view} gets its row lists only when asked for (see {@link #rowsOnDemand()}). */
    private boolean rowsOnDemand;
    /** Set while the view is deferred ({@link #resumeDeferred}): the checkpoint's finding runs. */
    private Map<Finding.Subject, Long> deferredFrom;
    private List<DatedFinding> findings = List.of();
    /** The last list {@link #date} made from findings in subject order: in that order too, not checked again. */
    private List<DatedFinding> inOrder;
    /** The steps from {@link #firstStep} on: the last one as far as it has got, the others final. */
    private final List<StepRecord> steps = new ArrayList<>();
    private int firstStep;
    private StepOutcome stepOutcome;
    private Advance latest;

    private TimelineCursor(SystemCreated created, Policy policy) {
        Objects.requireNonNull(created, "created");
        this.machine = Machine.created(created, Objects.requireNonNull(policy, "policy"));
        this.latest = settle(created, Outcome.OK, null, true);
    }

    private TimelineCursor(Machine machine, List<FindingRun> runsThen, boolean deferred) {
        this.machine = machine;
        this.firstStep = machine.stepCount();
        this.latest = null;
        Map<Finding.Subject, Long> runs = new HashMap<>(runsThen.size() * 2);
        for (FindingRun r : runsThen) {
            runs.put(r.subject(), r.since());
        }
        if (deferred) {
            this.deferredFrom = runs;
            return;
        }
        // the findings are the machine's; only their runs' first events come from the checkpoint (a finding it does
        // not list starts a run here)
        this.findings = settleView(Map.of(), runs, machine.eventCount());
    }

    /**
     * A cursor resumed from a checkpoint that folds only the machine and the steps until {@link #settle(Map)}: what
     * a read of the state at one event needs, when the first events of the finding runs that started after the
     * checkpoint are known (the views store them with the next checkpoint). Until then {@link #view()} and
     * {@link #findings()} must not be used, and {@link Advance#view()} and its findings are null.
     */
    public static TimelineCursor resumeDeferred(Checkpoint checkpoint) {
        return new TimelineCursor(Machine.restore(checkpoint.machine()), checkpoint.findings(), true);
    }

    /**
     * The view and the dated findings now, for a cursor from {@link #resumeDeferred}: each finding's run started at
     * its subject's entry in {@code runStarts} (the latest run start at or before now, for runs that started after the
     * checkpoint) or, without one, at the run the checkpoint recorded. The cursor then folds as any other.
     *
     * @throws IllegalStateException when a finding holds now whose run start is in neither
     */
    public void settle(Map<Finding.Subject, Long> runStarts) {
        if (deferredFrom == null) {
            throw new IllegalStateException("the cursor is not deferred");
        }
        findings = settleView(runStarts, deferredFrom, null);
        deferredFrom = null;
    }

    /**
     * The view of the machine now, and its findings dated: by {@code runStarts}, else by {@code atCheckpoint}, else
     * {@code otherwise}; null there: a finding in neither is an error.
     */
    private List<DatedFinding> settleView(Map<Finding.Subject, Long> runStarts,
                                          Map<Finding.Subject, Long> atCheckpoint, Long otherwise) {
        view = MachineView.of(machine, expected());
        viewForVersion = machine.hardware().version();
        List<DatedFinding> dated = new ArrayList<>(view.findings().size());
        for (Finding f : view.findings()) {
            Finding.Subject subject = f.subject();
            Long since = runStarts.get(subject);
            if (since == null) {
                since = atCheckpoint.get(subject);
            }
            if (since == null) {
                since = otherwise;
            }
            if (since == null) {
                throw new IllegalStateException("event " + machine.eventCount() + " of system " + machine.systemId()
                        + ": no run start recorded for finding " + f.key());
            }
            dated.add(new DatedFinding(f, since));
        }
        return List.copyOf(dated);
    }

    /**
     * A cursor resumed from a checkpoint taken at the end of a step ({@link #checkpoint()}): the same state as the
     * cursor that took it, except that {@link #steps()} starts after the checkpoint's last step and
     * {@link #latest()} is null until the next event.
     */
    public static TimelineCursor resume(Checkpoint checkpoint) {
        return new TimelineCursor(Machine.restore(checkpoint.machine()), checkpoint.findings(), false);
    }

    /**
     * What {@link #resume} needs to carry on from here: the machine and the first event of each finding's run.
     * Only between steps (the next event starts a step, or none has started): a step in progress is not carried.
     */
    public Checkpoint checkpoint() {
        requireSettled();
        List<FindingRun> runs = new ArrayList<>(findings.size());
        for (DatedFinding d : findings) {
            runs.add(new FindingRun(d.finding().subject(), d.since()));
        }
        return new Checkpoint(machine.snapshot(), runs);
    }

    /**
     * The state a cursor can be resumed from; see {@link #checkpoint()}. The findings themselves are the machine's,
     * worked out again on resuming: a checkpoint keeps when each one's run started, not its message (half of a
     * checkpoint's JSON, and of the time to write it, when it kept them).
     */
    public record Checkpoint(Machine.Snapshot machine, List<FindingRun> findings) {
    }

    /** A finding's subject and the first event of its current run. */
    public record FindingRun(Finding.Subject subject, long since) {
        /** Also as checkpoints stored before 2026-12 hold it: the whole finding, message included, and its since. */
        @JsonCreator
        static FindingRun read(@JsonProperty("subject") Finding.Subject subject, @JsonProperty("since") long since,
                               @JsonProperty("finding") Finding finding) {
            if (subject == null && finding == null) {
                throw new IllegalArgumentException("a finding run needs its subject");
            }
            return new FindingRun(subject != null ? subject : finding.subject(), since);
        }
    }

    /**
     * Lets go of the steps {@link #steps()} lists, which the caller has stored: call it between steps, like
     * {@link #checkpoint()}. A long history's cursor would otherwise hold every step it ever saw.
     */
    public void forgetSteps() {
        firstStep += steps.size();
        steps.clear();
    }

    /** A cursor at event 1 (the SystemCreated) under the system's own policy. */
    public static TimelineCursor start(SystemCreated created) {
        return new TimelineCursor(created, created.policy());
    }

    /** A cursor at event 1 under {@code policy}: what-if folds start here. */
    public static TimelineCursor start(SystemCreated created, Policy policy) {
        return new TimelineCursor(created, policy);
    }

    public Advance advance(SegmentEvent event) {
        return advance(event, XenTrace.NONE);
    }

    /**
     * Folds the next event ({@link #events()} + 1). {@code trace} sees what Xen does inside it.
     * An exception means the machine may be half-changed: the cursor must not be used again.
     */
    public Advance advance(SegmentEvent event, XenTrace trace) {
        Objects.requireNonNull(event, "event");
        if (!event.systemId().equals(machine.systemId())) {
            throw new IllegalArgumentException("event of system " + event.systemId() + " fed to the fold of "
                    + machine.systemId());
        }
        Outcome outcome;
        boolean xenChanged;
        if (event instanceof SegmentEvent.XenObserved<?>) {
            XenChanges changes = new XenChanges(trace);
            outcome = machine.apply(event, changes);
            xenChanged = changes.changed;
        } else {
            outcome = machine.apply(event, trace);
            // Xen's boot empties its tables without a trace call; other events never reach Xen (Machine.apply)
            xenChanged = event instanceof SegmentEvent.XenBooted;
        }
        Outcome recorded = event instanceof SegmentEvent.XenObserved<?> observed ? observed.outcome() : null;
        return latest = settle(event, outcome, recorded, xenChanged);
    }

    /**
     * Passes every call on to the caller's trace and notes whether Xen changed anything: the model reports each
     * change to its pdevs, bus2bridge entries, context entries and hang through these calls.
     */
    private static final class XenChanges implements XenTrace {
        private final XenTrace trace;
        private boolean changed;

        XenChanges(XenTrace trace) {
            this.trace = trace;
        }

        @Override
        public void configRead(Bdf at, String register, int value, String answeredBy) {
            trace.configRead(at, register, value, answeredBy);
        }

        @Override
        public void bus2bridgeWritten(int bus, Bus2BridgeEntry before, Bus2BridgeEntry after, Bus2BridgeWriteCause cause) {
            changed = true;
            trace.bus2bridgeWritten(bus, before, after, cause);
        }

        @Override
        public void pdevAdded(Pdev pdev) {
            changed = true;
            trace.pdevAdded(pdev);
        }

        @Override
        public void pdevRemoved(Pdev pdev) {
            changed = true;
            trace.pdevRemoved(pdev);
        }

        @Override
        public void pdevOwnerChanged(Pdev before, Pdev after) {
            changed = true;
            trace.pdevOwnerChanged(before, after);
        }

        @Override
        public void contextMapped(int rid, DomainId domain, ContextChangeCause cause) {
            changed = true;
            trace.contextMapped(rid, domain, cause);
        }

        @Override
        public void contextUnmapped(int rid, DomainId domain, ContextChangeCause cause) {
            changed = true;
            trace.contextUnmapped(rid, domain, cause);
        }

        @Override
        public void hung(String where) {
            changed = true;
            trace.hung(where);
        }

        @Override
        public void pdevUpdated(Pdev before, Pdev after) {
            changed = true;
            trace.pdevUpdated(before, after);
        }

        @Override
        public void domainCrashed(DomainId domain) {
            changed = true;
            trace.domainCrashed(domain);
        }
    }

    /**
     * Step bookkeeping, then the new view and finding runs. Only what the event changed is recomputed: the
     * hardware rows when the hardware's version moved, Xen's tables when Xen reported a change, the findings
     * when either did (about a third of a history's events change neither: markers, dom0's own bookkeeping).
     */
    private Advance settle(SegmentEvent event, Outcome outcome, Outcome recorded, boolean xenChanged) {
        long n = machine.eventCount();
        if (event instanceof StepStarted s) {
            if (s.index() != machine.stepCount() - 1) {
                throw new IllegalStateException("event " + n + " starts step " + s.index() + " but it is step "
                        + (machine.stepCount() - 1) + " of the history");
            }
            steps.add(new StepRecord(s.index(), s.keyword(), s.text(), n, 0, 0, Outcome.OK));
            stepOutcome = new StepOutcome(s.keyword());
        } else if (!steps.isEmpty()) {
            if (event instanceof SegmentEvent.XenObserved<?>) {
                stepOutcome.add(outcome);
            }
            int last = steps.size() - 1;
            steps.set(last, steps.get(last).produced(n, stepOutcome.outcome()));
        }
        StepRecord current = steps.isEmpty() ? null : steps.get(steps.size() - 1);
        if (deferredFrom != null) {
            return latest = new Advance(n, event, outcome, recorded, machine.stepCount() - 1, current, null, null,
                    null, null);
        }
        MachineView before = view;
        List<DatedFinding> findingsBefore = findings;
        long version = machine.hardware().version();
        if (before == NOTHING) {
            view = MachineView.of(machine, expected());
        } else {
            boolean hardwareChanged = version != viewForVersion;
            view = rowsOnDemand
                    ? MachineView.nextWithoutRows(before, machine, expected(), hardwareChanged, xenChanged,
                    viewMemo)
                    : MachineView.next(before, machine, expected(), hardwareChanged, xenChanged, viewMemo);
        }
        viewForVersion = version;
        if (view.findings() != before.findings()) {
            findings = date(view.findings(), findingsBefore, n);
            if (findings == findingsBefore) {
                // the same findings: keep the very list, so "unchanged" stays an identity check downstream (and
                // the memo gives it again while nothing the findings read changes)
                view = view.withFindings(before.findings());
                viewMemo.joinedEquals(before.findings());
            }
        }
        return new Advance(n, event, outcome, recorded, view.step(), current, before, findingsBefore, view, findings);
    }

    private Xen expected() {
        long version = machine.hardware().version();
        if (expected == null || version != expectedForVersion) {
            expected = Findings.expectedTable(machine.hardware(), machine.xen());
            expectedForVersion = version;
        }
        return expected;
    }

    /**
     * A finding keeps its {@code since} while its key holds from one event to the next. (Called when the findings
     * changed: unchanged findings keep the very same list.) An unchanged finding keeps its DatedFinding instance.
     * Both lists normally come in {@link Finding#compareSubjects} order, each subject once: then one merged walk
     * pairs them up; otherwise each finding is looked up by subject. Returns {@code before} itself when every finding
     * is the same.
     */
    private List<DatedFinding> date(List<Finding> now, List<DatedFinding> before, long event) {
        DatedFinding[] out = new DatedFinding[now.size()];
        boolean ordered = true;
        for (int i = 1; i < now.size() && ordered; i++) {
            ordered = Finding.compareSubjects(now.get(i - 1), now.get(i)) < 0;
        }
        for (int i = 1; i < before.size() && ordered && before != inOrder; i++) {
            ordered = Finding.compareSubjects(before.get(i - 1).finding(), before.get(i).finding()) < 0;
        }
        Map<Finding.Subject, DatedFinding> held = null;
        if (!ordered) {
            held = new HashMap<>(before.size() * 2);
            for (DatedFinding d : before) {
                held.put(d.finding().subject(), d);
            }
        }
        int next = 0;
        boolean unchanged = true;
        for (int i = 0; i < out.length; i++) {
            Finding f = now.get(i);
            DatedFinding d;
            if (ordered && next < before.size() && before.get(next).finding() == f) {
                d = before.get(next++); // the memo kept the finding: the same subject, the same finding
            } else if (ordered) {
                int c = -1;
                while (next < before.size() && (c = Finding.compareSubjects(before.get(next).finding(), f)) < 0) {
                    next++;
                }
                d = c == 0 ? before.get(next++) : null;
            } else {
                d = held.get(f.subject());
            }
            out[i] = d == null ? new DatedFinding(f, event)
                    : d.finding() == f || d.finding().equals(f) ? d : new DatedFinding(f, d.since());
            unchanged &= out[i] == (i < before.size() ? before.get(i) : null);
        }
        List<DatedFinding> dated = unchanged && out.length == before.size() ? before : List.of(out);
        inOrder = ordered ? dated : null;
        return dated;
    }

    // ------------------------------------------------------------------ what the fold has reached

    public String systemId() {
        return machine.systemId();
    }

    public String scenario() {
        return machine.scenario();
    }

    public int segment() {
        return machine.segment();
    }

    public Policy policy() {
        return machine.policy();
    }

    /** Events folded so far, SystemCreated included. */
    public long events() {
        return machine.eventCount();
    }

    /** The fresh boot the findings compare against, all of it: XEN-MODEL.md §5's expected state now. */
    public Xen expectedXen() {
        return Findings.expected(machine.hardware(), machine.xen());
    }

    /** The view after the last event folded, with its row lists (computed now for a cursor with rows on demand). */
    public MachineView view() {
        requireSettled();
        if (!view.hasRows()) {
            view = view.withRows(machine, viewMemo);
        }
        return view;
    }

    /**
     * From now on, folds compute only what changes a fold's record (Xen's bus2bridge entries, the hang, the findings
     * and their runs): the pdev, upstream, context and hardware rows are computed by {@link #view()} when asked.
     * {@link Advance#view()} and {@link Advance#viewBefore()} then have no row lists. What the views projection and
     * a read from a checkpoint use; what compares rows event by event (audit, diff, versions) does not.
     */
    public TimelineCursor rowsOnDemand() {
        rowsOnDemand = true;
        return this;
    }

    public List<DatedFinding> findings() {
        requireSettled();
        return findings;
    }

    private void requireSettled() {
        if (deferredFrom != null) {
            throw new IllegalStateException("the view of a deferred cursor is not settled yet");
        }
    }

    /**
     * The steps started so far, the last one as far as it has got: all of them for a cursor started at event 1,
     * those from {@link #firstStep()} on for one resumed from a checkpoint or after {@link #forgetFinalSteps()}.
     */
    public List<StepRecord> steps() {
        return List.copyOf(steps);
    }

    /** The index of the first step {@link #steps()} lists. */
    public int firstStep() {
        return firstStep;
    }

    /**
     * The fold of the last event ({@link #events()}); for a new cursor, the SystemCreated against an empty view;
     * null for a resumed cursor that has not folded an event yet.
     */
    public Advance latest() {
        return latest;
    }
}
