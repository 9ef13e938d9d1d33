package dev.pcitimeline.projections.versions;

import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.domain.view.MachineView;
import dev.pcitimeline.projections.diff.DiffQueries;
import dev.pcitimeline.projections.query.StateDocuments;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.query.SystemSummary;
import dev.pcitimeline.projections.query.UnknownSystemException;
import dev.pcitimeline.projections.timeline.DatedFinding;
import dev.pcitimeline.projections.timeline.StepRecord;
import dev.pcitimeline.projections.timeline.TimelineCursor;
import dev.pcitimeline.projections.versions.ReleaseRow.OutcomeChange;
import dev.pcitimeline.projections.views.EventHistory;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "Which Xen release is affected?": a system's stored history folded once under every policy (in lockstep, the
 * events read once, each fold the same {@link TimelineCursor} and {@code Machine.apply} as every view), each set
 * against {@code xen-4.4}. Whether two states differ is decided by {@link DiffQueries#between}, the compare mode's
 * own rule, so "departs at event N" is exactly the first event where compare mode shows a difference.
 */
@Service
public class VersionsQueries {
    /** What every row is compared with: the release the original report is about. */
    public static final Policy BASELINE = Policy.XEN_4_4;

    private final StateQueries queries;
    private final EventHistory history;

    public VersionsQueries(StateQueries queries, EventHistory history) {
        this.queries = queries;
        this.history = history;
    }

    /**
     * One row per policy, keyed by the policy's name in {@link Policy#values()} order, for the history the views
     * have processed now.
     *
     * @throws UnknownSystemException no such system in the views
     */
    public Map<String, ReleaseRow> versions(String system) {
        SystemSummary s = queries.system(system).orElseThrow(() -> new UnknownSystemException(system));
        List<Policy> policies = Arrays.asList(Policy.values());
        int base = policies.indexOf(BASELINE);
        List<Watch> watches = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++) {
            watches.add(new Watch());
        }
        List<TimelineCursor> cursors = history.fold(system, policies, s.events(), folds -> {
            TimelineCursor baseline = folds.get(base);
            for (int i = 0; i < folds.size(); i++) {
                watches.get(i).after(folds.get(i), i == base ? null : baseline);
            }
        });
        Map<String, ReleaseRow> rows = new LinkedHashMap<>();
        List<StepRecord> baselineSteps = cursors.get(base).steps();
        for (int i = 0; i < policies.size(); i++) {
            Policy p = policies.get(i);
            TimelineCursor c = cursors.get(i);
            Watch w = watches.get(i);
            rows.put(p.text(), new ReleaseRow(p.text(), p.released(), w.hungEvent != null, w.hungStep, w.hungEvent,
                    c.view().hung(), findingCounts(c.findings()), outcomeChanges(baselineSteps, c.steps()),
                    w.departsAtEvent, w.departsAtStep));
        }
        return Collections.unmodifiableMap(rows);
    }

    /** Kind -> count, in the order of the Kind enum (XEN-MODEL.md §5's table); kinds that do not hold left out. */
    private static Map<String, Integer> findingCounts(List<DatedFinding> findings) {
        int[] counts = new int[Finding.Kind.values().length];
        for (DatedFinding d : findings) {
            counts[d.finding().kind().ordinal()]++;
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Finding.Kind k : Finding.Kind.values()) {
            if (counts[k.ordinal()] > 0) {
                out.put(k.name(), counts[k.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The steps (same indexes on both sides: one history) whose outcome differs from the baseline's. */
    private static List<OutcomeChange> outcomeChanges(List<StepRecord> baseline, List<StepRecord> steps) {
        List<OutcomeChange> out = new ArrayList<>();
        for (int k = 0; k < steps.size(); k++) {
            StepRecord b = baseline.get(k);
            StepRecord s = steps.get(k);
            if (b.outcome() != s.outcome()) {
                out.add(new OutcomeChange(k, s.text(), b.outcome().text(), s.outcome().text()));
            }
        }
        return out;
    }

    /** What one policy's fold has shown so far: its first hang, and the first event its state left the baseline's. */
    private static final class Watch {
        Long hungEvent;
        Integer hungStep;
        Long departsAtEvent;
        Integer departsAtStep;
        /** The views last found equal (this fold's and the baseline's): unchanged lists need no new comparison. */
        private MachineView comparedOwn;
        private MachineView comparedBaseline;

        void after(TimelineCursor own, TimelineCursor baseline) {
            MachineView v = own.view();
            if (hungEvent == null && v.hung()) {
                hungEvent = own.events();
                hungStep = v.step();
            }
            if (baseline == null || departsAtEvent != null) {
                return;
            }
            MachineView b = baseline.view();
            if (sameLists(comparedOwn, v) && sameLists(comparedBaseline, b)) {
                return; // neither fold changed anything the state object shows since they were last equal
            }
            if (DiffQueries.between("policies", StateDocuments.tables(baseline), StateDocuments.tables(own)).summary()
                    .total() > 0) {
                departsAtEvent = own.events();
                departsAtStep = v.step();
            } else {
                comparedOwn = v;
                comparedBaseline = b;
            }
        }

        /** The same list instances: a fold keeps an unchanged list's instance from one event to the next. */
        private static boolean sameLists(MachineView before, MachineView now) {
            return before != null && before.hung() == now.hung() && before.pdevs() == now.pdevs()
                    && before.bus2bridge() == now.bus2bridge() && before.upstream() == now.upstream()
                    && before.contexts() == now.contexts() && before.hardware() == now.hardware()
                    && before.findings() == now.findings();
        }
    }
}
