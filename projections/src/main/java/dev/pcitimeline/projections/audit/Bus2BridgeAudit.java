package dev.pcitimeline.projections.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.xen.Bus2BridgeEntry;
import dev.pcitimeline.projections.query.StateDocument.FindingEntry;

import java.util.List;

/**
 * How {@code bus2bridge[bus]} came to be at one point of a system's history, under one policy.
 *
 * @param event    the events of the system the audit includes (the point audited)
 * @param step     index of the last step included, -1 before the first
 * @param current  the entry at that point
 * @param expected the entry a fresh boot on the hardware as it is then gives (XEN-MODEL.md §5)
 * @param findings the findings about this bus that hold at that point (BUS2BRIDGE_*, DECODE_CONFLICT), and
 *                 XEN_HUNG when Xen is hung (the entry is frozen)
 * @param writes   every change of the entry up to that point, oldest first (Xen writing the value an entry
 *                 already holds changes nothing and is not listed)
 * @param summary  a few lines a Xen developer reads first
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"scenario", "system", "policy", "event", "step", "bus", "current", "expected", "findings",
        "writes", "summary"})
public record Bus2BridgeAudit(String scenario, String system, String policy, long event, int step, int bus,
                              Entry current, Entry expected, List<FindingEntry> findings, List<Write> writes,
                              List<String> summary) {

    public Bus2BridgeAudit {
        findings = List.copyOf(findings);
        writes = List.copyOf(writes);
        summary = List.copyOf(summary);
    }

    /**
     * A bus2bridge entry's value: {@code bridge} is the BDF it names, kept by an unmapped entry (Xen only
     * clears the map bit), null for an entry never written since Xen booted ({@code {0, 0, 0}}).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"mapped", "bridge"})
    public record Entry(boolean mapped, String bridge) {
        public static final Entry INITIAL = new Entry(false, null);

        static Entry of(Bus2BridgeEntry e, int segment) {
            return e.equals(Bus2BridgeEntry.EMPTY) ? INITIAL : new Entry(e.map(), Bdf.of(segment, e.bus(), e.devfn()).toString());
        }

        /** {@code 06:00.0}, {@code unmapped (was 06:00.0)} or {@code unmapped}. */
        @JsonIgnore
        public String text() {
            if (bridge == null) {
                return "unmapped";
            }
            String target = Bdf.parse(bridge).shortText();
            return mapped ? target : "unmapped (was " + target + ")";
        }
    }

    /**
     * One change of the entry.
     *
     * @param step        the step the event belongs to (-1: before the first)
     * @param stepText    that step as a scenario writes it (null before the first)
     * @param operation   the event: the hypercall and its argument, or what happened
     * @param outcome     Xen's answer to the operation under the audited policy
     * @param rule        which piece of Xen wrote it: {@code alloc_pdev fill}, {@code free_pdev copy},
     *                    {@code fix-invalidate-loop clear}, {@code fix-trap-bus-writes copy/fill}, {@code hung loop},
     *                    or {@code xen-boot reset}
     * @param reads       what Xen read from config space for the loop that wrote it
     * @param explanation why, in a sentence or two
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"event", "step", "stepText", "operation", "outcome", "rule", "before", "after", "reads",
            "explanation"})
    public record Write(long event, int step, String stepText, String operation, String outcome, String rule,
                        Entry before, Entry after, List<ConfigReadEntry> reads, String explanation) {
        public Write {
            reads = List.copyOf(reads);
        }
    }
}
