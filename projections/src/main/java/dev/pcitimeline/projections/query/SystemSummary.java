package dev.pcitimeline.projections.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A system as the views know it.
 *
 * @param created     when its SystemCreated was stored, ISO-8601 UTC
 * @param events      events the projection has processed (the state "now")
 * @param steps       steps started so far
 * @param failedEvent the event its fold could not apply (views stop before it), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"system", "scenario", "description", "policy", "segment", "created", "events", "steps",
        "failedEvent", "failure"})
public record SystemSummary(String system, String scenario, String description, String policy, int segment,
                            String created, long events, int steps, Long failedEvent, String failure) {
}
