package dev.pcitimeline.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by HostileInputProperties: a query parameter given twice, the first value not a number
 * ({@code ?at-event=2147483648&at-event=0}), was answered "at-event: '[Ljava.lang.String;@2af414b4' is not an
 * integer": a Java class name and an object address in the response. Now the values are quoted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceApiTest.STORE)
class RepeatedParameterTest {
    @LocalServerPort
    int port;

    @Test
    void aRepeatedParameterIsQuotedNotPrintedAsAnArray() {
        RawHttp http = new RawHttp(port);
        RawHttp.Response created = http.post("/api/systems", "application/yaml",
                "scenario: twice\ntopology: []\nsteps: [xen-boot]\n".getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String system = created.json().get("system").asText();
        for (String query : new String[]{"/state?at-event=2147483648&at-event=0", "/events?from=x&from=1",
                "/diff?from=1&to=a&to=b", "/audit/bus2bridge/6?at-event=z&at-event=1"}) {
            RawHttp.Response r = http.get("/api/systems/" + system + query);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            JsonNode p = r.json();
            assertThat(p.get("detail").asText()).as(r.toString()).doesNotContain("[L").doesNotContain("java.")
                    .contains("given 2 times").contains("give it once");
        }
    }
}
