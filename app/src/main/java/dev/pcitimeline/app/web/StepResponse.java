package dev.pcitimeline.app.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** The answer to {@code POST /api/systems/{system}/steps}: API.md's {@code {step, outcome, events}}, plus the system's event count. */
@JsonPropertyOrder({"step", "outcome", "events", "system", "event"})
@Schema(description = "One step that ran")
public record StepResponse(
        @Schema(description = "the step's index in the system (0-based)", example = "6")
        int step,
        @Schema(description = "ok, a Xen errno name (ENODEV, EBUSY, EINVAL, EPERM) or HUNG; a refused hypercall is a 200 with its errno here",
                example = "ENODEV")
        String outcome,
        @Schema(description = "first and last event the step produced; [] when it produced none", example = "[58, 61]")
        List<Long> events,
        @Schema(description = "the system", example = "seed-assign-busses-7f3c")
        String system,
        @Schema(description = "how many events the system has after the step", example = "61")
        long event) {

    public StepResponse {
        events = List.copyOf(events);
    }
}
