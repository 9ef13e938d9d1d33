package dev.pcitimeline.domain.machine;

import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Outcome;

/**
 * A step's outcome from the outcomes of the Xen operations inside it (SCENARIOS.md): a
 * single-hypercall step reports that hypercall's result; any other step {@code ok}, or
 * {@code HUNG} when an operation in it met a hung Xen. One rule for recording and for folds.
 */
public final class StepOutcome {
    private final boolean singleHypercall;
    private Outcome outcome = Outcome.OK;
    private boolean sawHypercall;

    public StepOutcome(Step.Kind kind) {
        this.singleHypercall = kind.singleHypercall();
    }

    /** For a step known by its stored keyword (a {@code StepStarted} event). */
    public StepOutcome(String keyword) {
        this(Step.Kind.of(keyword));
    }

    /** Adds the outcome of one Xen-visible event of the step. */
    public void add(Outcome o) {
        if (singleHypercall && !sawHypercall) {
            outcome = o;
            sawHypercall = true;
        } else if (o == Outcome.HUNG) {
            outcome = Outcome.HUNG;
        }
    }

    public Outcome outcome() {
        return outcome;
    }
}
