package dev.pcitimeline.domain.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Device and function on one bus, {@code devfn = device*8 + function}; written {@code "1c.0"}. */
public record Devfn(int value) implements Comparable<Devfn> {

    private static final Pattern FORMAT = Pattern.compile("([0-9a-fA-F]{1,2})\\.([0-9])");

    public Devfn {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException("devfn " + value + " is out of range 0..255");
        }
    }

    public static Devfn of(int device, int function) {
        if (device < 0 || device > 0x1f) {
            throw new IllegalArgumentException("device " + device + " is out of range 00..1f");
        }
        if (function < 0 || function > 7) {
            throw new IllegalArgumentException("function " + function + " is out of range 0..7");
        }
        return new Devfn(device * 8 + function);
    }

    /** Parses {@code DD.F} (device in hex 00-1f, function 0-7). */
    @JsonCreator
    public static Devfn parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a devfn is required (DD.F)");
        }
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a devfn: expected DD.F, device in hex 00-1f, function 0-7");
        }
        return of(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2)));
    }

    public int device() {
        return value >> 3;
    }

    public int function() {
        return value & 7;
    }

    @JsonValue
    @Override
    public String toString() {
        return String.format("%02x.%x", device(), function());
    }

    @Override
    public int compareTo(Devfn o) {
        return Integer.compare(value, o.value);
    }
}
