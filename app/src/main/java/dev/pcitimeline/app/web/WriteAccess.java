package dev.pcitimeline.app.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * Who may write. The service binds to loopback by default and then anyone on this machine may write, as with
 * any local tool. Bound to any other address, writes (every method but GET, HEAD and OPTIONS) need
 * {@code Authorization: Bearer <token>}, the token read from a file given with {@code serve --token-file}; without
 * one the service refuses to start. Reads stay open. A token file given on loopback is enforced too.
 */
public final class WriteAccess {
    /** Where the token file is; {@code serve --token-file} sets it. */
    public static final String TOKEN_FILE_PROPERTY = "pcitimeline.web.token-file";
    /** Shortest token accepted: a guessable token is no protection. */
    public static final int MIN_TOKEN_LENGTH = 16;
    private static final int MAX_TOKEN_LENGTH = 4096;
    /** Visible ASCII: what an HTTP header carries without escaping. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");

    private WriteAccess() {
    }

    /**
     * Whether {@code address} (as {@code server.address} takes it) is a loopback address: 127.0.0.0/8, ::1, or a
     * name resolving to one. None (empty) means every interface, which is not.
     *
     * @throws IllegalArgumentException when the name does not resolve
     */
    public static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address.strip()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--address " + address + ": unknown host");
        }
    }

    /**
     * The options {@code serve} was given, checked before anything starts: off loopback a token file is required.
     *
     * @throws IllegalArgumentException naming the option and what to do
     */
    public static void check(String address, Path tokenFile) {
        if (tokenFile != null) {
            readToken(tokenFile);
        } else if (!isLoopback(address)) {
            throw new IllegalArgumentException("--address " + address + " is not a loopback address, so writes must be"
                    + " authenticated: give --token-file FILE, a file holding the token (at least " + MIN_TOKEN_LENGTH
                    + " visible ASCII characters) that POST requests must send as 'Authorization: Bearer <token>'");
        }
    }

    /**
     * The token in {@code file}: its content without surrounding white space.
     *
     * @throws IllegalArgumentException when it cannot be read or is not a usable token
     */
    public static String readToken(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_TOKEN_LENGTH) {
                throw new IllegalArgumentException("--token-file " + file + ": larger than " + MAX_TOKEN_LENGTH
                        + " bytes; it should hold the token alone");
            }
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("--token-file " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("--token-file " + file + ": the file is empty");
        }
        if (!TOKEN.matcher(text).matches()) {
            throw new IllegalArgumentException("--token-file " + file + ": the token must be one word of visible"
                    + " ASCII characters (no spaces or control characters)");
        }
        if (text.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("--token-file " + file + ": the token has " + text.length()
                    + " characters; at least " + MIN_TOKEN_LENGTH + " are needed");
        }
        return text;
    }

    /** SHA-256 of a token: tokens are compared by digest, in constant time whatever their lengths. */
    static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
