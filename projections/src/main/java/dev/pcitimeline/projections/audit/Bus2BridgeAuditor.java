package dev.pcitimeline.projections.audit;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.BridgeBusNumbersWritten;
import dev.pcitimeline.domain.event.SegmentEvent.PciDeviceAddCalled;
import dev.pcitimeline.domain.event.SegmentEvent.PdevAllocatedAtBoot;
import dev.pcitimeline.domain.event.SegmentEvent.XenBooted;
import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.view.MachineView.Bus2BridgeRow;
import dev.pcitimeline.domain.xen.Bus2BridgeEntry;
import dev.pcitimeline.domain.xen.Bus2BridgeWriteCause.Rule;
import dev.pcitimeline.domain.xen.Pdev;
import dev.pcitimeline.projections.audit.Bus2BridgeAudit.Entry;
import dev.pcitimeline.projections.audit.Bus2BridgeAudit.Write;
import dev.pcitimeline.projections.audit.EventTrace.Item;
import dev.pcitimeline.projections.timeline.Advance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.pcitimeline.projections.audit.AuditFold.hex;
import static dev.pcitimeline.projections.audit.AuditFold.last;
import static dev.pcitimeline.projections.audit.AuditFold.range;

/**
 * Collects the changes of one bus2bridge entry during an {@link AuditFold} and explains each from the facts
 * the trace gave: which loop wrote it, the range that loop read from config space and who answered, the
 * pdev it was for. Explanations are written once the fold is over, since some quote what happened later
 * (a bridge's registers being renumbered after Xen read them).
 */
final class Bus2BridgeAuditor implements AuditFold.Listener {
    /** The "rule" of the entry going back to {0, 0, 0} when Xen boots (not a loop: Xen's state starts empty). */
    static final String RESET = "xen-boot reset";

    /** The range alloc_pdev filled for the pdev last allocated at a requester ID, from its reads. */
    private record Allocation(long event, int secondary, int subordinate) {
    }

    private final int bus;
    private final Map<Integer, Allocation> allocations = new HashMap<>();
    /** The rows, each with the explanation still to write. */
    private final List<Pending> pending = new ArrayList<>();

    private record Pending(Write row, Supplier<String> explanation) {
    }

    Bus2BridgeAuditor(int bus) {
        this.bus = bus;
    }

