package dev.pcitimeline.domain.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a Xen operation or a step returned: {@code ok}, a Xen errno name, or {@code HUNG}. */
public enum Outcome {
    OK("ok"),
    ENODEV("ENODEV"),
    EBUSY("EBUSY"),
    EINVAL("EINVAL"),
    EPERM("EPERM"),
    /** From xen-4.16 (§4b d): a -1 upstream walk while mapping or unmapping a conventional device. */
    ENXIO("ENXIO"),
    /** From xen-4.20 (§4b f): assign of a device marked broken to a domU. */
    EBADF("EBADF"),
    HUNG("HUNG");

    private final String text;

    Outcome(String text) {
        this.text = text;
    }

    public boolean isOk() {
        return this == OK;
    }

    @JsonValue
    public String text() {
        return text;
    }

    @JsonCreator
    public static Outcome parse(String text) {
        for (Outcome o : values()) {
            if (o.text.equals(text)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown outcome '" + text + "': expected ok, ENODEV, EBUSY, EINVAL, EPERM, ENXIO, EBADF or HUNG");
    }

    @Override
    public String toString() {
        return text;
    }
}
