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
        throw new IllegalArgumentException("unknown outcome '" + text + "': expected ok, ENODEV, EBUSY, EINVAL, EPERM or HUNG");
    }

    @Override
    public String toString() {
        return text;
    }
}
