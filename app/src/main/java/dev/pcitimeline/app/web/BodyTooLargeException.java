package dev.pcitimeline.app.web;

/** A request body over {@link RequestBodies#MAX_BYTES}: 413, nothing read further, nothing stored. */
final class BodyTooLargeException extends RuntimeException {
    BodyTooLargeException(long declaredLength) {
        super("the request body" + (declaredLength > 0 ? " (" + declaredLength + " bytes)" : "")
                + " is larger than the limit of " + RequestBodies.MAX_BYTES + " bytes (1 MiB)");
    }
}
