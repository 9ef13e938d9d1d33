package dev.pcitimeline.domain.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A Xen build to fold history with (XEN-MODEL.md §4). */
public enum Policy {
    XEN_4_4("xen-4.4"),
    FIX_INVALIDATE_LOOP("fix-invalidate-loop"),
    FIX_TRAP_BUS_WRITES("fix-trap-bus-writes"),
    FIX_REMEMBER_RANGE("fix-remember-range");

    private final String text;

    Policy(String text) {
        this.text = text;
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
        return switch (this) {
            case FIX_INVALIDATE_LOOP, FIX_TRAP_BUS_WRITES, FIX_REMEMBER_RANGE -> false;
            default -> true;
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
