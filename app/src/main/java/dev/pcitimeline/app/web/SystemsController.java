package dev.pcitimeline.app.web;

import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.query.SystemSummary;
import dev.pcitimeline.projections.query.UnknownSystemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/** Systems: create one from a scenario, list them, run one more step on one (API.md, "Service"). */
@RestController
@ConditionalOnWebApplication // the service's: a command-line context has no use for it
@RequestMapping(path = "/api/systems", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "systems", description = "Create simulated systems from scenarios and drive them step by step")
public class SystemsController {
    /** Scenario and step bodies: YAML or JSON (JSON is YAML to the parser); text/plain for hand-typed curl calls. */
    static final String YAML = "application/yaml";
    static final String X_YAML = "application/x-yaml";
    static final String TEXT_YAML = "text/yaml";

    private static final String SCENARIO_EXAMPLE = """
            scenario: two-adds
            topology:
              - {id: rp, devfn: "1c.0", kind: root-port, buses: [0, 1, 1],
                 children: [{id: nic, devfn: "00.0", kind: pcie-endpoint}]}
            steps:
              - xen-boot
              - add: "0000:01:00.0"
              - expect: {outcome: ok}
            """;

    private final SystemService systems;
    private final StateQueries queries;

    public SystemsController(SystemService systems, StateQueries queries) {
        this.systems = systems;
        this.queries = queries;
    }

    @PostMapping(consumes = {YAML, X_YAML, TEXT_YAML, MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "Create a system from a scenario and run its steps",
            description = "The body is a scenario (SCENARIOS.md, format 1) in YAML or JSON, at most 1 MiB. It is parsed"
                    + " and checked against the model in memory first: nothing is stored when it is invalid. Then a new"
                    + " system is created, every step runs through the command side, and the expect blocks are"
                    + " evaluated (their results are in `expectations`; a failed expectation is not an HTTP error)."
                    + " The answer comes after the views have processed every event, so a following GET sees them.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "a scenario document",
                    content = {
                            @Content(mediaType = YAML, schema = @Schema(type = "string"),
                                    examples = @ExampleObject(name = "scenario", value = SCENARIO_EXAMPLE)),
                            @Content(mediaType = X_YAML, schema = @Schema(type = "string")),
                            @Content(mediaType = TEXT_YAML, schema = @Schema(type = "string")),
                            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object")),
                            @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string"))}),
            responses = {
                    @ApiResponse(responseCode = "201", description = "created; `Location` is the system's URL",
                            content = @Content(schema = @Schema(implementation = CreatedSystem.class))),
                    @ApiResponse(responseCode = "400", description = "malformed document: unknown key, wrong type,"
                            + " value out of range (`field`, `line`, `key` name it; `file` is `<request>`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(implementation = ProblemDetail.class))),
                    @ApiResponse(responseCode = "413", description = "body over 1 MiB",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(implementation = ProblemDetail.class))),
                    @ApiResponse(responseCode = "415", description = "a Content-Type other than YAML, JSON or text",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(implementation = ProblemDetail.class))),
                    @ApiResponse(responseCode = "422", description = "a step the model refuses at the moment it would"
                            + " run: unknown device id, occupied slot, more VFs than total-vfs…",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(implementation = ProblemDetail.class)))})
    public ResponseEntity<CreatedSystem> create(HttpServletRequest request) throws IOException {
        CreatedSystem created = systems.create(RequestBodies.readText(request));
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{system}")
                .buildAndExpand(created.system()).toUri();
        return ResponseEntity.created(location).body(created);
    }

    @GetMapping
    @Operation(summary = "List the systems",
            description = "Every system in the store, oldest first, with its scenario, policy, the events the views"
                    + " have processed and when it was created. With `finding=KIND` (a finding kind of"
                    + " XEN-MODEL.md section 5, e.g. BUS2BRIDGE_LOOP): only the systems that ever had a finding of"
                    + " that kind, each with `finding: {kind, firstEvent}`, the first event at which one held;"
                    + " answered from a row per system and kind, without folding any history.")
    @ApiResponse(responseCode = "200", description = "the systems")
    @ApiResponse(responseCode = "400", description = "`finding` is not a finding kind (`field` is `finding`)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    public List<?> list(@Parameter(description = "only systems that ever had a finding of this kind, e.g."
            + " BUS2BRIDGE_LOOP, XEN_HUNG, PDEV_STALE") @RequestParam(name = "finding", required = false) String finding) {
        if (finding == null) {
            return queries.systems();
        }
        return queries.systemsWithFinding(findingKind(finding));
    }

    private static Finding.Kind findingKind(String value) {
        try {
            return Finding.Kind.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("finding", "finding: '" + value + "' is not a finding kind; one of "
                    + java.util.Arrays.toString(Finding.Kind.values()));
        }
    }

    @GetMapping("/{system}")
    @Operation(summary = "One system", description = "The same summary as in the list, for one system.")
    @ApiResponse(responseCode = "200", description = "the system")
    @ApiResponse(responseCode = "404", description = "unknown system",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    public SystemSummary system(@Parameter(description = "the system's id") @PathVariable("system") String system) {
        return queries.system(system).orElseThrow(() -> new UnknownSystemException(system));
    }

    @PostMapping(path = "/{system}/steps",
            consumes = {MediaType.APPLICATION_JSON_VALUE, YAML, X_YAML, TEXT_YAML, MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "Run one step on a system",
            description = "The body is one step in scenario syntax (SCENARIOS.md, \"Steps\"), as JSON: `\"xen-boot\"`,"
                    + " `{\"add\": \"0000:06:00.0\"}`, `{\"assign\": {\"bdf\": \"0000:07:00.0\", \"domain\": 1}}`."
                    + " `expect` is not a step. A hypercall Xen refuses is not an HTTP error: the answer is a 200 with"
                    + " its errno as `outcome`. The answer comes after the views have processed the step's events.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "one step",
                    content = {
                            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object"),
                                    examples = {
                                            @ExampleObject(name = "xen-boot", value = "\"xen-boot\""),
                                            @ExampleObject(name = "add", value = "{\"add\": \"0000:06:00.0\"}"),
                                            @ExampleObject(name = "assign",
                                                    value = "{\"assign\": {\"bdf\": \"0000:07:00.0\", \"domain\": 1}}")}),
                            @Content(mediaType = YAML, schema = @Schema(type = "string")),
                            @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string"))}),
            responses = {
                    @ApiResponse(responseCode = "200", description = "the step ran (outcome ok, an errno or HUNG)",
                            content = @Content(schema = @Schema(implementation = StepResponse.class))),
                    @ApiResponse(responseCode = "400", description = "malformed step: unknown keyword or key, wrong"
                            + " type, BDF out of range or in another segment",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(implementation = ProblemDetail.class))),
                    @ApiResponse(responseCode = "404", description = "unknown system",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(implementation = ProblemDetail.class))),
                    @ApiResponse(responseCode = "409", description = "another request wrote to the system at the same"
                            + " time and won; nothing of this one was stored: retry",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(implementation = ProblemDetail.class))),
                    @ApiResponse(responseCode = "413", description = "body over 1 MiB",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(implementation = ProblemDetail.class))),
                    @ApiResponse(responseCode = "422", description = "the model refuses the step: unknown device id,"
                            + " a bridge register write to a non-bridge, more VFs than total-vfs, an occupied slot…",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(implementation = ProblemDetail.class)))})
    public StepResponse step(@Parameter(description = "the system's id") @PathVariable("system") String system,
                             HttpServletRequest request) throws IOException {
        return systems.runStep(system, RequestBodies.readText(request));
    }
}
