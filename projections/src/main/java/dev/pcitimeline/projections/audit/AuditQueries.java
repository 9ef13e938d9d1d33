package dev.pcitimeline.projections.audit;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.BusNumber;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.domain.view.MachineView.Bus2BridgeRow;
import dev.pcitimeline.domain.view.MachineView.HardwareRow;
import dev.pcitimeline.domain.view.MachineView.PdevRow;
import dev.pcitimeline.domain.xen.Bus2BridgeEntry;
import dev.pcitimeline.domain.xen.Pdev;
import dev.pcitimeline.projections.audit.Bus2BridgeAudit.Entry;
import dev.pcitimeline.projections.audit.Bus2BridgeAudit.Write;
import dev.pcitimeline.projections.audit.PdevAudit.Answer;
import dev.pcitimeline.projections.audit.PdevAudit.Current;
import dev.pcitimeline.projections.audit.PdevAudit.Happening;
import dev.pcitimeline.projections.query.StateDocument.FindingEntry;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.query.SystemSummary;
import dev.pcitimeline.projections.query.UnknownSystemException;
import dev.pcitimeline.projections.timeline.DatedFinding;
import dev.pcitimeline.projections.timeline.TimelineCursor;
import dev.pcitimeline.projections.views.EventHistory;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Explains how a bus2bridge entry or a pdev came to be (API.md's audit). Each audit folds the system's stored
 * events once more with the same {@link TimelineCursor} and {@code Machine.apply} as every view, under any
 * policy, with a trace listening to what Xen does inside each event: the writes, the config reads behind them
 * and the pdevs they were for come from the one model, never from a second copy of a Xen rule.
 */
@Service
public class AuditQueries {
    private final StateQueries queries;
    private final EventHistory history;

    public AuditQueries(StateQueries queries, EventHistory history) {
        this.queries = queries;
        this.history = history;
    }

    /**
     * Every write to {@code bus2bridge[bus]} of {@code system} up to event {@code atEvent} (null: now), under
     * {@code policyOrNull} (null: the system's own), each explained, with the entry's value, the value a fresh
     * boot gives and the findings about the bus at that point.
     *
     * @throws UnknownSystemException   no such system in the views
     * @throws IllegalArgumentException {@code bus} outside 0..255 or {@code atEvent} outside the system's events
     */
    public Bus2BridgeAudit bus2bridge(String system, int bus, Integer atEvent, Policy policyOrNull) {
        BusNumber.check("bus", bus);
        SystemSummary s = require(system);
        long n = resolve(s, atEvent);
        Bus2BridgeAuditor auditor = new Bus2BridgeAuditor(bus);
        AuditFold fold = AuditFold.run(history, system, policyOrNull, n, auditor);
        TimelineCursor cursor = fold.cursor();
        int segment = fold.segment();
        Entry current = Entry.INITIAL;
        for (Bus2BridgeRow r : cursor.view().bus2bridge()) {
            if (r.bus() == bus) {
                current = Entry.of(new Bus2BridgeEntry(r.mapped(), r.bridge().bus(), r.bridge().devfn()), segment);
            }
        }
        Entry expected = Entry.of(cursor.expectedXen().bus2bridge(bus), segment);
        List<FindingEntry> findings = findings(cursor,
                f -> (f.bus() != null && f.bus() == bus) || f.kind() == Finding.Kind.XEN_HUNG);
        List<Write> writes = auditor.writes();

        List<String> summary = new ArrayList<>();
        String name = "bus2bridge[" + AuditFold.hex(bus) + "]";
        summary.add(name + " after event " + n + " under " + cursor.policy() + ": " + current.text()
                + "; a fresh boot on this hardware gives " + expected.text());
        if (writes.isEmpty()) {
            summary.add("never changed since the system was created");
        } else {
            Write lastWrite = writes.get(writes.size() - 1);
            summary.add("changed " + writes.size() + " time" + (writes.size() == 1 ? "" : "s") + "; the value it holds"
                    + " was written at event " + lastWrite.event() + " by " + lastWrite.rule() + " ("
                    + lastWrite.operation() + ")");
        }
        addFindingLines(summary, findings);
        return new Bus2BridgeAudit(cursor.scenario(), system, cursor.policy().text(), n, cursor.view().step(),
                bus, current, expected, findings, writes, summary);
    }

    /**
     * What happened to the pdev at {@code bdf} of {@code system} up to event {@code atEvent} (null: now), under
     * {@code policyOrNull} (null: the system's own): allocations, owner changes, context entries, what answers at
     * its address, removals; whether it is stale and why.
     *
     * @throws UnknownSystemException   no such system in the views
     * @throws IllegalArgumentException {@code bdf} in another segment, or {@code atEvent} outside the system's events
     */
    public PdevAudit pdev(String system, Bdf bdf, Integer atEvent, Policy policyOrNull) {
        Objects.requireNonNull(bdf, "bdf");
        SystemSummary s = require(system);
        if (bdf.segment() != s.segment()) {
            throw new IllegalArgumentException("bdf " + bdf + " is not in segment " + String.format("%04x", s.segment())
                    + " of system " + system);
        }
        long n = resolve(s, atEvent);
        PdevAuditor auditor = new PdevAuditor(bdf);
        AuditFold fold = AuditFold.run(history, system, policyOrNull, n, auditor);
        TimelineCursor cursor = fold.cursor();

        Current current = null;
        for (PdevRow r : cursor.view().pdevs()) {
            if (r.bdf().equals(bdf)) {
                Happening allocated = auditor.allocation();
                current = new Current(r.type().name(), r.domain(), r.virtfnOf() == null ? null : r.virtfnOf().toString(),
                        r.allocatedFor(), allocated == null ? null : allocated.event());
            }
        }
        List<HardwareRow> hardware = cursor.view().hardware();
        HardwareRow answering = AuditFold.answerAt(hardware, bdf);
        Answer answersNow = answering == null ? null : new Answer(answering.id(), answering.kind().text());
        boolean stale = current != null && !Objects.equals(answersNow == null ? null : answersNow.id(),
                current.allocatedFor());
        String staleBecause = stale ? staleBecause(current, answersNow, auditor, fold, hardware) : null;
        Pdev expected = cursor.expectedXen().pdev(bdf.bus(), bdf.devfn());
        String expectedType = expected == null ? null : expected.type().name();
        List<FindingEntry> findings = findings(cursor, f -> bdf.equals(f.bdf()));
        List<Happening> happenings = auditor.history();

        List<String> summary = new ArrayList<>();
        String where = bdf + " after event " + n + " under " + cursor.policy() + ": ";
        if (current != null) {
            summary.add(where + "a " + current.type() + " pdev owned by "
                    + (current.domain() == null ? "no domain" : "d" + current.domain()) + ", allocated for "
                    + (current.allocatedFor() == null ? "nothing" : current.allocatedFor())
                    + (current.allocatedAt() == null ? "" : " at event " + current.allocatedAt()));
        } else {
            Happening gone = null;
            for (Happening h : happenings) {
                if (h.what().equals("removed") || h.what().equals("reset")) {
                    gone = h;
                }
            }
            summary.add(where + "no pdev" + (gone == null ? " (Xen never allocated one there)"
                    : " (last dropped at event " + gone.event() + ": " + gone.operation() + ")"));
        }
        summary.add("now " + (answersNow == null ? "nothing answers at " + bdf.shortText()
                : answersNow.id() + " (" + answersNow.kind() + ") answers at " + bdf.shortText()));
        if (stale) {
            summary.add("stale: " + staleBecause);
        }
        summary.add("a fresh boot on this hardware has " + (expectedType == null ? "no pdev there"
                : "a " + expectedType + " pdev there"));
        addFindingLines(summary, findings);
        return new PdevAudit(cursor.scenario(), system, cursor.policy().text(), n, cursor.view().step(),
                bdf.toString(), current, answersNow, stale, staleBecause, expectedType, findings, happenings, summary);
    }

    /** "allocated for tundra at event 10 (step 0 xen-boot); since event 20 (…) tundra no longer answers …". */
    private static String staleBecause(Current current, Answer answersNow, PdevAuditor auditor, AuditFold fold,
                                       List<HardwareRow> hardware) {
        Happening allocated = auditor.allocation();
        Happening left = auditor.left();
        StringBuilder b = new StringBuilder();
        String function = current.allocatedFor();
        String at = "";
        if (allocated != null) {
            at = " at event " + allocated.event() + " (" + auditor.allocationStep() + ")";
        }
        if (function == null) {
            b.append("allocated").append(at).append(" when nothing answered there (so Xen classified it ")
                    .append(current.type()).append(")");
        } else {
            b.append("allocated for ").append(function).append(at);
            if (left != null) {
                b.append("; since event ").append(left.event()).append(" (").append(auditor.leftStep()).append(": ")
                        .append(left.operation()).append(") ").append(function).append(" no longer answers there");
            }
        }
        b.append("; now ").append(answersNow == null ? "nothing answers there" : answersNow.id() + " answers there");
        if (function != null) {
            Bdf moved = AuditFold.addressOf(hardware, function);
            Long unplugged = fold.unpluggedAt(function);
            if (moved != null) {
                b.append(" and ").append(function).append(" answers at ").append(moved.shortText());
            } else if (unplugged != null) {
                b.append(" and ").append(function).append(" was unplugged at event ").append(unplugged);
            } else {
                b.append(" and config space reaches ").append(function).append(" nowhere");
            }
        }
        return b.toString();
    }

    private static List<FindingEntry> findings(TimelineCursor cursor, Predicate<Finding> about) {
        List<FindingEntry> out = new ArrayList<>();
        for (DatedFinding d : cursor.findings()) {
            Finding f = d.finding();
            if (about.test(f)) {
                out.add(new FindingEntry(f.kind().name(), f.bus(), f.bdf() == null ? null : f.bdf().toString(),
                        f.domain(), d.since(), f.message()));
            }
        }
        return out;
    }

    private static void addFindingLines(List<String> summary, List<FindingEntry> findings) {
        if (findings.isEmpty()) {
            summary.add("no finding holds for it");
        }
        for (FindingEntry f : findings) {
            summary.add(f.kind() + " since event " + f.since() + ": " + f.message());
        }
    }

    private SystemSummary require(String system) {
        return queries.system(system).orElseThrow(() -> new UnknownSystemException(system));
    }

    /** The point audited: {@code atEvent} (1..events) or now. */
    private static long resolve(SystemSummary s, Integer atEvent) {
        if (atEvent == null) {
            return s.events();
        }
        if (atEvent < 1 || atEvent > s.events()) {
            throw new IllegalArgumentException("at-event " + atEvent + " is out of range: system " + s.system()
                    + " has events 1.." + s.events());
        }
        return atEvent;
    }
}
