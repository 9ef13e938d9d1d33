package dev.pcitimeline.projections.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One event of the timeline.
 *
 * @param step    the step it belongs to (-1: before the first)
 * @param time    when it was stored, ISO-8601 UTC
 * @param text    one line in Xen's and Linux's log style
 * @param outcome Xen's answer under the system's policy ({@code ok} for what Xen does not see)
 * @param payload the event as stored, JSON
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"event", "step", "type", "time", "text", "outcome", "payload"})
public record TimelineEntry(long event, int step, String type, String time, String text, String outcome,
                            @JsonRawValue String payload) {
}
