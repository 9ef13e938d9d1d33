package dev.pcitimeline.app.web;

import dev.pcitimeline.scenarios.format.ScenarioException;

/**
 * A well-formed request the model refuses (API.md's 422): a step that names an unknown device,
 * plugs into an occupied slot, enables more VFs than the PF has… Nothing was stored.
 * {@code where} carries file, line and key when the refusal came from checking a scenario body.
 */
final class ModelRefusedException extends RuntimeException {
    private final String field;
    private final ScenarioException where;

    ModelRefusedException(String field, String message) {
        super(message);
        this.field = field;
        this.where = null;
    }

    ModelRefusedException(ScenarioException where) {
        super(where.getMessage(), where);
        this.field = where.key();
        this.where = where;
    }

    String field() {
        return field;
    }

    /** File, line and key for a scenario body; null for a single step. */
    ScenarioException where() {
        return where;
    }
}
