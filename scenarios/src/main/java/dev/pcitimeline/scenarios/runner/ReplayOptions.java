package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.domain.value.Policy;

/**
 * How to replay: {@code policy} overrides the file's Xen build (null: the file's), and the
 * state returned is after step {@code atStep} or event {@code atEvent} (both null: the end).
 */
public record ReplayOptions(Policy policy, Integer atStep, Integer atEvent) {
    public static final ReplayOptions DEFAULT = new ReplayOptions(null, null, null);

    public ReplayOptions {
        if (atStep != null && atEvent != null) {
            throw new IllegalArgumentException("give --at-step or --at-event, not both");
        }
    }
}
