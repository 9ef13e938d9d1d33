package dev.pcitimeline.domain.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A Xen build to fold history with: Xen 4.4, the three what-if fixes of the report (§4, each
 * on 4.4 and never released) and the later releases (§4b, cumulative). A fix is never
 * combined with a release.
 */
public enum Policy {
    XEN_4_4("xen-4.4", XenRelease.XEN_4_4),
    XEN_4_14("xen-4.14", XenRelease.XEN_4_14),
    XEN_4_16("xen-4.16", XenRelease.XEN_4_16),
    XEN_4_17("xen-4.17", XenRelease.XEN_4_17),
    XEN_4_20("xen-4.20", XenRelease.XEN_4_20),
    XEN_4_22("xen-4.22", XenRelease.XEN_4_22),
    FIX_INVALIDATE_LOOP("fix-invalidate-loop", XenRelease.XEN_4_4),
    FIX_TRAP_BUS_WRITES("fix-trap-bus-writes", XenRelease.XEN_4_4),
    FIX_REMEMBER_RANGE("fix-remember-range", XenRelease.XEN_4_4);

    private final String text;
    private final XenRelease release;

    Policy(String text, XenRelease release) {
        this.text = text;
        this.release = release;
    }

    /** The release whose rules this build follows (a fix: Xen 4.4). */
    public XenRelease release() {
        return release;
    }

    /** A later Xen release (§4b), as opposed to 4.4 itself or a fix of the report that was never released. */
    public boolean isLaterRelease() {
        return release != XenRelease.XEN_4_4;
    }

    @JsonValue
    public String text() {
        return text;
    }

    @JsonCreator
    public static Policy parse(String text) {
        for (Policy p : values()) {
            if (p.text.equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown policy '" + text + "': expected one of "
                + Arrays.stream(values()).map(Policy::text).collect(Collectors.joining(", ")));
    }

    /**
     * True for every Xen release policy ({@code xen-4.4} and each later release): a build someone can run. The three
     * fixes of the original report were never in any release (XEN-MODEL.md §4b), so they alone answer false.
     */
    public boolean released() {
        return this != FIX_INVALIDATE_LOOP && this != FIX_TRAP_BUS_WRITES && this != FIX_REMEMBER_RANGE;
    }

    @Override
    public String toString() {
        return text;
    }
}
