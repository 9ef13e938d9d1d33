package dev.pcitimeline.domain.view;

import dev.pcitimeline.domain.value.Bdf;

import java.util.Objects;

/**
 * Something wrong with Xen's state at one moment (XEN-MODEL.md §5). The subject is a bus, a
 * BDF or a domain (DOMAIN_CRASHED; none for XEN_HUNG); {@link #key()} identifies "the same
 * finding" across moments.
 */
public record Finding(Kind kind, Integer bus, Bdf bdf, Integer domain, String message) {

    /** In the order of the table in §5 (the order findings are listed in). */
    public enum Kind {
        BUS2BRIDGE_LOOP, BUS2BRIDGE_SELF, BUS2BRIDGE_DANGLING, BUS2BRIDGE_STALE, PDEV_STALE, PDEV_MISSING,
        CONTEXT_MISSING, CONTEXT_FOREIGN, CONTEXT_ORPHAN, DECODE_CONFLICT, XEN_HUNG, DOMAIN_CRASHED
    }

    public Finding(Kind kind, Integer bus, Bdf bdf, String message) {
        this(kind, bus, bdf, null, message);
    }

    /** Kind and subject: a finding "still holds" while this stays. */
    public String key() {
        return kind + (bus != null ? " bus " + bus : bdf != null ? " " + bdf : domain != null ? " d" + domain : "");
    }

    /** Kind and subject as a value: equal exactly when {@link #key()}s are, and cheaper to build and hash. */
    public Subject subject() {
        return new Subject(kind, bus, bdf, domain);
    }

    /** Whether {@code other} has the same {@link #subject()}, without building either. */
    public boolean sameSubject(Finding other) {
        return kind == other.kind && Objects.equals(bus, other.bus) && Objects.equals(bdf, other.bdf)
                && Objects.equals(domain, other.domain);
    }

    /**
     * Orders findings by subject: kind (in §5's order), then bus, BDF, domain (absent first). Zero exactly when
     * {@link #sameSubject}. {@link Findings#of} lists findings in this order, each subject once.
     */
    public static int compareSubjects(Finding a, Finding b) {
        int c = Integer.compare(a.kind.ordinal(), b.kind.ordinal());
        if (c == 0) {
            c = compareAbsentFirst(a.bus, b.bus);
        }
        if (c == 0) {
            c = compareAbsentFirst(a.bdf, b.bdf);
        }
        return c != 0 ? c : compareAbsentFirst(a.domain, b.domain);
    }

    private static <T extends Comparable<T>> int compareAbsentFirst(T a, T b) {
        return a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.compareTo(b);
    }

    public record Subject(Kind kind, Integer bus, Bdf bdf, Integer domain) {
        /** By the kind's ordinal: a record's own hash takes the enum's identity hash, which costs more (same equals). */
        @Override
        public int hashCode() {
            return ((kind.ordinal() * 31 + Objects.hashCode(bus)) * 31 + Objects.hashCode(bdf)) * 31
                    + Objects.hashCode(domain);
        }
    }

    public static Finding onDomain(Kind kind, int domain, String message) {
        return new Finding(kind, null, null, domain, message);
    }

    public static Finding onBus(Kind kind, int bus, String message) {
        return new Finding(kind, bus, null, message);
    }

    public static Finding onBdf(Kind kind, Bdf bdf, String message) {
        return new Finding(kind, null, bdf, message);
    }
}
