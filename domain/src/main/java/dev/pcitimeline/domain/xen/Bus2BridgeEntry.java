package dev.pcitimeline.domain.xen;

/** One of the 256 bus2bridge entries: {@code {map, bus, devfn}}; an unmapped entry keeps its old bus/devfn. */
public record Bus2BridgeEntry(boolean map, int bus, int devfn) {
    public static final Bus2BridgeEntry EMPTY = new Bus2BridgeEntry(false, 0, 0);

    public static Bus2BridgeEntry mapped(int bus, int devfn) {
        return new Bus2BridgeEntry(true, bus, devfn);
    }

    public Bus2BridgeEntry unmapped() {
        return new Bus2BridgeEntry(false, bus, devfn);
    }

    @Override
    public String toString() {
        return String.format("%s%02x:%02x.%x", map ? "" : "(unmapped) ", bus, devfn >> 3, devfn & 7);
    }
}
