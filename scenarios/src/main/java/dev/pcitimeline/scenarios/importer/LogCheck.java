package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.value.Bdf;

import java.util.List;

/**
 * Where the model and an {@code xl dmesg} capture part ways ({@link LogChecker}).
 *
 * @param contextLines    VT-d map/unmap lines in the log; 0 means the context comparison had nothing to compare
 * @param matchedLines    of those, the ones a model operation accounts for
 * @param modelOperations device map/unmap calls the model made (what Xen would print with iommu=debug)
 * @param disagreements   every mismatch: a line the model does not account for, a model operation the log lacks,
 *                        a device type or a step outcome that differs
 * @param faults          one entry per DMA fault line, with the context entry that explains it
 * @param notes           what the reader should know about the comparison itself
 */
public record LogCheck(int steps, int contextLines, int matchedLines, int modelOperations,
                       List<Disagreement> disagreements, List<FaultCheck> faults, List<String> notes) {

    public LogCheck {
        disagreements = List.copyOf(disagreements);
        faults = List.copyOf(faults);
        notes = List.copyOf(notes);
    }

    /** The model and the log tell the same story. */
    public boolean agrees() {
        return disagreements.isEmpty() && faults.stream().allMatch(FaultCheck::consistent);
    }

    /**
     * @param logLine the log line concerned, 0 when the log has none (a model operation without its line)
     * @param step    the scenario step concerned
     */
    public record Disagreement(int logLine, int step, String message) {
        @Override
        public String toString() {
            return (logLine > 0 ? "log line " + logLine + ", " : "") + "step " + step + ": " + message;
        }
    }

    /** What a context entry does for a fault. */
    public enum Cause {
        /** No context entry at the requester ID: VT-d blocks the request (fault reasons 1, 2). */
        MISSING,
        /** The entry belongs to another domain than the device's owner: its page tables lack the address. */
        FOREIGN,
        /** The entry is there and held by the owner: context entries do not explain the fault. */
        NONE
    }

    /**
     * @param afterStep  the model state the fault is judged against: after this step
     * @param reason     the fault reason Xen printed on the next line, or null
     * @param consistent whether the model's entry fits the fault (and its reason, when printed)
     */
    public record FaultCheck(int logLine, Bdf bdf, boolean write, Integer reason, int afterStep, Cause cause,
                             String explanation, boolean consistent) {
    }
}
