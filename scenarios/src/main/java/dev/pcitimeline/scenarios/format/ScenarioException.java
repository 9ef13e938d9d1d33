package dev.pcitimeline.scenarios.format;

/**
 * An invalid scenario file or step: the message is {@code file:line: key: reason}, e.g.
 * {@code seed.yaml:14: steps[3].add.bdf: '0000:06:20.0': device 20 is out of range 00..1f}.
 * Line 0 means the problem has no line (the file could not be read); an empty key means the
 * document as a whole.
 */
public final class ScenarioException extends RuntimeException {
    /**
     * Longest key path and reason kept: both may quote the document (an unknown key, a value that does not parse),
     * and a hostile document's megabyte-long key or number must not come back whole in every error message.
     */
    static final int MAX_KEY_LENGTH = 512;
    static final int MAX_REASON_LENGTH = 1000;

    private final String file;
    private final int line;
    private final String key;
    private final String reason;

    public ScenarioException(String file, int line, String key, String reason) {
        this(file, line, key, reason, null);
    }

    public ScenarioException(String file, int line, String key, String reason, Throwable cause) {
        super(format(file, line, abbreviate(key, MAX_KEY_LENGTH), abbreviate(reason, MAX_REASON_LENGTH)), cause);
        this.file = file;
        this.line = line;
        this.key = abbreviate(key, MAX_KEY_LENGTH);
        this.reason = abbreviate(reason, MAX_REASON_LENGTH);
    }

    /** {@code text} cut to {@code max} characters (never inside a surrogate pair), saying how much was left out. */
    static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.length() <= max) {
            return text;
        }
        int cut = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, cut) + "… (" + (text.length() - cut) + " more characters)";
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
