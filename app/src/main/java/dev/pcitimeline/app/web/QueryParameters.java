package dev.pcitimeline.app.web;

import dev.pcitimeline.domain.value.Policy;

/** Checks of query parameters that Spring's type conversion cannot do; each failure names the parameter. */
final class QueryParameters {
    static final String AT_EVENT = "at-event";
    static final String AT_STEP = "at-step";

    private QueryParameters() {
    }

    /** A Xen build by name, or null when absent. */
    static Policy policy(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Policy.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(name, name + ": " + e.getMessage());
        }
    }

    /** {@code at-event} and {@code at-step} exclude each other. */
    static void onePoint(Integer atEvent, Integer atStep) {
        if (atEvent != null && atStep != null) {
            throw new InvalidInputException(AT_EVENT, "at-event and at-step exclude each other: give one of them");
        }
    }

    /** The parameter a point-out-of-range error is about. */
    static String pointField(Integer atEvent) {
        return atEvent != null ? AT_EVENT : AT_STEP;
    }

    /** An event range {@code from..to}, each optional, events numbered from 1. */
    static void eventRange(Long from, Long to) {
        if (from != null && from < 1) {
            throw new InvalidInputException("from", "from: " + from + " is out of range: events are numbered from 1");
        }
        if (to != null && to < 1) {
            throw new InvalidInputException("to", "to: " + to + " is out of range: events are numbered from 1");
        }
        if (from != null && to != null && to < from) {
            throw new InvalidInputException("to", "to: " + to + " is before from " + from);
        }
    }
}
