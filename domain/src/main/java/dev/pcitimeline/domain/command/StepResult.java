package dev.pcitimeline.domain.command;

import dev.pcitimeline.domain.value.Outcome;

/**
 * What running a step did: its index, its outcome, and the first and last event it produced
 * (event numbers are 1-based per system; both 0 when it produced none), plus the events
 * the system has after it.
 */
public record StepResult(int step, Outcome outcome, long firstEvent, long lastEvent, long events) {
    public boolean producedEvents() {
        return firstEvent > 0;
    }
}
