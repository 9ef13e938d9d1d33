package dev.pcitimeline.app.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.pcitimeline.domain.value.Policy;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.List;

/** The policies the service folds under, so that clients (the browser's policy switcher) list them from here. */
@RestController
@ConditionalOnWebApplication // the service's: a command-line context has no use for it
@Tag(name = "policies", description = "The Xen builds a history can be folded under")
public class PoliciesController {

    /** A policy and whether it is a Xen release ({@code false}: a fix of the original report no release has). */
    @JsonPropertyOrder({"policy", "released"})
    public record PolicyEntry(String policy, boolean released) {
    }

    @GetMapping(path = "/api/policies", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Every policy",
            description = "Every value `policy`, `?policy=`, `vs=` and a scenario's `policy` key accept, in the model's"
                    + " order (xen-4.4 first), each with `released`: true for a Xen release, false for the three fixes"
                    + " of the original report.")
    @ApiResponse(responseCode = "200", description = "the policies")
    public List<PolicyEntry> policies() {
        return Arrays.stream(Policy.values()).map(p -> new PolicyEntry(p.text(), p.released())).toList();
    }
}
