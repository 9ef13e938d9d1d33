package dev.pcitimeline.domain.view;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pcitimeline.domain.value.Bdf;

import java.util.Arrays;
import java.util.Objects;

/**
 * Something wrong with Xen's state at one moment (XEN-MODEL.md §5). The subject is a bus, a
 * BDF or a domain (DOMAIN_CRASHED; none for XEN_HUNG); {@link #key()} identifies "the same
 * finding" across moments.
 *
 * <p>A value: equal when kind, subject and message are. The views work the findings out after nearly every event
 * (tens of them each time) and mostly find the very same ones again, so {@link Findings} gives each its message as a
 * {@link Template} and the values it names, and the text is written only when someone reads it. Two findings whose
 * templates and values are equal have equal messages without writing either; otherwise the texts are compared.
 */
public final class Finding {

    /** In the order of the table in §5 (the order findings are listed in). */
    public enum Kind {
        BUS2BRIDGE_LOOP, BUS2BRIDGE_SELF, BUS2BRIDGE_DANGLING, BUS2BRIDGE_STALE, PDEV_STALE, PDEV_MISSING,
        CONTEXT_MISSING, CONTEXT_FOREIGN, CONTEXT_ORPHAN, DECODE_CONFLICT, XEN_HUNG, DOMAIN_CRASHED
    }

    /** Writes a message from the values a finding was given (plain values: equal values, equal text). */
    @FunctionalInterface
    public interface Template {
        String render(Object[] values);
    }

    private final Kind kind;
    private final Integer bus;
    private final Bdf bdf;
    private final Integer domain;
    /** The text once written (racy but idempotent: any thread writes the same String). */
    @JsonIgnore
    private String text;
    /** Null for a finding made from its text (read back from JSON). */
    @JsonIgnore
    private final Template template;
    @JsonIgnore
    private final Object[] values;

    /** A finding with its message written out, as one reads it back. */
    @JsonCreator
    public Finding(@JsonProperty("kind") Kind kind, @JsonProperty("bus") Integer bus, @JsonProperty("bdf") Bdf bdf,
                   @JsonProperty("domain") Integer domain, @JsonProperty("message") String message) {
        this(kind, bus, bdf, domain, Objects.requireNonNull(message, "message"), null, null);
    }

    private Finding(Kind kind, Integer bus, Bdf bdf, Integer domain, String text, Template template, Object[] values) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.bus = bus;
        this.bdf = bdf;
        this.domain = domain;
        this.text = text;
        this.template = template;
        this.values = values;
    }

    @JsonProperty
    public Kind kind() {
        return kind;
    }

    @JsonProperty
    public Integer bus() {
        return bus;
    }

    @JsonProperty
    public Bdf bdf() {
        return bdf;
    }

    @JsonProperty
    public Integer domain() {
        return domain;
    }

    /** What is wrong, in words. */
    @JsonProperty
    public String message() {
        String t = text;
        if (t == null) {
            t = template.render(values);
            text = t;
        }
        return t;
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
        if (a.kind != b.kind) {
            return Integer.compare(a.kind.ordinal(), b.kind.ordinal());
        }
        int c = compareAbsentFirst(a.bus, b.bus);
        if (c == 0) {
            c = a.bdf == b.bdf ? 0 : a.bdf == null ? -1 : b.bdf == null ? 1 : a.bdf.compareTo(b.bdf);
        }
        return c != 0 ? c : compareAbsentFirst(a.domain, b.domain);
    }

    // not generic: the timeline compares findings at nearly every event, and a shared Comparable call site there
    // (Integer's and Bdf's compareTo) took a tenth of a fold
    private static int compareAbsentFirst(Integer a, Integer b) {
        return a == b ? 0 : a == null ? -1 : b == null ? 1 : Integer.compare(a, b);
    }

    public record Subject(Kind kind, Integer bus, Bdf bdf, Integer domain) {
        /** By the kind's ordinal: a record's own hash takes the enum's identity hash, which costs more (same equals). */
        @Override
        public int hashCode() {
            return ((kind.ordinal() * 31 + Objects.hashCode(bus)) * 31 + Objects.hashCode(bdf)) * 31
                    + Objects.hashCode(domain);
        }
    }

    /** A finding whose message {@code template} writes from {@code values} when it is read. */
    static Finding of(Kind kind, Integer bus, Bdf bdf, Integer domain, Template template, Object... values) {
        return new Finding(kind, bus, bdf, domain, null, Objects.requireNonNull(template, "template"), values);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Finding other) || !sameSubject(other)) {
            return false;
        }
        if (template != null && template == other.template && Arrays.equals(values, other.values)) {
            return true; // the same text, unwritten
        }
        return message().equals(other.message());
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, bus, bdf, domain, message());
    }

    @Override
    public String toString() {
        return "Finding[kind=" + kind + ", bus=" + bus + ", bdf=" + bdf + ", domain=" + domain + ", message="
                + message() + "]";
    }
}
