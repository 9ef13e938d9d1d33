package dev.pcitimeline.scenarios.format;

import dev.pcitimeline.domain.value.Bdf;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One entry of {@code expect.findings}: a finding that must be present. A null subject (no
 * {@code bus} / {@code bdf} given) matches a finding of that kind about anything.
 *
 * @param kind finding kind as API.md spells it, e.g. {@code BUS2BRIDGE_LOOP}
 * @param bus  the bus, for kinds about a bus
 * @param bdf    the function, for kinds about a BDF
 * @param domain the domain, for kinds about a domain (DOMAIN_CRASHED)
 */
public record ExpectedFinding(Kind kind, Integer bus, Bdf bdf, Integer domain) {

    public ExpectedFinding {
        if (kind == null) {
            throw new IllegalArgumentException("a finding needs a kind");
        }
        if ((bus != null && kind.subject() != Subject.BUS) || (bdf != null && kind.subject() != Subject.BDF)
                || (domain != null && kind.subject() != Subject.DOMAIN)) {
            throw new IllegalArgumentException(kind + " is about " + kind.subject().text);
        }
    }

    public ExpectedFinding(Kind kind, Integer bus, Bdf bdf) {
        this(kind, bus, bdf, null);
    }

    /**
     * Whether a finding of kind {@code kind} about {@code bus}, {@code bdf} or {@code domain} (as API.md spells them)
     * is this one: same kind, and same subject unless this one leaves it open.
     */
    public boolean matches(String kind, Integer bus, String bdf, Integer domain) {
        return this.kind.name().equals(kind) && (this.bus == null || this.bus.equals(bus))
                && (this.bdf == null || this.bdf.toString().equals(bdf))
                && (this.domain == null || this.domain.equals(domain));
    }

    /**
     * {@code KIND[:SUBJECT]} as the command line takes it: {@code BUS2BRIDGE_LOOP}, {@code BUS2BRIDGE_LOOP:6},
     * {@code BUS2BRIDGE_LOOP:0x06}, {@code PDEV_STALE:0000:05:00.0}, {@code DOMAIN_CRASHED:2}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ExpectedFinding parse(String text) {
        int colon = text.indexOf(':');
        Kind kind = Kind.parse(colon < 0 ? text : text.substring(0, colon));
        if (colon < 0) {
            return new ExpectedFinding(kind, null, null);
        }
        String subject = text.substring(colon + 1);
        return switch (kind.subject()) {
            case BUS -> {
                int bus = number(kind, subject, "a bus");
                if (bus < 0 || bus > 0xff) {
                    throw new IllegalArgumentException(kind + ": bus " + bus + " is out of range 0..255");
                }
                yield new ExpectedFinding(kind, bus, null);
            }
            case BDF -> new ExpectedFinding(kind, null, Bdf.parse(subject));
            case DOMAIN -> new ExpectedFinding(kind, null, null,
                    number(kind, subject.startsWith("d") ? subject.substring(1) : subject, "a domain"));
            case NONE -> throw new IllegalArgumentException(kind + " is about nothing: it takes no subject");
        };
    }

    private static int number(Kind kind, String subject, String what) {
        try {
            return subject.startsWith("0x") ? Integer.parseInt(subject.substring(2), 16) : Integer.parseInt(subject);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(kind + " is about " + what + ": '" + subject + "' is not a number");
        }
    }

    /** As {@link #parse} reads it back. */
    public String text() {
        return kind + (bus != null ? ":" + bus : bdf != null ? ":" + bdf : domain != null ? ":" + domain : "");
    }

    /** What a finding is about (XEN-MODEL.md §5, "subject"). */
    public enum Subject {
        BUS("a bus (key bus)"),
        BDF("a function (key bdf)"),
        DOMAIN("a domain (key domain)"),
        NONE("nothing (no bus, bdf or domain)");

        private final String text;

        Subject(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** The finding kinds of API.md, each with its subject. */
    public enum Kind {
        BUS2BRIDGE_LOOP(Subject.BUS),
        BUS2BRIDGE_SELF(Subject.BUS),
        BUS2BRIDGE_DANGLING(Subject.BUS),
        BUS2BRIDGE_STALE(Subject.BUS),
        PDEV_STALE(Subject.BDF),
        PDEV_MISSING(Subject.BDF),
        CONTEXT_MISSING(Subject.BDF),
        CONTEXT_FOREIGN(Subject.BDF),
        CONTEXT_ORPHAN(Subject.BDF),
        DECODE_CONFLICT(Subject.BUS),
        XEN_HUNG(Subject.NONE),
        DOMAIN_CRASHED(Subject.DOMAIN);

        private final Subject subject;

        Kind(Subject subject) {
            this.subject = subject;
        }

        public Subject subject() {
            return subject;
        }

        /** Exact, case-sensitive: the spelling of API.md. */
        public static Kind parse(String text) {
            for (Kind k : values()) {
                if (k.name().equals(text)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown finding kind '" + text + "': expected one of "
                    + Arrays.stream(values()).map(Kind::name).collect(Collectors.joining(", ")));
        }
    }
}
