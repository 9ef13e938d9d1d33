package dev.pcitimeline.projections.audit;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.BridgeBusNumbersWritten;
import dev.pcitimeline.domain.event.SegmentEvent.Dom0Booted;
import dev.pcitimeline.domain.event.SegmentEvent.FunctionPlugged;
import dev.pcitimeline.domain.event.SegmentEvent.FunctionUnplugged;
import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.view.MachineView.HardwareRow;
import dev.pcitimeline.projections.timeline.Advance;
import dev.pcitimeline.projections.timeline.StepRecord;
import dev.pcitimeline.projections.timeline.TimelineCursor;
import dev.pcitimeline.projections.views.EventHistory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The system's stored events folded once more by {@link EventHistory} (the same {@link TimelineCursor} and
 * {@code Machine.apply} as every view), with an {@link EventTrace} listening. Each event goes to a
 * {@link Listener} with what Xen did inside it; alongside, a few facts about the machine that explanations
 * quote (firmware registers, later register writes, unplugs). No Xen rule is evaluated here.
 */
final class AuditFold {

    interface Listener {
        void event(Advance advance, List<EventTrace.Item> items, AuditFold fold);
    }

    /** A register write to a bridge: {@code event}, where it was, what it held and what it got. */
    record BridgeWrite(long event, Bdf at, BridgeBuses before, BridgeBuses after, String writer) {
    }

    private final Map<String, BridgeBuses> firmware = new HashMap<>();
    private final Map<String, List<BridgeWrite>> bridgeWrites = new HashMap<>();
    private final Map<String, Long> unplugged = new HashMap<>();
    private Step.Reporting reporting = Step.Reporting.DISCOVERY;
    private TimelineCursor cursor;
    private int segment;

    private AuditFold() {
    }

    /** Folds events 1..{@code upTo} of {@code system} under {@code policy} (null: its own), feeding {@code listener}. */
    static AuditFold run(EventHistory history, String system, Policy policy, long upTo, Listener listener) {
        AuditFold fold = new AuditFold();
        EventTrace trace = new EventTrace();
        fold.cursor = history.fold(system, policy, upTo, trace, advance -> {
            List<EventTrace.Item> items = trace.drain();
            if (advance.payload() instanceof SegmentEvent.SystemCreated created) {
                fold.segment = created.segment();
                fold.rememberFirmware(created.topology());
            }
            // The listener sees the facts as they were before this event...
            listener.event(advance, items, fold);
            // ...then they take the event in.
            fold.note(advance);
        });
        return fold;
    }

    private void note(Advance advance) {
        SegmentEvent e = advance.payload();
        if (e instanceof BridgeBusNumbersWritten w) {
            bridgeWrites.computeIfAbsent(w.bridge(), k -> new ArrayList<>())
                    .add(new BridgeWrite(advance.event(), w.at(), w.before(), w.after(), w.writer()));
        } else if (e instanceof FunctionPlugged p) {
            rememberFirmware(List.of(p.function()));
            unplugged.remove(p.function().id());
        } else if (e instanceof FunctionUnplugged u) {
            for (String id : u.removed()) {
                unplugged.put(id, advance.event());
            }
        } else if (e instanceof Dom0Booted b) {
            reporting = b.reporting();
        }
    }

    private void rememberFirmware(List<FunctionSpec> specs) {
        for (FunctionSpec f : specs) {
            if (f.buses() != null) {
                firmware.put(f.id(), f.buses());
            }
            rememberFirmware(f.children());
        }
    }

    // ------------------------------------------------------------------ facts

    TimelineCursor cursor() {
        return cursor;
    }

    int segment() {
        return segment;
    }

    /** A bridge's registers as firmware (or the plug step) set them, null for an endpoint or an unknown id. */
    BridgeBuses firmware(String function) {
        return function == null ? null : firmware.get(function);
    }

    /** The last write to {@code function}'s bus registers after {@code event}, up to the audited point, or null. */
    BridgeWrite lastWriteAfter(String function, long event) {
        List<BridgeWrite> writes = function == null ? null : bridgeWrites.get(function);
        if (writes == null || writes.isEmpty() || writes.get(writes.size() - 1).event() <= event) {
            return null;
        }
        return writes.get(writes.size() - 1);
    }

    /** The event that unplugged {@code function} (and it has not come back), or null. */
    Long unpluggedAt(String function) {
        return unplugged.get(function);
    }

    /** How dom0 reports functions since its last boot. */
    Step.Reporting reporting() {
        return reporting;
    }

    // ------------------------------------------------------------------ helpers shared by the auditors

    /** The function config space reaches at {@code bdf} in a view's hardware rows, or null. */
    static HardwareRow answerAt(List<HardwareRow> hardware, Bdf bdf) {
        for (HardwareRow r : hardware) {
            if (r.bdf().equals(bdf)) {
                return r;
            }
        }
        return null;
    }

    /** Where config space reaches {@code function} in a view's hardware rows, or null. */
    static Bdf addressOf(List<HardwareRow> hardware, String function) {
        for (HardwareRow r : hardware) {
            if (r.id().equals(function)) {
                return r.bdf();
            }
        }
        return null;
    }

    static String stepText(Advance a) {
        StepRecord s = a.currentStep();
        return s == null ? null : s.text();
    }

    static String stepKeyword(Advance a) {
        StepRecord s = a.currentStep();
        return s == null ? null : s.keyword();
    }

    /** {@code step 1 dom0-boot}, or {@code before the first step}. */
    static String stepPhrase(Advance a) {
        StepRecord s = a.currentStep();
        return s == null ? "before the first step" : "step " + s.index() + " " + s.keyword();
    }

    static String hex(int bus) {
        return String.format("%02x", bus);
    }

    /** {@code 06..07}, or {@code 08} for a one-bus range. */
    static String range(int from, int to) {
        return from == to ? hex(from) : hex(from) + ".." + hex(to);
    }

    static List<ConfigReadEntry> reads(List<EventTrace.Item> items, int before, Bdf at) {
        List<ConfigReadEntry> out = new ArrayList<>();
        for (int i = 0; i < before; i++) {
            if (items.get(i) instanceof EventTrace.Read r && r.at().equals(at)) {
                out.add(new ConfigReadEntry(r.at().toString(), r.register(), r.value(), r.answeredBy()));
            }
        }
        return out;
    }

    /** The last read of {@code register} in {@code reads}, or null. */
    static ConfigReadEntry last(List<ConfigReadEntry> reads, String register) {
        ConfigReadEntry found = null;
        for (ConfigReadEntry r : reads) {
            if (r.register().equals(register)) {
                found = r;
            }
        }
        return found;
    }
}
