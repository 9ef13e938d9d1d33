package dev.pcitimeline.projections.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code pcitimeline.db} value that names a PostgreSQL database, as the JDBC URL and the credentials it carries.
 *
 * <ul>
 *   <li>{@code postgresql://[user[:password]@]host[:port][/dbname][?param=value&...]} (libpq's URI form, also with
 *       the {@code postgres://} scheme): the JDBC URL is {@code jdbc:postgresql://host[:port][/dbname][?...]};
 *       user and password are percent-decoded (so a password may contain {@code @}, {@code :} or {@code /} as
 *       {@code %40}, {@code %3A}, {@code %2F}). Several hosts ({@code h1:5432,h2:5432}) pass through as the driver
 *       accepts them.</li>
 *   <li>{@code jdbc:postgresql:...}: used as it is; credentials, if any, are the driver's {@code user}/{@code
 *       password} parameters or {@code spring.datasource.username}/{@code password}.</li>
 * </ul>
 *
 * The credentials are kept apart from the URL so that the URL can be logged.
 */
record PostgresLocation(String jdbcUrl, String username, String password) {

    static final String JDBC_PREFIX = "jdbc:postgresql:";
    static final String DRIVER_CLASS = "org.postgresql.Driver";
    private static final String[] URI_SCHEMES = {"postgresql://", "postgres://"};

    /** The location {@code value} names, or empty when it is not a PostgreSQL URL (a directory, {@code mem}). */
    static Optional<PostgresLocation> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith(JDBC_PREFIX)) {
            return Optional.of(new PostgresLocation(JDBC_PREFIX + trimmed.substring(JDBC_PREFIX.length()), null, null));
        }
        for (String scheme : URI_SCHEMES) {
            if (lower.startsWith(scheme)) {
                return Optional.of(fromUri(trimmed.substring(scheme.length()), value));
            }
        }
        return Optional.empty();
    }

    static boolean isPostgresJdbcUrl(String url) {
        return url != null && url.trim().toLowerCase(Locale.ROOT).startsWith(JDBC_PREFIX);
    }

    /** {@code rest}: everything after {@code scheme://}. */
    private static PostgresLocation fromUri(String rest, String original) {
        int pathStart = indexOfAny(rest, '/', '?');
        String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
        String pathAndQuery = pathStart < 0 ? "" : rest.substring(pathStart);
        // The last '@' ends the user info: an unencoded '@' in a password still parses.
        int at = authority.lastIndexOf('@');
        String username = null;
        String password = null;
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
            if (username.isEmpty()) {
                username = null;
            }
        }
        if (authority.isEmpty()) {
            // libpq would use a Unix socket; the JDBC driver only speaks TCP.
            authority = "localhost";
        }
        if (authority.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("pcitimeline.db: cannot read the host of PostgreSQL URL "
                    + redact(original));
        }
        return new PostgresLocation("jdbc:postgresql://" + authority + pathAndQuery, username, password);
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == a || s.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }

    /** Percent-decoding as in a URI: unlike a form, '+' is a plus. */
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** {@code original} without its user info, for error messages. */
    private static String redact(String original) {
        return original.replaceFirst("//[^/?]*@", "//***@");
    }

    /** Never print the password (records print every component). */
    @Override
    public String toString() {
        return "PostgresLocation[" + jdbcUrl + ", user=" + username + "]";
    }
}
