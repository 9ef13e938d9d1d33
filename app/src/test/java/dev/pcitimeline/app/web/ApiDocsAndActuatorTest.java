package dev.pcitimeline.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pcitimeline.app.web.Http.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The OpenAPI document describes every endpoint and parameter; actuator shows health (with the event processors) and metrics only. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceApiTest.STORE)
class ApiDocsAndActuatorTest {
    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpointAndParameter() {
        Response docs = http.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().get("paths");
        List<String> names = new ArrayList<>();
        paths.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("/api/systems", "/api/systems/{system}", "/api/systems/{system}/steps",
                "/api/systems/{system}/state", "/api/systems/{system}/events",
                "/api/systems/{system}/audit/bus2bridge/{bus}", "/api/systems/{system}/audit/pdev/{bdf}",
                "/api/systems/{system}/diff", "/api/systems/{system}/versions", "/api/policies");
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            for (Iterator<Map.Entry<String, JsonNode>> o = path.getValue().fields(); o.hasNext(); ) {
                Map.Entry<String, JsonNode> op = o.next();
                String where = op.getKey() + " " + path.getKey();
                assertThat(op.getValue().path("summary").asText()).as(where).isNotBlank();
                assertThat(op.getValue().path("description").asText()).as(where).isNotBlank();
                op.getValue().path("parameters").forEach(param -> assertThat(param.path("description").asText())
                        .as(where + " parameter " + param.path("name").asText()).isNotBlank());
            }
        }
        JsonNode create = paths.get("/api/systems").get("post");
        assertThat(create.get("requestBody").get("content").has("application/yaml")).isTrue();
        assertThat(create.get("responses").has("201")).isTrue();
        assertThat(create.get("responses").has("422")).isTrue();
        assertThat(paths.get("/api/systems/{system}/steps").get("post").get("responses").has("409")).isTrue();

        Response ui = http.get("/swagger-ui.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).containsIgnoringCase("swagger");
    }

    @Test
    void healthShowsTheEventProcessorsCaughtUp() {
        assertThat(http.post("/api/systems", Http.YAML, """
                scenario: health
                topology: [{id: nic, devfn: "19.0", kind: pcie-endpoint}]
                steps: [xen-boot]
                """).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Response health = http.get("/actuator/health");
            assertThat(health.status()).as(health.toString()).isEqualTo(200);
            JsonNode processors = health.json().get("components").get("eventProcessors");
            assertThat(processors.get("status").asText()).isEqualTo("UP");
            JsonNode views = processors.get("details").get("processors").get("views");
            assertThat(views.get("running").asBoolean()).isTrue();
            assertThat(views.get("error").asBoolean()).isFalse();
            assertThat(views.get("replaying").asBoolean()).isFalse();
            assertThat(views.get("caughtUp").asBoolean()).as(views.toString()).isTrue();
            assertThat(views.get("behind").asLong()).isZero();
            assertThat(views.get("position").asLong()).isEqualTo(processors.get("details").get("head").asLong());
        });
    }

    @Test
    void metricsIncludeAxonsAndNothingElseIsExposed() {
        Response metrics = http.get("/actuator/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        metrics.json().get("names").forEach(n -> names.add(n.asText()));
        assertThat(names).anyMatch(n -> n.startsWith("eventProcessor."))
                .anyMatch(n -> n.startsWith("commandBus."))
                .anyMatch(n -> n.startsWith("eventStore."));
        assertThat(http.get("/actuator/info").status()).isEqualTo(200);
        for (String hidden : List.of("env", "beans", "configprops", "loggers", "heapdump", "threaddump", "mappings")) {
            assertThat(http.get("/actuator/" + hidden).status()).as(hidden).isEqualTo(404);
        }
        assertThat(http.get("/h2-console").status()).isEqualTo(404);
    }
}
