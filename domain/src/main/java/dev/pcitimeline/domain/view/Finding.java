package dev.pcitimeline.domain.view;

import dev.pcitimeline.domain.value.Bdf;

/**
 * Something wrong with Xen's state at one moment (XEN-MODEL.md §5). The subject is a bus or a
 * BDF (neither for XEN_HUNG); {@link #key()} identifies "the same finding" across moments.
 */
public record Finding(Kind kind, Integer bus, Bdf bdf, String message) {

    public enum Kind {
        BUS2BRIDGE_LOOP, BUS2BRIDGE_SELF, BUS2BRIDGE_DANGLING, BUS2BRIDGE_STALE, PDEV_STALE, PDEV_MISSING,
        CONTEXT_MISSING, CONTEXT_FOREIGN, CONTEXT_ORPHAN, DECODE_CONFLICT, XEN_HUNG
    }

    /** Kind and subject: a finding "still holds" while this stays. */
    public String key() {
        return kind + (bus != null ? " bus " + bus : bdf != null ? " " + bdf : "");
    }

    /** Kind and subject as a value: equal exactly when {@link #key()}s are, and cheaper to build and hash. */
    public Subject subject() {
        return new Subject(kind, bus, bdf);
    }

    public record Subject(Kind kind, Integer bus, Bdf bdf) {
    }

    public static Finding onBus(Kind kind, int bus, String message) {
        return new Finding(kind, bus, null, message);
    }

    public static Finding onBdf(Kind kind, Bdf bdf, String message) {
        return new Finding(kind, null, bdf, message);
    }
}
