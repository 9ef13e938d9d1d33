package dev.pcitimeline.app.web;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.audit.AuditQueries;
import dev.pcitimeline.projections.audit.Bus2BridgeAudit;
import dev.pcitimeline.projections.audit.PdevAudit;
import dev.pcitimeline.projections.diff.DiffQueries;
import dev.pcitimeline.projections.diff.StateDiff;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.query.SystemSummary;
import dev.pcitimeline.projections.query.UnknownSystemException;
import dev.pcitimeline.projections.versions.ReleaseRow;
import dev.pcitimeline.projections.versions.VersionsQueries;
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

import java.util.Map;

/** Why an entry is what it is (audit) and what changed between two points or two policies (diff). Read only. */
@RestController
@ConditionalOnWebApplication // the service's: a command-line context has no use for it
@RequestMapping(path = "/api/systems/{system}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "analysis", description = "Audits of a bus2bridge entry or a pdev, diffs between points or policies, and"
        + " the history under every Xen release")
public class AnalysisController {
    private final AuditQueries audits;
    private final DiffQueries diffs;
    private final StateQueries queries;
    private final VersionsQueries versions;

    public AnalysisController(AuditQueries audits, DiffQueries diffs, StateQueries queries, VersionsQueries versions) {
        this.audits = audits;
        this.diffs = diffs;
        this.queries = queries;
        this.versions = versions;
    }

    @GetMapping("/audit/bus2bridge/{bus}")
    @Operation(summary = "How a bus2bridge entry came to be",
            description = "Every write to bus2bridge[bus] up to event N (default: now) under policy P (default: the"
                    + " system's own), each with its event, step, the Xen rule that wrote it (alloc_pdev fill,"
                    + " free_pdev copy, …), the entry before and after, the config reads behind it and a short"
                    + " explanation; plus the entry now, what a fresh boot would give, and the findings about the bus.")
    @ApiResponse(responseCode = "200", description = "the audit")
    @ApiResponse(responseCode = "400", description = "bus not in 0..255, at-event out of range or not a number,"
            + " unknown policy (`field` names it)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "unknown system",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    public Bus2BridgeAudit bus2bridge(
            @Parameter(description = "the system's id") @PathVariable("system") String system,
            @Parameter(description = "the bus number, 0..255: decimal, or hex with 0x (0x06)")
            @PathVariable("bus") String bus,
            @Parameter(description = "audit up to this event (1-based; default: now)")
            @RequestParam(name = QueryParameters.AT_EVENT, required = false) Integer atEvent,
            @Parameter(description = "the Xen build to fold under (default: the system's own)")
            @RequestParam(name = "policy", required = false) String policy) {
        int busNumber = busNumber(bus);
        Policy p = QueryParameters.policy("policy", policy);
        try {
            return audits.bus2bridge(system, busNumber, atEvent, p);
        } catch (IllegalArgumentException outOfRange) {
            throw new InvalidInputException(QueryParameters.AT_EVENT, outOfRange.getMessage());
        }
    }

    @GetMapping("/audit/pdev/{bdf}")
    @Operation(summary = "What happened to the pdev at a BDF",
            description = "Allocations, owner changes, context entries and removals of the pdev at that BDF up to"
                    + " event N under policy P; the function answering at the address now, whether the pdev is stale"
                    + " and why, and what a fresh boot would have there.")
    @ApiResponse(responseCode = "200", description = "the audit")
    @ApiResponse(responseCode = "400", description = "a BDF that does not parse or is in another segment,"
            + " at-event out of range, unknown policy (`field` names it)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "unknown system",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    public PdevAudit pdev(
            @Parameter(description = "the system's id") @PathVariable("system") String system,
            @Parameter(description = "the pdev's address, SSSS:BB:DD.F in hex (0000:06:00.0)")
            @PathVariable("bdf") String bdf,
            @Parameter(description = "audit up to this event (1-based; default: now)")
            @RequestParam(name = QueryParameters.AT_EVENT, required = false) Integer atEvent,
            @Parameter(description = "the Xen build to fold under (default: the system's own)")
            @RequestParam(name = "policy", required = false) String policy) {
        Bdf address;
        try {
            address = Bdf.parse(bdf);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("bdf", "bdf: " + e.getMessage());
        }
        Policy p = QueryParameters.policy("policy", policy);
        SystemSummary s = require(system);
        if (address.segment() != s.segment()) {
            throw new InvalidInputException("bdf", "bdf: " + address + " is not in segment "
                    + String.format("%04x", s.segment()) + " of system " + system);
        }
        try {
            return audits.pdev(system, address, atEvent, p);
        } catch (IllegalArgumentException outOfRange) {
            throw new InvalidInputException(QueryParameters.AT_EVENT, outOfRange.getMessage());
        }
    }

