package dev.pcitimeline.domain.machine;

import dev.pcitimeline.domain.event.ConfigRead;
import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.xen.XenTrace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Folds each event a step emits into a scratch machine as it is emitted (so dom0 sees the
 * hardware its own writes made) and keeps the event with its observed outcome and reads.
 */
final class EventRecorder {
    private final Machine machine;
    private final List<SegmentEvent> events = new ArrayList<>();
    private final List<Consumer<Outcome>> xenOutcomeListeners = new ArrayList<>();

    EventRecorder(Machine machine) {
        this.machine = machine;
    }

    void listen(Consumer<Outcome> onXenOutcome) {
        xenOutcomeListeners.add(onXenOutcome);
    }

    /** Folds {@code event} and records it; returns Xen's outcome for it. */
    Outcome emit(SegmentEvent event) {
        ReadCollector reads = new ReadCollector();
        Outcome outcome = machine.apply(event, reads);
        if (event instanceof SegmentEvent.XenObserved<?> observed) {
            event = observed.observed(outcome, List.copyOf(reads.reads));
            for (Consumer<Outcome> l : xenOutcomeListeners) {
                l.accept(outcome);
            }
        }
        events.add(event);
        return outcome;
    }

    List<SegmentEvent> events() {
        return events;
    }

    private static final class ReadCollector implements XenTrace {
        private final List<ConfigRead> reads = new ArrayList<>();

        @Override
        public void configRead(Bdf at, String register, int value, String answeredBy) {
            reads.add(new ConfigRead(at, register, value, answeredBy));
        }
    }
}
