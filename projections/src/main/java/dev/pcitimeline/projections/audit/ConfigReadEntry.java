package dev.pcitimeline.projections.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A config-space read Xen made during an operation.
 *
 * @param register    {@code class}, {@code secondary} or {@code subordinate}
 * @param value       what the read returned (all ones when nothing answered)
 * @param answeredBy  the function that answered (its scenario id), null when nothing did
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"at", "register", "value", "answeredBy"})
public record ConfigReadEntry(String at, String register, int value, String answeredBy) {

    /** {@code secondary=07 (tundra)}, hex as Xen prints it. */
    public String text() {
        String v = register.equals("class") ? String.format("%04x", value) : String.format("%02x", value);
        return register + "=" + v + " (" + (answeredBy == null ? "nothing answers" : answeredBy) + ")";
    }
}
