package dev.pcitimeline.projections.query;

/** No system with that id in the views (never created, or not yet projected). */
public class UnknownSystemException extends RuntimeException {
    private final String system;

    public UnknownSystemException(String system) {
        super("unknown system '" + system + "'");
        this.system = system;
    }

    public String system() {
        return system;
    }
}
