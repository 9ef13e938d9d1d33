package dev.pcitimeline.app.web;

import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.query.TimelineEntry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** A system's state at any point of its history, under any policy, and its timeline. Read only. */
@RestController
@ConditionalOnWebApplication // the service's: a command-line context has no use for it
@RequestMapping(path = "/api/systems/{system}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "history", description = "The state of a system at any event or step, under any Xen build, and its events")
public class HistoryController {
    private final StateQueries queries;

    public HistoryController(StateQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/state")
    @Operation(summary = "The state object at a point of the system's history",
            description = "API.md's state object: pdevs, bus2bridge, upstream walks, context entries, hardware,"
                    + " findings and steps, after event N or after step K (not both; default: now), under policy P"
                    + " (default: the system's own; another policy folds the same events in memory: what-if).")
    @ApiResponse(responseCode = "200", description = "the state object")
    @ApiResponse(responseCode = "400", description = "a parameter that is not a number, out of the system's range,"
            + " an unknown policy, or both at-event and at-step (`field` names it)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "unknown system",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    public StateDocument state(
            @Parameter(description = "the system's id") @PathVariable("system") String system,
            @Parameter(description = "the state after this event of the system (1-based, 1 = created)")
            @RequestParam(name = QueryParameters.AT_EVENT, required = false) Integer atEvent,
            @Parameter(description = "the state after this step (0-based, expect entries not counted)")
            @RequestParam(name = QueryParameters.AT_STEP, required = false) Integer atStep,
            @Parameter(description = "the Xen build to see the history under: xen-4.4, a release (xen-4.14,"
                    + " xen-4.16, xen-4.17, xen-4.20, xen-4.22; XEN-MODEL.md §4b) or a fix of the report"
                    + " (fix-invalidate-loop, fix-remember-range, fix-trap-bus-writes; §4)")
            @RequestParam(name = "policy", required = false) String policy) {
        QueryParameters.onePoint(atEvent, atStep);
        Policy p = QueryParameters.policy("policy", policy);
        try {
            return queries.state(system, atEvent, atStep, p);
        } catch (IllegalArgumentException outOfRange) {
            throw new InvalidInputException(QueryParameters.pointField(atEvent), outOfRange.getMessage());
        }
    }

    @GetMapping("/events")
    @Operation(summary = "The timeline: the system's events",
            description = "Events from..to (inclusive, both optional), each with its step, type, time, one line in"
                    + " Xen's and Linux's log style, Xen's answer and the stored payload.")
    @ApiResponse(responseCode = "200", description = "the events, oldest first (empty past the last one)")
    @ApiResponse(responseCode = "400", description = "from or to not a positive number, or to before from",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "unknown system",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    public List<TimelineEntry> events(
            @Parameter(description = "the system's id") @PathVariable("system") String system,
            @Parameter(description = "first event (1-based; default 1)")
            @RequestParam(name = "from", required = false) Long from,
            @Parameter(description = "last event (default: the last)")
            @RequestParam(name = "to", required = false) Long to) {
        QueryParameters.eventRange(from, to);
        return queries.timeline(system, from, to);
    }
}