    @GetMapping("/diff")
    @Operation(summary = "What changed between two points, or between two policies",
            description = "Two events: `from` (default 1) and `to` (default: now), both under `policy` (default: the"
                    + " system's own). Two policies: `policy` (default: the system's own) and `vs`, both at `at-event`"
                    + " (default: now). Each change lists the value on both sides; unchanged entries are left out.")
    @ApiResponse(responseCode = "200", description = "the differences")
    @ApiResponse(responseCode = "400", description = "an event out of range or not a number, an unknown policy,"
            + " or from/to mixed with vs/at-event (`field` names it)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "unknown system",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    public StateDiff diff(
            @Parameter(description = "the system's id") @PathVariable("system") String system,
            @Parameter(description = "two events: the first point (1-based; default 1)")
            @RequestParam(name = "from", required = false) Integer from,
            @Parameter(description = "two events: the second point (default: now)")
            @RequestParam(name = "to", required = false) Integer to,
            @Parameter(description = "the policy of both points, or of the first side when comparing policies"
                    + " (default: the system's own)")
            @RequestParam(name = "policy", required = false) String policy,
            @Parameter(description = "two policies: the policy to compare with")
            @RequestParam(name = "vs", required = false) String vs,
            @Parameter(description = "two policies: the event both sides are at (default: now)")
            @RequestParam(name = QueryParameters.AT_EVENT, required = false) Integer atEvent) {
        Policy p = QueryParameters.policy("policy", policy);
        Policy other = QueryParameters.policy("vs", vs);
        SystemSummary s = require(system);
        if (other != null) {
            if (from != null || to != null) {
                throw new InvalidInputException(from != null ? "from" : "to",
                        "from/to compare two events, vs two policies: give one kind of diff");
            }
            inRange(s, QueryParameters.AT_EVENT, atEvent);
            return diffs.policies(system, atEvent, p, other);
        }
        if (atEvent != null) {
            throw new InvalidInputException(QueryParameters.AT_EVENT,
                    "at-event only goes with vs (two policies at one event); two events are from and to");
        }
        inRange(s, "from", from);
        inRange(s, "to", to);
        return diffs.events(system, from, to, p);
    }

    @GetMapping("/versions")
    @Operation(summary = "Which Xen release is affected: the history under every policy, against xen-4.4",
            description = "The system's whole history folded under every policy (each Xen release and the three"
                    + " fixes of the original report, `released` false), one object keyed by policy: whether Xen hung"
                    + " and the step and event where it first did, whether it is hung at the end, the findings at the"
                    + " end by kind with counts, the steps whose outcome differs from xen-4.4's (`baseline`), and the"
                    + " first event where the state object differs from xen-4.4's (what `diff?vs=` would list there)."
                    + " The same document as `pci-timeline versions FILE --json`.")
    @ApiResponse(responseCode = "200", description = "one row per policy, keyed by its name")
    @ApiResponse(responseCode = "404", description = "unknown system",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    public Map<String, ReleaseRow> versions(
            @Parameter(description = "the system's id") @PathVariable("system") String system) {
        return versions.versions(system);
    }

    private SystemSummary require(String system) {
        return queries.system(system).orElseThrow(() -> new UnknownSystemException(system));
    }

    private static void inRange(SystemSummary s, String name, Integer event) {
        if (event != null && (event < 1 || event > s.events())) {
            throw new InvalidInputException(name, name + ": event " + event + " is out of range: system " + s.system()
                    + " has events 1.." + s.events());
        }
    }

    /** {@code 6}, {@code 06} or {@code 0x06}; 0..255. */
    private static int busNumber(String text) {
        int value;
        try {
            value = text.startsWith("0x") || text.startsWith("0X")
                    ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("bus", "bus: '" + text + "' is not a bus number (decimal, or hex with 0x)");
        }
        if (value < 0 || value > 255) {
            throw new InvalidInputException("bus", "bus: " + text + " is out of range 0..255");
        }
        return value;
    }
}
