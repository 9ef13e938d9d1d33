package dev.pcitimeline.projections.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.pcitimeline.projections.query.StateDocument.FindingEntry;

import java.util.List;

/**
 * How the pdev at {@code bdf} came to be at one point of a system's history, under one policy.
 *
 * @param event        the events of the system the audit includes (the point audited)
 * @param step         index of the last step included, -1 before the first
 * @param current      the pdev at that point, null when Xen has none there
 * @param answersNow   the function config space reaches at {@code bdf} at that point, null when nothing answers
 * @param stale        the pdev exists and its address answers with another function than it was allocated for,
 *                     or with nothing (PDEV_STALE)
 * @param staleBecause why, from its history; null when not stale
 * @param expectedType the type of the pdev a fresh boot on the hardware as it is then has there, null: none
 * @param findings     the findings whose subject is this address that hold at that point (PDEV_STALE,
 *                     PDEV_MISSING, CONTEXT_* for its requester ID)
 * @param history      allocations, owner changes, context entries, changes of what answers there and removals,
 *                     oldest first
 * @param summary      a few lines a Xen developer reads first
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"scenario", "system", "policy", "event", "step", "bdf", "current", "answersNow", "stale",
        "staleBecause", "expectedType", "findings", "history", "summary"})
public record PdevAudit(String scenario, String system, String policy, long event, int step, String bdf,
                        Current current, Answer answersNow, boolean stale, String staleBecause, String expectedType,
                        List<FindingEntry> findings, List<Happening> history, List<String> summary) {

    public PdevAudit {
        findings = List.copyOf(findings);
        history = List.copyOf(history);
        summary = List.copyOf(summary);
    }

    /**
     * A pdev as Xen holds it: {@code type} classified when it was allocated, {@code domain} its owner (null: none),
     * {@code allocatedFor} the function that answered at its address then (null: nothing).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"type", "domain", "virtfnOf", "allocatedFor", "allocatedAt"})
    public record Current(String type, Integer domain, String virtfnOf, String allocatedFor, Long allocatedAt) {
    }

    /** A function config space reaches: its scenario id ({@code pf.vfN} for a VF) and kind. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"id", "kind"})
    public record Answer(String id, String kind) {
    }

    /**
     * One thing that happened to the pdev or at its address.
     *
     * @param what           {@code allocated}, {@code owner}, {@code context-mapped}, {@code context-unmapped},
     *                       {@code answer} (what config space reaches at the address changed), {@code removed}
     *                       or {@code reset} (xen-boot emptied the pdev list)
     * @param type           allocated: the type Xen classified
     * @param answeredBy     allocated: the function that answered; answer: the one that answers from then on
     *                       (null: nothing)
     * @param domain         owner: the new owner (null: none); context-*: the entry's domain
     * @param previousDomain owner: the owner before
     * @param context        context-*: the requester ID of the entry, as a BDF
     * @param reads          allocated: what Xen read from config space for it (empty for the others)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"event", "step", "stepText", "operation", "outcome", "what", "type", "answeredBy", "domain",
            "previousDomain", "context", "reads", "explanation"})
    public record Happening(long event, int step, String stepText, String operation, String outcome, String what,
                            String type, String answeredBy, Integer domain, Integer previousDomain, String context,
                            List<ConfigReadEntry> reads, String explanation) {
    }
}
