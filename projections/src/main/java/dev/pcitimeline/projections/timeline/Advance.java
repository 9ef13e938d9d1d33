package dev.pcitimeline.projections.timeline;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.view.MachineView;

import java.util.List;

/**
 * What folding one event did: the event's number and step, Xen's outcome under the fold's
 * policy (and the outcome recorded in the event, for Xen-visible events), the step as it stands
 * after the event, and the view and findings before and after.
 *
 * @param event           1-based event number of this system
 * @param payload         the event
 * @param outcome         Xen's answer under the fold's policy ({@code ok} for what Xen does not see)
 * @param recordedOutcome the outcome stored in a {@link SegmentEvent.XenObserved} event, else null
 * @param step            index of the step the event belongs to (-1 before the first)
 * @param currentStep     that step after this event, or null before the first step
 */
public record Advance(long event, SegmentEvent payload, Outcome outcome, Outcome recordedOutcome, int step,
                      StepRecord currentStep, MachineView viewBefore, List<DatedFinding> findingsBefore,
                      MachineView view, List<DatedFinding> findings) {

    /** The rows this event closed and opened; computed on demand (folds that only need the end state skip it). */
    public ViewDiff diff() {
        return ViewDiff.between(viewBefore, findingsBefore, view, findings);
    }

    /** Whether the stored outcome disagrees with the fold's (only meaningful under the recording policy). */
    public boolean outcomeDiffersFromRecorded() {
        return recordedOutcome != null && recordedOutcome != outcome;
    }
}
