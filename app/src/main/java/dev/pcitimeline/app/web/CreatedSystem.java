package dev.pcitimeline.app.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.pcitimeline.projections.query.StateDocument.ExpectationEntry;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The answer to {@code POST /api/systems}: API.md's {@code {system, event, step}}, plus what the
 * scenario was replayed as and the results of its {@code expect} blocks.
 */
@JsonPropertyOrder({"system", "event", "step", "scenario", "policy", "passed", "expectations"})
@Schema(description = "A system created from a scenario, after all its steps ran")
public record CreatedSystem(
        @Schema(description = "the new system's id: the scenario name and a random suffix", example = "seed-assign-busses-7f3c")
        String system,
        @Schema(description = "how many events the system has now", example = "57")
        long event,
        @Schema(description = "index of the last step run, -1 when the scenario has no steps", example = "12")
        int step,
        @Schema(description = "the scenario's name", example = "seed-assign-busses")
        String scenario,
        @Schema(description = "the Xen build the system runs", example = "xen-4.4")
        String policy,
        @Schema(description = "true when every expectation of the scenario's expect blocks held")
        boolean passed,
        @Schema(description = "one result per key of every expect block, in file order")
        List<ExpectationEntry> expectations) {

    public CreatedSystem {
        expectations = List.copyOf(expectations);
    }
}