    @Override
    public void event(Advance advance, List<Item> items, AuditFold fold) {
        int segment = fold.segment();
        boolean traced = false;
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item instanceof EventTrace.Write w && w.bus() == bus) {
                traced = true;
                pending.add(write(advance, items, i, w, fold));
            }
        }
        Entry before = entry(advance.viewBefore().bus2bridge(), segment);
        Entry after = entry(advance.view().bus2bridge(), segment);
        if (!traced && !before.equals(after)) {
            // Only a Xen boot changes an entry outside Xen's loops: its state starts empty.
            String why = advance.payload() instanceof XenBooted
                    ? "xen-boot: Xen starts with empty state, so every bus2bridge entry is {0, 0, 0} (unmapped) again"
                    : "the entry changed outside Xen's loops";
            pending.add(new Pending(row(advance, advance.payload() instanceof XenBooted ? RESET : "unknown", before,
                    after, List.of()), () -> why));
        }
        rememberAllocations(advance, items);
    }

    /** The ranges alloc_pdev filled in this event, for a later free_pdev's explanation. */
    private void rememberAllocations(Advance advance, List<Item> items) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof EventTrace.Added a && a.pdev().type().fillsBus2Bridge()) {
                List<ConfigReadEntry> reads = AuditFold.reads(items, i, a.pdev().bdf());
                ConfigReadEntry s = last(reads, "secondary");
                ConfigReadEntry u = last(reads, "subordinate");
                if (s != null && u != null) {
                    allocations.put(a.pdev().bdf().rid(), new Allocation(advance.event(), s.value(), u.value()));
                }
            }
        }
    }

    List<Write> writes() {
        List<Write> out = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            Write r = p.row();
            out.add(new Write(r.event(), r.step(), r.stepText(), r.operation(), r.outcome(), r.rule(), r.before(),
                    r.after(), r.reads(), p.explanation().get()));
        }
        return out;
    }

    // ------------------------------------------------------------------ one write

    private Pending write(Advance advance, List<Item> items, int i, EventTrace.Write w, AuditFold fold) {
        int segment = fold.segment();
        Entry before = Entry.of(w.before(), segment);
        Entry after = Entry.of(w.after(), segment);
        switch (w.rule()) {
            case ALLOC_FILL: {
                Pdev pdev = w.cause().pdev();
                List<ConfigReadEntry> reads = AuditFold.reads(items, i, pdev.bdf());
                return new Pending(row(advance, w.rule().text(), before, after, reads),
                        () -> allocFill(advance, pdev, reads, fold));
            }
            case FREE_COPY: {
                Pdev pdev = w.cause().pdev();
                List<ConfigReadEntry> reads = AuditFold.reads(items, i, pdev.bdf());
                Allocation added = allocations.get(pdev.bdf().rid());
                return new Pending(row(advance, w.rule().text(), before, after, reads),
                        () -> freeCopy(pdev, reads, added, w.after(), fold));
            }
            case INVALIDATE_LOOP: {
                Pdev pdev = w.cause().pdev();
                String why = "fix-invalidate-loop: after free_pdev of " + pdev.bdf().shortText()
                        + " copied its entries, find_upstream_bridge from bus " + hex(bus) + " gave -1 (the walk never ends)"
                        + ", so entry " + hex(bus) + " lost its map bit; it still names " + Bdf.of(segment, w.after().bus(),
                        w.after().devfn()).shortText() + " but nothing reads that";
                return new Pending(row(advance, w.rule().text(), before, after, List.of()), () -> why);
            }
            case TRAP_COPY:
            case TRAP_FILL: {
                String why = trap(advance.payload(), w, segment);
                return new Pending(row(advance, w.rule().text(), before, after, List.of()), () -> why);
            }
            case FROZEN:
            default: {
                List<ConfigReadEntry> reads = AuditFold.reads(items, i, w.cause().pdev().bdf());
                String why = frozen(items, i, reads, w, segment);
                return new Pending(row(advance, w.rule().text(), before, after, reads), () -> why);
            }
        }
    }

    private static Write row(Advance a, String rule, Entry before, Entry after, List<ConfigReadEntry> reads) {
        return new Write(a.event(), a.step(), AuditFold.stepText(a), Operations.of(a.payload()), a.outcome().text(),
                rule, before, after, reads, null);
    }

    /**
     * alloc_pdev's fill: who was allocated, what its registers held (firmware values, about to be renumbered?),
     * and whether the entry now names a bridge on its own bus.
     */
    private String allocFill(Advance advance, Pdev pdev, List<ConfigReadEntry> reads, AuditFold fold) {
        Bdf at = pdev.bdf();
        String who = at.shortText() + (pdev.allocatedFor() == null ? "" : " (" + pdev.allocatedFor() + ")");
        ConfigReadEntry s = last(reads, "secondary");
        ConfigReadEntry u = last(reads, "subordinate");
        StringBuilder b = new StringBuilder();
        SegmentEvent e = advance.payload();
        if (e instanceof PdevAllocatedAtBoot) {
            b.append("Xen's boot scan found ").append(who);
        } else if (e instanceof PciDeviceAddCalled add && !add.bdf().equals(at)) {
            b.append("adding virtual function ").append(add.bdf().shortText()).append(" first added its PF ").append(who);
        } else if (e instanceof PciDeviceAddCalled add) {
            b.append(add.caller()).append(" reported ").append(who);
            String keyword = AuditFold.stepKeyword(advance);
            boolean enumerating = "dom0-boot".equals(keyword) || "dom0-rescan".equals(keyword) || "plug".equals(keyword);
            if ("dom0".equals(add.caller()) && enumerating && fold.reporting() == Step.Reporting.DISCOVERY) {
                b.append(" at discovery");
            }
            b.append(" during ").append(AuditFold.stepPhrase(advance));
        } else {
            b.append("alloc_pdev ran for ").append(who);
        }
        if (s != null && u != null) {
            BridgeBuses firmware = fold.firmware(pdev.allocatedFor());
            AuditFold.BridgeWrite later = fold.lastWriteAfter(pdev.allocatedFor(), advance.event());
            boolean boot = e instanceof PdevAllocatedAtBoot;
            if (firmware != null && firmware.secondary() == s.value() && firmware.subordinate() == u.value()) {
                b.append(later != null && !boot ? " while its registers still held the firmware values "
                        : " with its firmware registers ").append(firmware);
            } else {
                b.append(" with secondary ").append(hex(s.value())).append(", subordinate ").append(hex(u.value()))
                        .append(" in its registers");
            }
            if (later != null) {
                b.append(" (").append(later.writer()).append(" later renumbered it: ").append(later.after())
                        .append(" since event ").append(later.event()).append(")");
            }
            b.append("; alloc_pdev classified it ").append(pdev.type()).append(", read secondary ").append(hex(s.value()))
                    .append(" and subordinate ").append(hex(u.value())).append(" and filled ")
                    .append(s.value() == u.value() ? "entry " : "entries ").append(range(s.value(), u.value()))
                    .append(" with ").append(at.shortText());
        } else {
            b.append("; alloc_pdev classified it ").append(pdev.type()).append(" and filled entry ").append(hex(bus))
                    .append(" with ").append(at.shortText());
        }
        if (at.bus() == bus) {
            b.append(", so entry ").append(hex(bus)).append(" points at a bridge on bus ").append(hex(bus))
                    .append(" itself: find_upstream_bridge from bus ").append(hex(bus)).append(" never ends");
        }
        return b.toString();
    }

    /** free_pdev's copy: the range read now (or remembered), the source entry, and what it leaves behind. */
    private String freeCopy(Pdev pdev, List<ConfigReadEntry> reads, Allocation added, Bus2BridgeEntry value,
                            AuditFold fold) {
        Bdf at = pdev.bdf();
        String source = "entry " + hex(at.bus()) + " (" + Entry.of(value, fold.segment()).text() + ")";
        ConfigReadEntry s = last(reads, "secondary");
        ConfigReadEntry u = last(reads, "subordinate");
        StringBuilder b = new StringBuilder("free_pdev of ").append(at.shortText());
        int from;
        int to;
        if (s != null && u != null) {
            from = s.value();
            to = u.value();
            b.append(" re-read secondary/subordinate now (").append(range(from, to));
            String answeredBy = s.answeredBy();
            if (answeredBy != null && !answeredBy.equals(pdev.allocatedFor())) {
                b.append(", from ").append(answeredBy).append(" which answers at ").append(at.shortText()).append(" now");
                if (fold.firmware(answeredBy) == null) {
                    b.append(": an endpoint's BAR2 bytes");
                }
            } else if (added != null && (added.secondary() != from || added.subordinate() != to)) {
                b.append(", the renumbered bridge");
            }
            b.append(") and copied ").append(source).append(" over ").append(range(from, to));
        } else if (pdev.rememberedRange() != null) {
            from = pdev.rememberedRange()[0];
            to = pdev.rememberedRange()[1];
            b.append(" copied ").append(source).append(" over the range alloc_pdev stored (")
                    .append(range(from, to)).append(", fix-remember-range)");
        } else {
            return b.append(" copied ").append(source).append(" over entry ").append(hex(bus)).toString();
        }
        if (added != null && (added.secondary() < from || added.subordinate() > to)
                && added.secondary() <= added.subordinate()) {
            b.append("; entries of the range it was added with (").append(range(added.secondary(), added.subordinate()))
                    .append(", at event ").append(added.event()).append(") outside ").append(range(from, to))
                    .append(" are never cleared");
        }
        return b.toString();
    }

    private String trap(SegmentEvent event, EventTrace.Write w, int segment) {
        if (!(event instanceof BridgeBusNumbersWritten e)) {
            return "fix-trap-bus-writes " + (w.rule() == Rule.TRAP_COPY ? "copied" : "filled") + " entry " + hex(bus);
        }
        String trapped = "fix-trap-bus-writes trapped " + e.writer() + "'s write of " + e.bridge() + " at "
                + e.at().shortText() + " (" + e.before() + " -> " + e.after() + ")";
        if (w.rule() == Rule.TRAP_COPY) {
            return trapped + " and, as free_pdev would, copied entry " + hex(e.at().bus()) + " ("
                    + Entry.of(w.after(), segment).text() + ") over the old range "
                    + range(e.before().secondary(), e.before().subordinate());
        }
        return trapped + " and, as alloc_pdev would, filled the new range "
                + range(e.after().secondary(), e.after().subordinate()) + " with " + e.at().shortText();
    }

    /** The hung loop: the range that ends at ff, and what it keeps writing. */
    private String frozen(List<Item> items, int i, List<ConfigReadEntry> reads, EventTrace.Write w, int segment) {
        String where = null;
        for (int k = i + 1; k < items.size() && where == null; k++) {
            if (items.get(k) instanceof EventTrace.Hung h) {
                where = h.where();
            }
        }
        StringBuilder b = new StringBuilder("Xen hung in ").append(where == null ? "a bus2bridge loop" : where);
        ConfigReadEntry s = last(reads, "secondary");
        ConfigReadEntry u = last(reads, "subordinate");
        if (s != null && u != null) {
            b.append(": it read secondary ").append(hex(s.value())).append(", subordinate ").append(hex(u.value()))
                    .append(" at ").append(Bdf.parse(s.at()).shortText());
            if (s.answeredBy() == null) {
                b.append(" where nothing answers any more (all ones)");
            }
        }
        b.append("; with subordinate ff the 8-bit loop counter wraps and the loop never ends, so, frozen inside it,"
                + " every entry holds ").append(Entry.of(w.after(), segment).text());
        return b.toString();
    }

    // ------------------------------------------------------------------ helpers

    private Entry entry(List<Bus2BridgeRow> rows, int segment) {
        for (Bus2BridgeRow r : rows) {
            if (r.bus() == bus) {
                return Entry.of(new Bus2BridgeEntry(r.mapped(), r.bridge().bus(), r.bridge().devfn()), segment);
            }
        }
        return Entry.INITIAL;
    }

}
