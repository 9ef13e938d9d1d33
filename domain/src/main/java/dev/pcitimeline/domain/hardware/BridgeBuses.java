package dev.pcitimeline.domain.hardware;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

import static dev.pcitimeline.domain.value.BusNumber.check;

/** A bridge's bus number registers: primary (0x18), secondary (0x19), subordinate (0x1a). */
public record BridgeBuses(int primary, int secondary, int subordinate) {
    public static final BridgeBuses ZERO = new BridgeBuses(0, 0, 0);

    public BridgeBuses {
        check("primary", primary);
        check("secondary", secondary);
        check("subordinate", subordinate);
    }

    /** Scenario and JSON form: {@code [primary, secondary, subordinate]}. */
    @JsonCreator
    public static BridgeBuses of(List<Integer> triple) {
        if (triple == null || triple.size() != 3) {
            throw new IllegalArgumentException("buses must be [primary, secondary, subordinate]");
        }
        return new BridgeBuses(triple.get(0), triple.get(1), triple.get(2));
    }

    @JsonValue
    public List<Integer> asList() {
        return List.of(primary, secondary, subordinate);
    }

    /** Whether a type 1 request for {@code bus} goes through this bridge. */
    public boolean claims(int bus) {
        return secondary <= bus && bus <= subordinate;
    }

    @Override
    public String toString() {
        return String.format("%02x/%02x/%02x", primary, secondary, subordinate);
    }
}
