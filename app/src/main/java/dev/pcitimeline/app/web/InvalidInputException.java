package dev.pcitimeline.app.web;

/** Invalid input that is not a scenario document (a query parameter, the body's encoding…): 400 naming {@code field}. */
final class InvalidInputException extends RuntimeException {
    private final String field;

    InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    String field() {
        return field;
    }
}
