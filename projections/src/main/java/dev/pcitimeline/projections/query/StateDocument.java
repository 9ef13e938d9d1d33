package dev.pcitimeline.projections.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;

/**
 * The state object of API.md, exactly as Jackson prints it: field names, order and nulls are
 * fixed here (annotations on every type, so a mapper's global inclusion setting cannot change
 * them). Lists are in API.md's order; {@code expectations} is empty until a scenario runner
 * fills it with {@link #withExpectations}.
 *
 * @param event the events of the system this state includes
 * @param step  index of the last step included, -1 before the first
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"scenario", "system", "policy", "segment", "event", "step", "hung", "pdevs", "bus2bridge",
        "upstream", "contexts", "hardware", "findings", "steps", "expectations"})
public record StateDocument(String scenario, String system, String policy, int segment, long event, int step,
                            boolean hung, List<Pdev> pdevs, List<Bus2BridgeMapping> bus2bridge,
                            List<Upstream> upstream, List<Context> contexts, List<HardwareFunction> hardware,
                            List<FindingEntry> findings,
                            @JsonSerialize(using = StepList.Json.class) List<StepEntry> steps,
                            List<ExpectationEntry> expectations) {

    public StateDocument {
        pdevs = List.copyOf(pdevs);
        bus2bridge = List.copyOf(bus2bridge);
        upstream = List.copyOf(upstream);
        contexts = List.copyOf(contexts);
        hardware = List.copyOf(hardware);
        findings = List.copyOf(findings);
        steps = steps instanceof StepList ? steps : List.copyOf(steps); // StepList: immutable, chunks kept
        expectations = List.copyOf(expectations);
    }

    public StateDocument withExpectations(List<ExpectationEntry> results) {
        return new StateDocument(scenario, system, policy, segment, event, step, hung, pdevs, bus2bridge, upstream,
                contexts, hardware, findings, steps, results);
    }

    /** A pdev: {@code domain} (owner, null: none) and {@code virtfnOf} are always printed, null or not. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"bdf", "type", "domain", "virtfnOf"})
    public record Pdev(String bdf, String type, Integer domain, String virtfnOf) {
    }

    /** A mapped bus2bridge entry. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"bus", "bridge"})
    public record Bus2BridgeMapping(int bus, String bridge) {
    }

    /** find_upstream_bridge from a pdev; {@code bridge} and {@code secbus} only when {@code result} is 1. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"bdf", "result", "bridge", "secbus"})
    public record Upstream(String bdf, int result, String bridge, Integer secbus) {
    }

    /** A VT-d context entry. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"bdf", "domain"})
    public record Context(String bdf, int domain) {
    }

    /** A function config space reaches: {@code buses} [primary, secondary, subordinate] for bridges only. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"bdf", "id", "kind", "buses"})
    public record HardwareFunction(String bdf, String id, String kind, List<Integer> buses) {
    }

    /** A finding with {@code bus}, {@code bdf} or {@code domain} (DOMAIN_CRASHED; none for XEN_HUNG). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "bus", "bdf", "domain", "since", "message"})
    public record FindingEntry(String kind, Integer bus, String bdf, Integer domain, long since, String message) {
    }

    /**
     * A step the state includes: {@code step} is its keyword, {@code text} the step as a scenario writes it,
     * {@code events} the first and last event it produced, {@code []} when none.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"index", "step", "outcome", "events", "text"})
    public record StepEntry(int index, String step, String outcome, List<Long> events, String text) {
        public StepEntry {
            events = List.copyOf(events);
        }
    }

    /** The result of one {@code expect} key, filled by the scenario runner. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"step", "key", "passed", "message"})
    public record ExpectationEntry(int step, String key, boolean passed, String message) {
    }
}
