package dev.pcitimeline.projections.diff;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.pcitimeline.projections.query.StateDocument.FindingEntry;
import dev.pcitimeline.projections.query.StateDocument.HardwareFunction;
import dev.pcitimeline.projections.query.StateDocument.Pdev;
import dev.pcitimeline.projections.query.StateDocument.Upstream;

import java.util.List;

/**
 * What differs between two state objects of one system: two events under one policy, or two policies at one
 * event. Each change carries both values, {@code from} the first point and {@code to} the second; a value
 * absent on one side is null. Unchanged entries are not listed.
 *
 * @param kind        {@code events} (from/to are two events) or {@code policies} (two builds at one event)
 * @param hung        the hung flag on both sides, null when equal
 * @param bus2bridge  mapped entries (as the state object lists them) whose bridge differs
 * @param findings    findings (kind and subject) that hold on one side only; one holding on both is the same
 *                    finding even if its message or {@code since} moved
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"system", "kind", "from", "to", "hung", "bus2bridge", "pdevs", "upstream", "contexts", "hardware",
        "findings", "summary"})
public record StateDiff(String system, String kind, Side from, Side to, HungChange hung,
                        List<Bus2BridgeChange> bus2bridge, List<PdevChange> pdevs, List<UpstreamChange> upstream,
                        List<ContextChange> contexts, List<HardwareChange> hardware, List<FindingChange> findings,
                        Summary summary) {

    public StateDiff {
        bus2bridge = List.copyOf(bus2bridge);
        pdevs = List.copyOf(pdevs);
        upstream = List.copyOf(upstream);
        contexts = List.copyOf(contexts);
        hardware = List.copyOf(hardware);
        findings = List.copyOf(findings);
    }

    /** One side of the comparison: the state object's policy, event and step. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"policy", "event", "step"})
    public record Side(String policy, long event, int step) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"from", "to"})
    public record HungChange(boolean from, boolean to) {
    }

    /** {@code bus2bridge[bus]}: the bridge it maps to on each side, null where unmapped. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"bus", "from", "to"})
    public record Bus2BridgeChange(int bus, String from, String to) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"bdf", "from", "to"})
    public record PdevChange(String bdf, Pdev from, Pdev to) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"bdf", "from", "to"})
    public record UpstreamChange(String bdf, Upstream from, Upstream to) {
    }

    /** A context entry: the domain it belongs to on each side, null where there is none. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"bdf", "from", "to"})
    public record ContextChange(String bdf, Integer from, Integer to) {
    }

    /** What config space reaches at {@code bdf} on each side. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"bdf", "from", "to"})
    public record HardwareChange(String bdf, HardwareFunction from, HardwareFunction to) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"kind", "bus", "bdf", "from", "to"})
    public record FindingChange(String kind, Integer bus, String bdf, FindingEntry from, FindingEntry to) {
    }

    /** How many entries of each list differ; {@code total} counts a hung flag that differs as one. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"bus2bridge", "pdevs", "upstream", "contexts", "hardware", "findings", "total"})
    public record Summary(int bus2bridge, int pdevs, int upstream, int contexts, int hardware, int findings,
                          int total) {
    }
}
