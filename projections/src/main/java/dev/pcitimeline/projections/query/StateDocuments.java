package dev.pcitimeline.projections.query;

import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.domain.view.MachineView;
import dev.pcitimeline.domain.view.MachineView.Bus2BridgeRow;
import dev.pcitimeline.domain.view.MachineView.ContextRow;
import dev.pcitimeline.domain.view.MachineView.HardwareRow;
import dev.pcitimeline.domain.view.MachineView.PdevRow;
import dev.pcitimeline.domain.view.MachineView.UpstreamRow;
import dev.pcitimeline.projections.query.StateDocument.Bus2BridgeMapping;
import dev.pcitimeline.projections.query.StateDocument.Context;
import dev.pcitimeline.projections.query.StateDocument.FindingEntry;
import dev.pcitimeline.projections.query.StateDocument.HardwareFunction;
import dev.pcitimeline.projections.query.StateDocument.Pdev;
import dev.pcitimeline.projections.query.StateDocument.StepEntry;
import dev.pcitimeline.projections.query.StateDocument.Upstream;
import dev.pcitimeline.projections.timeline.DatedFinding;
import dev.pcitimeline.projections.timeline.StepRecord;
import dev.pcitimeline.projections.timeline.TimelineCursor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The state object of a fold in memory, and the orderings both the fold and the tables use. */
public final class StateDocuments {
    /** Findings: in the order of XEN-MODEL.md §5's table (the enum's), then by subject. */
    static final Comparator<FindingEntry> FINDING_ORDER = Comparator
            .comparingInt((FindingEntry f) -> Finding.Kind.valueOf(f.kind()).ordinal())
            .thenComparing(FindingEntry::bus, Comparator.nullsFirst(Comparator.naturalOrder()))
            // one segment per system: BDF text order is bus, devfn order
            .thenComparing(FindingEntry::bdf, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(FindingEntry::domain, Comparator.nullsFirst(Comparator.naturalOrder()));

    private StateDocuments() {
    }

    /** The state a cursor has reached, under the cursor's policy (a cursor that has seen every step since event 1). */
    public static StateDocument of(TimelineCursor cursor) {
        if (cursor.firstStep() != 0) {
            throw new IllegalArgumentException("the cursor's steps start at " + cursor.firstStep() + ": give the ones"
                    + " before");
        }
        List<StepEntry> steps = new ArrayList<>(cursor.steps().size());
        for (StepRecord s : cursor.steps()) {
            steps.add(step(s));
        }
        return document(cursor, steps);
    }

    /**
     * The same for a cursor whose {@link TimelineCursor#steps()} start later ({@link TimelineCursor#firstStep()}):
     * {@code stepsBefore} are the steps before those, in chunks.
     */
    static StateDocument of(TimelineCursor cursor, StepList.Prefix stepsBefore) {
        if (stepsBefore.steps() != cursor.firstStep()) {
            throw new IllegalArgumentException("the cursor's steps start at " + cursor.firstStep() + ", "
                    + stepsBefore.steps() + " steps given before them");
        }
        List<StepEntry> rest = new ArrayList<>(cursor.steps().size());
        for (StepRecord s : cursor.steps()) {
            rest.add(step(s));
        }
        return document(cursor, new StepList(stepsBefore, rest));
    }

    /**
     * The same without its {@code steps} list: the tables and findings only, which is what a comparison of two
     * folds event by event needs (the steps list grows with the history; building it at every event would not).
     */
    public static StateDocument tables(TimelineCursor cursor) {
        return document(cursor, List.of());
    }

    private static StateDocument document(TimelineCursor cursor, List<StepEntry> steps) {
        MachineView v = cursor.view();
        List<Pdev> pdevs = new ArrayList<>();
        for (PdevRow r : v.pdevs()) {
            pdevs.add(new Pdev(r.bdf().toString(), r.type().name(), r.domain(), text(r.virtfnOf())));
        }
        List<Bus2BridgeMapping> bus2bridge = new ArrayList<>();
        for (Bus2BridgeRow r : v.bus2bridge()) {
            if (r.mapped()) {
                bus2bridge.add(new Bus2BridgeMapping(r.bus(), r.bridge().toString()));
            }
        }
        List<Upstream> upstream = new ArrayList<>();
        for (UpstreamRow r : v.upstream()) {
            upstream.add(new Upstream(r.bdf().toString(), r.result(), r.result() == 1 ? text(r.bridge()) : null,
                    r.result() == 1 ? r.secbus() : null));
        }
        List<Context> contexts = new ArrayList<>();
        for (ContextRow r : v.contexts()) {
            contexts.add(new Context(r.bdf().toString(), r.domain()));
        }
        List<HardwareFunction> hardware = new ArrayList<>();
        for (HardwareRow r : v.hardware()) {
            hardware.add(new HardwareFunction(r.bdf().toString(), r.id(), r.kind().text(),
                    r.buses() == null ? null : r.buses().asList()));
        }
        List<FindingEntry> findings = new ArrayList<>();
        for (DatedFinding d : cursor.findings()) {
            Finding f = d.finding();
            findings.add(new FindingEntry(f.kind().name(), f.bus(), text(f.bdf()), f.domain(), d.since(), f.message()));
        }
        findings.sort(FINDING_ORDER);
        return new StateDocument(cursor.scenario(), cursor.systemId(), cursor.policy().text(), cursor.segment(),
                cursor.events(), v.step(), v.hung(), pdevs, bus2bridge, upstream, contexts, hardware, findings, steps,
                List.of());
    }

    static StepEntry step(StepRecord s) {
        List<Long> events = s.producedEvents() ? List.of(s.firstEvent(), s.lastEvent()) : List.of();
        return new StepEntry(s.index(), s.keyword(), s.outcome().text(), events, s.text());
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
