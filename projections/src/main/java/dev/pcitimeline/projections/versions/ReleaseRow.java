package dev.pcitimeline.projections.versions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * One policy's row of {@code versions}: the system's whole stored history folded under that policy, set against the
 * same history under {@code xen-4.4} (the baseline).
 *
 * @param policy         the policy's name
 * @param released       true for a Xen release, false for a fix of the original report that no release has
 * @param hung           whether Xen hung at any event of the history under this policy
 * @param hungStep       the step of the event where it first hung, null when it never did
 * @param hungEvent      that event, null when it never hung
 * @param hungAtEnd      whether it is still hung after the last event (a later {@code xen-boot} un-hangs it)
 * @param findings       the findings after the last event: kind -> how many, in XEN-MODEL.md §5's order
 * @param outcomes       the steps whose outcome under this policy differs from the baseline's, in step order
 * @param departsAtEvent the first event after which this policy's state object differs from the baseline's (what
 *                       {@code diff?policy=xen-4.4&vs=P} would list there), null when it never does
 * @param departsAtStep  the step of that event, null with it
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"policy", "released", "hung", "hungStep", "hungEvent", "hungAtEnd", "findings", "outcomes",
        "departsAtEvent", "departsAtStep"})
public record ReleaseRow(String policy, boolean released, boolean hung, Integer hungStep, Long hungEvent,
                         boolean hungAtEnd, Map<String, Integer> findings, List<OutcomeChange> outcomes,
                         Long departsAtEvent, Integer departsAtStep) {

    public ReleaseRow {
        outcomes = List.copyOf(outcomes);
    }

    /** A step whose outcome differs: {@code baseline} under xen-4.4, {@code outcome} under this policy. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"step", "text", "baseline", "outcome"})
    public record OutcomeChange(int step, String text, String baseline, String outcome) {
    }
}
