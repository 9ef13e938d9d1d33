package dev.pcitimeline.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pcitimeline.app.web.Http.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A service stopped and started again on the same store answers every read with identical JSON and goes on writing. */
class RestartTest {
    @TempDir
    Path db;

    @Test
    void aRestartedServiceHasTheSameSystemsAndIdenticalStates() throws IOException {
        String system;
        Map<String, String> before;
        try (ConfigurableApplicationContext first = Services.start(db)) {
            Http http = Services.client(first);
            Response created = http.post("/api/systems", Http.YAML, ServiceApiTest.library("seed-assign-busses.yaml"));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            system = created.json().get("system").asText();
            assertThat(http.post("/api/systems/" + system + "/steps", Http.JSON_TYPE, "{\"remove\": \"0000:0a:00.0\"}")
                    .status()).isEqualTo(200);
            before = reads(http, system);
        }

        try (ConfigurableApplicationContext second = Services.start(db)) {
            Http http = Services.client(second);
            Map<String, String> after = reads(http, system);
            assertThat(after.keySet()).isEqualTo(before.keySet());
            after.forEach((path, body) -> assertThat(body).as(path).isEqualTo(before.get(path)));

            // The aggregate comes back from the store: the next step is number 7, right after the stored ones.
            Response step = http.post("/api/systems/" + system + "/steps", Http.JSON_TYPE, "{\"remove\": \"0000:0a:00.0\"}");
            assertThat(step.status()).as(step.toString()).isEqualTo(200);
            JsonNode result = step.json();
            assertThat(result.get("step").asInt()).isEqualTo(7);
            assertThat(result.get("outcome").asText()).isEqualTo("ENODEV");
            long events = http.get("/api/systems/" + system).json().get("events").asLong();
            assertThat(result.get("event").asLong()).isEqualTo(events);
        }
    }

    /** Every read of the system, by path: the list, the state at several points and policies, events, audit, diff. */
    private static Map<String, String> reads(Http http, String system) {
        String base = "/api/systems/" + system;
        Map<String, String> out = new LinkedHashMap<>();
        for (String path : List.of("/api/systems", base, base + "/state", base + "/state?at-step=0",
                base + "/state?at-step=1&policy=fix-trap-bus-writes", base + "/state?at-event=20",
                base + "/state?policy=fix-invalidate-loop", base + "/events", base + "/audit/bus2bridge/3",
                base + "/audit/pdev/0000:04:00.0", base + "/diff?from=10", base + "/diff?vs=fix-remember-range")) {
            Response r = http.get(path);
            assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
            out.put(path, r.body());
        }
        return out;
    }
}
