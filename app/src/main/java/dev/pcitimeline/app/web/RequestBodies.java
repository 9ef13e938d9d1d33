package dev.pcitimeline.app.web;

import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * Reads request bodies ourselves rather than through a message converter, so that the size limit
 * holds whatever the container is configured to accept (a declared length over the limit is refused
 * before a byte is read; a chunked body is cut off one byte past it) and text is decoded strictly:
 * UTF-8 unless {@code Content-Type} names another charset, and malformed bytes are an error, never
 * replacement characters that the parser would then blame on the wrong line.
 */
final class RequestBodies {
    /** Largest body accepted: 1 MiB (API.md). */
    static final int MAX_BYTES = 1 << 20;

    private RequestBodies() {
    }

    static String readText(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BYTES) {
            throw new BodyTooLargeException(declared);
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new BodyTooLargeException(-1);
        }
        if (bytes.length == 0) {
            throw new InvalidInputException("body", "the request body is empty");
        }
        Charset charset = charset(request.getCharacterEncoding());
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("body", "the request body is not valid " + charset.name() + " text");
        }
    }

    private static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new InvalidInputException("Content-Type", "unsupported charset '" + name + "'");
        }
    }
}
