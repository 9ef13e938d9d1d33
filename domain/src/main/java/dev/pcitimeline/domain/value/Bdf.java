package dev.pcitimeline.domain.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A PCI address {@code SSSS:BB:DD.F}: segment (16 bits), bus (8), device (5), function (3).
 * Serialized as its text so events and JSON read like Xen's log.
 */
public record Bdf(int segment, int bus, int device, int function) implements Comparable<Bdf> {

    public Bdf {
        check("segment", segment, 0xffff);
        check("bus", bus, 0xff);
        check("device", device, 0x1f);
        check("function", function, 7);
    }

    private static void check(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(
                    "PCI " + what + " " + value + " is out of range 0.." + max);
        }
    }

    public static Bdf of(int segment, int bus, int devfn) {
        Devfn d = new Devfn(devfn);
        return new Bdf(segment, bus, d.device(), d.function());
    }

    /** The address with requester ID {@code rid} (bus*256 + devfn) in {@code segment}. */
    public static Bdf ofRid(int segment, int rid) {
        if (rid < 0 || rid > 0xffff) {
            throw new IllegalArgumentException("requester ID " + rid + " is out of range 0..65535");
        }
        return of(segment, rid >> 8, rid & 0xff);
    }

    /**
     * Parses {@code SSSS:BB:DD.F} (hex digits, either case, the widths exact), with an error that says what is wrong.
     * By hand, not with a regular expression: every stored event holds BDFs, and reading them back this way took a
     * sixth of a views rebuild's reading thread.
     */
    @JsonCreator
    public static Bdf parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a BDF is required (SSSS:BB:DD.F)");
        }
        String t = text.trim();
        int segment = -1;
        int bus = -1;
        int device = -1;
        int function = -1;
        if (t.length() == 12 && t.charAt(4) == ':' && t.charAt(7) == ':' && t.charAt(10) == '.') {
            segment = hex(t, 0, 4);
            bus = hex(t, 5, 7);
            device = hex(t, 8, 10);
            function = hex(t, 11, 12);
        }
        if (segment < 0 || bus < 0 || device < 0 || function < 0) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a BDF: expected SSSS:BB:DD.F in hex, e.g. 0000:06:00.0");
        }
        if (device > 0x1f) {
            throw new IllegalArgumentException(
                    "'" + text + "': device " + t.substring(8, 10) + " is out of range 00..1f");
        }
        if (function > 7) {
            throw new IllegalArgumentException(
                    "'" + text + "': function " + t.substring(11, 12) + " is out of range 0..7");
        }
        return new Bdf(segment, bus, device, function);
    }

    /** The hex number in {@code t} from {@code start} to {@code end}, or -1 if a character there is no hex digit. */
    private static int hex(String t, int start, int end) {
        int value = 0;
        for (int i = start; i < end; i++) {
            char c = t.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    public int devfn() {
        return device * 8 + function;
    }

    /** Requester ID: bus*256 + devfn. */
    public int rid() {
        return bus * 256 + devfn();
    }

    /** {@code BB:DD.F}, the short form Xen prints inside one segment. */
    public String shortText() {
        return new String(new char[]{HEX[bus >> 4], HEX[bus & 15], ':', HEX[device >> 4], HEX[device & 15], '.',
                HEX[function]});
    }

    /**
     * {@code SSSS:BB:DD.F} in lowercase hex, as {@code String.format("%04x:%02x:%02x.%x", …)} prints it (the fields
     * are range-checked, so the widths always hold); built by hand because every event, view row and JSON document
     * prints BDFs, and the formatter cost a microsecond each.
     */
    @JsonValue
    @Override
    public String toString() {
        return new String(new char[]{HEX[segment >> 12], HEX[segment >> 8 & 15], HEX[segment >> 4 & 15],
                HEX[segment & 15], ':', HEX[bus >> 4], HEX[bus & 15], ':', HEX[device >> 4], HEX[device & 15], '.',
                HEX[function]});
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public int compareTo(Bdf o) {
        int c = Integer.compare(segment, o.segment);
        return c != 0 ? c : Integer.compare(rid(), o.rid());
    }
}
