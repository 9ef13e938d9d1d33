package dev.pcitimeline.projections.query;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Versions of one entry over a system's history: valid for events {@code validFrom <= N < validTo}. */
public final class EntryVersion {
    private EntryVersion() {
    }

    /** A bus2bridge entry; {@code mapped} false keeps the stale target. {@code validTo} null: still valid. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Bus2Bridge(int bus, boolean mapped, String bridge, long validFrom, Long validTo) {
    }

    /** A pdev: type classified at allocation, owner (null: none), PF of a VF, what answered when allocated. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Pdev(String bdf, String type, Integer domain, String virtfnOf, String allocatedFor, long validFrom,
                       Long validTo) {
    }
}
