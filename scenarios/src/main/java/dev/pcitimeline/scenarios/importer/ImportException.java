package dev.pcitimeline.scenarios.importer;

/**
 * Input an importer cannot turn into a scenario: the message is {@code file:line: what}
 * ({@code file: what} when no line is to blame), so the command line can print it as is.
 */
public final class ImportException extends RuntimeException {

    private final String file;
    private final int line;
    private final String reason;

    public ImportException(String file, int line, String reason) {
        super(line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    /** 1-based line, 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
