package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.domain.value.Policy;

/**
 * Which view of a replay to return: the state under {@code policy} (null: the file's own Xen
 * build; any other is a what-if fold of the same history), after step {@code atStep} or event
 * {@code atEvent} (both null: the end). The system itself always runs the file's own build,
 * so its {@code expect} blocks mean what their author wrote.
 */
public record ReplayOptions(Policy policy, Integer atStep, Integer atEvent) {
    public static final ReplayOptions DEFAULT = new ReplayOptions(null, null, null);

    public ReplayOptions {
        if (atStep != null && atEvent != null) {
            throw new IllegalArgumentException("give --at-step or --at-event, not both");
        }
    }
}
