package dev.pcitimeline.scenarios.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A text dump as the importers read it: lines without their terminators, with the real-world
 * mess that carries no meaning normalised away. Captures copied from mails and web pages hold
 * no-break and other Unicode spaces (xl dmesg's {@code (XEN) \u00a0VGA ...}), Windows line
 * ends and, after a bad transcoding, replacement characters; all of them read as a space.
 */
public record TextInput(String source, List<String> lines) {

    /** Far above any real lspci or xl dmesg capture; keeps a wrong file from filling memory. */
    static final long MAX_BYTES = 32L * 1024 * 1024;

    public TextInput {
        lines = List.copyOf(lines);
    }

    /** Reads {@code file}; the file name (without directories) names it in messages. */
    public static TextInput read(Path file) {
        Path name = file.getFileName();
        String source = name == null ? file.toString() : name.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ImportException(source, 0, "is a directory, not a file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new ImportException(source, 0, "the file is larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImportException(source, 0, "no such file: " + file);
        } catch (IOException e) {
            throw new ImportException(source, 0, "cannot read the file: " + e.getMessage());
        }
        return of(source, bytes);
    }

    /** Decodes a capture: UTF-8, with undecodable bytes read as spaces (a Latin-1 no-break space is one). */
    public static TextInput of(String source, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new ImportException(source, lineOf(bytes, i),
                        "binary data (a NUL byte): expected the text output of lspci or xl dmesg");
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        String text;
        try {
            text = decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ImportException(source, 0, "not text: " + e.getMessage()); // not reached with REPLACE
        }
        return of(source, text);
    }

    public static TextInput of(String source, String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i < text.length() || start < i) {
                    lines.add(normalise(text.substring(start, i)));
                }
                start = i + 1;
            }
        }
        return new TextInput(source, lines);
    }

    /** Unicode spaces and replacement characters become plain spaces; CR and trailing blanks go. */
    static String normalise(String line) {
        StringBuilder b = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\u00a0' || (c >= '\u2000' && c <= '\u200a') || c == '\u202f' || c == '\u205f'
                    || c == '\u3000' || c == '\ufeff' || c == '\ufffd') {
                b.append(' ');
            } else if (c == '\r') {
                continue;
            } else if (c == '\t' || c >= ' ') {
                b.append(c);
            } else {
                b.append(' '); // other control characters (escape sequences of a terminal capture)
            }
        }
        int end = b.length();
        while (end > 0 && (b.charAt(end - 1) == ' ')) {
            end--;
        }
        b.setLength(end);
        return b.toString();
    }

    /** {@code text} cut to {@code max} characters for a one-line message. */
    static String shorten(String text, int max) {
        String t = text.strip();
        return t.length() <= max ? t : t.substring(0, max - 3) + "...";
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
