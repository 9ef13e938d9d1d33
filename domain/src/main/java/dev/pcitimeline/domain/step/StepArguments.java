package dev.pcitimeline.domain.step;

import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;

/**
 * The arguments of one step as a reader (the scenario parser) found them, typed on request.
 * Each {@link Step.Kind} builds its step from these; the reader checks that only the kind's keys
 * are present and turns every bad value into an error naming the file, line and key. A step
 * written with a lone value ({@code add: "0000:06:00.0"}) answers that value under its kind's
 * {@link Step.Kind#scalarKey() scalar key}.
 */
public interface StepArguments {

    boolean has(String key);

    /** A required BDF in this system's segment. */
    Bdf bdf(String key);

    /** A required bus number, 0..255. */
    int bus(String key);

    /** A required device id of the hardware tree ({@code [a-z0-9._-]{1,40}}). */
    String id(String key);

    /** A required whole number in {@code min..max}. */
    int integer(String key, int min, int max);

    /** An optional boolean, false when absent. */
    boolean flag(String key);

    /** A required guest domain (>= 1): passthrough never targets dom0. */
    DomainId guest(String key);

    /** A required dom0 reporting mode ({@code discovery} or {@code after-scan}). */
    Step.Reporting reporting(String key);

    /** A required function subtree; {@code onRootBus}: it may carry a {@code bus} key. */
    FunctionSpec function(String key, boolean onRootBus);

    default Bdf optionalBdf(String key) {
        return has(key) ? bdf(key) : null;
    }

    default Integer optionalBus(String key) {
        return has(key) ? bus(key) : null;
    }
}
