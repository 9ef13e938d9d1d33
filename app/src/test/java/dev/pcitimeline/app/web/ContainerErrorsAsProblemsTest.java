package dev.pcitimeline.app.web;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests Tomcat refuses before Spring sees them were answered with Tomcat's HTML error page (found by
 * HostileInputProperties: system ids with an encoded slash or NUL, a request line over 8 KiB). They are
 * problem documents now, like every other error, and say nothing about the server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceApiTest.STORE)
class ContainerErrorsAsProblemsTest {
    @LocalServerPort
    int port;

    @Test
    void requestsTomcatRefusesAreProblemDocuments() {
        RawHttp http = new RawHttp(port);
        problem(http.get("/api/systems/..%2F..%2Fetc%2Fpasswd/state"));
        problem(http.get("/api/systems/%00/state"));
        problem(http.get("/api/systems/x/state?policy=" + "x".repeat(10_000)));
        problem(http.send("GET", "/api/systems/a\u00ffb", Map.of(), null));
        problem(http.send("POST", "/api/systems/x%2Fy/steps", Map.of("Content-Type", "application/json"),
                "\"xen-boot\"".getBytes()));
        problem(http.send("GET", "/api/systems", Map.of("X-Big", "y".repeat(10_000)), null));
    }

    private static void problem(RawHttp.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.body()).doesNotContain("<html").doesNotContain("Tomcat").doesNotContain("Exception");
        assertThat(r.json().get("status").asInt()).isEqualTo(400);
        assertThat(r.json().get("title").asText()).isEqualTo("Bad Request");
        assertThat(r.json().get("detail").asText()).contains("refused before it reached the service");
    }
}
