package dev.pcitimeline.scenarios.format;

/**
 * An invalid scenario file or step: the message is {@code file:line: key: reason}, e.g.
 * {@code seed.yaml:14: steps[3].add.bdf: '0000:06:20.0': device 20 is out of range 00..1f}.
 * Line 0 means the problem has no line (the file could not be read); an empty key means the
 * document as a whole.
 */
public final class ScenarioException extends RuntimeException {

    private final String file;
    private final int line;
    private final String key;
    private final String reason;

    public ScenarioException(String file, int line, String key, String reason) {
        this(file, line, key, reason, null);
    }

    public ScenarioException(String file, int line, String key, String reason, Throwable cause) {
        super(format(file, line, key, reason), cause);
        this.file = file;
        this.line = line;
        this.key = key == null ? "" : key;
        this.reason = reason;
    }

    private static String format(String file, int line, String key, String reason) {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line);
        }
        b.append(": ");
        if (key != null && !key.isEmpty()) {
            b.append(key).append(": ");
        }
        return b.append(reason).toString();
    }

    /** The file name, or {@code <request>} for a request body. */
    public String file() {
        return file;
    }

    /** 1-based line of the offending key or value; 0 when there is none. */
    public int line() {
        return line;
    }

    /** Path of the offending key, e.g. {@code topology[0].children[1].kind}; empty for the whole document. */
    public String key() {
        return key;
    }

    /** What is wrong, without file, line and key. */
    public String reason() {
        return reason;
    }
}
