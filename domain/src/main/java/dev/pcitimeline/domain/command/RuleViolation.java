package dev.pcitimeline.domain.command;

/** A command broke an invariant: nothing was stored. The message says which and why. */
public class RuleViolation extends RuntimeException {
    public RuleViolation(String message) {
        super(message);
    }
}
