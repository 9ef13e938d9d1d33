package dev.pcitimeline.domain.machine;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.value.Outcome;

import java.util.List;

/** What one step produced: its index, its outcome and its events (StepStarted first). */
public record StepRecording(int index, Outcome outcome, List<SegmentEvent> events) {
    public StepRecording {
        events = List.copyOf(events);
    }
}
