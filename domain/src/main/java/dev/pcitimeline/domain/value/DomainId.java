package dev.pcitimeline.domain.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A Xen domain: 0 is dom0, the hardware domain; 1..32751 are guests (domUs); 32753 is dom_io
 * (DOMID_IO), the owner of quarantined devices under the later releases (XEN-MODEL.md §4b).
 */
public record DomainId(int value) {
    /** The largest guest domain id (DOMID_FIRST_RESERVED - 1). */
    public static final int MAX_GUEST = 0x7fef;
    public static final DomainId DOM0 = new DomainId(0);
    /** DOMID_IO (0x7FF1): Xen's quarantine owner, shown as {@code dio}. */
    public static final DomainId DOM_IO = new DomainId(0x7ff1);

    public DomainId {
        if (value < 0 || (value > MAX_GUEST && value != 0x7ff1)) {
            throw new IllegalArgumentException("domain " + value + " is out of range 0..32751 (or 32753, dom_io)");
        }
    }

    @JsonCreator
    public static DomainId of(int value) {
        return value == 0 ? DOM0 : value == DOM_IO.value ? DOM_IO : new DomainId(value);
    }

    /** A passthrough target: a guest, never dom0 or dom_io. */
    public static DomainId guest(int value) {
        if (value < 1 || value > MAX_GUEST) {
            throw new IllegalArgumentException("domain " + value + " is not a guest: passthrough needs a domain 1..32751");
        }
        return of(value);
    }

    public boolean isDom0() {
        return value == 0;
    }

    public boolean isDomIo() {
        return value == DOM_IO.value;
    }

    /** A guest: neither dom0 nor dom_io. */
    public boolean isGuest() {
        return value != 0 && !isDomIo();
    }

    @JsonValue
    public int value() {
        return value;
    }

    @Override
    public String toString() {
        return isDomIo() ? "dio" : "d" + value;
    }
}
