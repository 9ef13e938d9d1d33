package dev.pcitimeline.projections.timeline;

import dev.pcitimeline.domain.value.Outcome;

/**
 * One step as far as the fold has seen it: its StepStarted marker, the first and last event
 * it produced so far (0 when none: the marker itself does not count, as in
 * {@code StepResult}) and its outcome so far under the fold's policy.
 */
public record StepRecord(int index, String keyword, String text, long markerEvent, long firstEvent, long lastEvent,
                         Outcome outcome) {

    public boolean producedEvents() {
        return firstEvent > 0;
    }

    StepRecord produced(long event, Outcome outcomeSoFar) {
        return new StepRecord(index, keyword, text, markerEvent, firstEvent == 0 ? event : firstEvent, event,
                outcomeSoFar);
    }

    /** This step as the state at {@code event} (>= the marker) sees it; the outcome is the caller's. */
    public StepRecord upTo(long event, Outcome outcomeThen) {
        if (firstEvent == 0 || event < firstEvent) {
            return new StepRecord(index, keyword, text, markerEvent, 0, 0, outcomeThen);
        }
        return new StepRecord(index, keyword, text, markerEvent, firstEvent, Math.min(lastEvent, event), outcomeThen);
    }
}
