package dev.pcitimeline.projections.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A system of {@code GET /api/systems?finding=KIND}: its summary as the unfiltered list prints it, plus when it
 * first had a finding of that kind.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SystemWithFinding(@JsonUnwrapped SystemSummary summary, FirstSeen finding) {

    /** The finding's kind and the first event at which one of that kind held. */
    @JsonPropertyOrder({"kind", "firstEvent"})
    public record FirstSeen(String kind, long firstEvent) {
    }
}
