package dev.pcitimeline.projections.store;

import java.time.Instant;
import java.util.List;

/** A test event shaped like ours: a record with a nested record list, a java.time value and a validating constructor. */
record DeviceProbed(String systemId, String bdf, Instant at, List<Function> functions) {

    DeviceProbed {
        if (systemId == null || systemId.isBlank()) {
            throw new IllegalArgumentException("systemId is required");
        }
        functions = List.copyOf(functions);
    }

    record Function(int number, String kind) {
    }

    /** Not state: must not end up in the JSON (getters are invisible to the store's mapper). */
    public boolean isMultiFunction() {
        return functions.size() > 1;
    }
}
