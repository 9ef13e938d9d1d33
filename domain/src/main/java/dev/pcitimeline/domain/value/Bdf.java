package dev.pcitimeline.domain.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI address {@code SSSS:BB:DD.F}: segment (16 bits), bus (8), device (5), function (3).
 * Serialized as its text so events and JSON read like Xen's log.
 */
public record Bdf(int segment, int bus, int device, int function) implements Comparable<Bdf> {

    private static final Pattern FORMAT =
            Pattern.compile("([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-9a-fA-F])");

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

    /** Parses {@code SSSS:BB:DD.F} (hex), with an error that says what is wrong. */
    @JsonCreator
    public static Bdf parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a BDF is required (SSSS:BB:DD.F)");
        }
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a BDF: expected SSSS:BB:DD.F in hex, e.g. 0000:06:00.0");
        }
        int device = Integer.parseInt(m.group(3), 16);
        int function = Integer.parseInt(m.group(4), 16);
        if (device > 0x1f) {
            throw new IllegalArgumentException(
                    "'" + text + "': device " + m.group(3) + " is out of range 00..1f");
        }
        if (function > 7) {
            throw new IllegalArgumentException(
                    "'" + text + "': function " + m.group(4) + " is out of range 0..7");
        }
        return new Bdf(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16), device, function);
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
