package dev.pcitimeline.app.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Enforces {@link WriteAccess}: with a token configured, a request other than GET, HEAD or OPTIONS without
 * {@code Authorization: Bearer <token>} gets a 401 problem document before its body is read. The token is compared
 * by SHA-256 digest with {@link MessageDigest#isEqual} (constant time). Decided from the address the server really
 * binds ({@code server.address} as the environment resolves it), so a service bound off loopback without a token
 * does not start, however the address was set.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
public class WriteAccessFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(WriteAccessFilter.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String BEARER = "Bearer ";

    /** The token's digest; null when writes are open (loopback, no token file). */
    private final byte[] token;

    public WriteAccessFilter(@Value("${server.address:}") String address,
                             @Value("${" + WriteAccess.TOKEN_FILE_PROPERTY + ":}") String tokenFile) {
        if (!tokenFile.isBlank()) {
            token = WriteAccess.digest(WriteAccess.readToken(Path.of(tokenFile)));
            log.info("writes need a bearer token (from {})", tokenFile);
        } else if (WriteAccess.isLoopback(address)) {
            token = null;
        } else {
            throw new IllegalStateException("the service would listen on " + (address.isBlank() ? "every interface"
                    : address) + ", not on loopback, without a token for writes: give serve --token-file FILE");
        }
    }

    /** Whether writes need the token. */
    boolean enforced() {
        return token != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (token == null || READS.contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            refuse(response, "writes need 'Authorization: Bearer <token>' (the token of serve --token-file)", false);
            return;
        }
        byte[] presented = WriteAccess.digest(header.substring(BEARER.length()).strip());
        if (!MessageDigest.isEqual(presented, token)) {
            refuse(response, "the bearer token is not the service's", true);
            return;
        }
        chain.doFilter(request, response);
    }

    /** 401 as application/problem+json, with the challenge RFC 6750 asks for. */
    private static void refuse(HttpServletResponse response, String detail, boolean wrongToken) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, wrongToken
                ? "Bearer realm=\"pci-timeline\", error=\"invalid_token\"" : "Bearer realm=\"pci-timeline\"");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\""
                + detail.replace("\"", "\\\"") + "\",\"field\":\"Authorization\"}");
    }
}
