package dev.pcitimeline.domain.value;

/** Range checks for 8-bit bus numbers; buses stay plain {@code int}s on hot paths. */
public final class BusNumber {
    public static final int MAX = 0xff;

    private BusNumber() {
    }

    public static int check(String field, int bus) {
        if (bus < 0 || bus > MAX) {
            throw new IllegalArgumentException(field + " " + bus + " is out of range 0..255");
        }
        return bus;
    }
}
