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
