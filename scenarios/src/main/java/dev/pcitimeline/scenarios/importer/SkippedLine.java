package dev.pcitimeline.scenarios.importer;

/** A line of a dump or log an importer did not use, and why. */
public record SkippedLine(int line, String reason, String text) {

    @Override
    public String toString() {
        return "line " + line + ": " + reason + ": " + TextInput.shorten(text, 100);
    }
}
