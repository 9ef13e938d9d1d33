package dev.pcitimeline.domain.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A Xen domain: 0 is dom0, the hardware domain; 1 and above are guests (domUs). */
public record DomainId(int value) {
    public static final DomainId DOM0 = new DomainId(0);

    public DomainId {
        if (value < 0 || value > 0x7fef) {
            throw new IllegalArgumentException("domain " + value + " is out of range 0..32751");
        }
    }

    @JsonCreator
    public static DomainId of(int value) {
        return value == 0 ? DOM0 : new DomainId(value);
    }

    /** A passthrough target: a guest, never dom0. */
    public static DomainId guest(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("domain " + value + " is not a guest: passthrough needs a domain >= 1");
        }
        return of(value);
    }

    public boolean isDom0() {
        return value == 0;
    }

    @JsonValue
    public int value() {
        return value;
    }

    @Override
    public String toString() {
        return "d" + value;
    }
}
