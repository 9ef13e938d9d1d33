package dev.pcitimeline.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pcitimeline.app.web.Http.Response;
import dev.pcitimeline.domain.value.Policy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/systems/{system}/versions} and {@code GET /api/policies} over HTTP, on the same store settings as
 * {@link ServiceApiTest} (so Spring's test context is shared). Values from seed-assign-busses' comments
 * (XEN-MODEL.md worked by hand): under fix-trap-bus-writes Linux's trapped pass-0 write of the Tundra (0/0/0) fills
 * bus 0, then its 3/4/ff fills 4..ff and never ends, both in step 1 (dom0-boot).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceApiTest.STORE)
class VersionsApiTest {
    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void every_policy_is_a_row_and_the_trapped_writes_hang_in_dom0_boot() throws IOException {
        Response created = http.post("/api/systems", Http.YAML, ServiceApiTest.library("seed-assign-busses.yaml"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String system = created.json().get("system").asText();

        Response r = http.get("/api/systems/" + system + "/versions");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode rows = r.json();
        List<String> keys = new ArrayList<>();
        rows.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isEqualTo(Arrays.stream(Policy.values()).map(Policy::text).toList());

        JsonNode base = rows.get("xen-4.4");
        assertThat(base.get("released").asBoolean()).isTrue();
        assertThat(base.get("hung").asBoolean()).isFalse();
        assertThat(base.get("outcomes")).isEmpty();
        assertThat(base.get("departsAtEvent").isNull()).isTrue();
        // the scenario's last expect: the dom0 NIC's alias RID 04:00.0 is dom2's
        assertThat(base.get("findings").get("CONTEXT_FOREIGN").asInt()).isPositive();

        JsonNode trap = rows.get("fix-trap-bus-writes");
        assertThat(trap.get("released").asBoolean()).isFalse();
        assertThat(trap.get("hung").asBoolean()).isTrue();
        assertThat(trap.get("hungStep").asInt()).isEqualTo(1);
        assertThat(trap.get("hungAtEnd").asBoolean()).isTrue();
        assertThat(trap.get("departsAtStep").asInt()).isEqualTo(1);
        assertThat(trap.get("departsAtEvent").asLong()).isEqualTo(trap.get("hungEvent").asLong() - 1);
        assertThat(trap.get("outcomes").get(0).get("step").asInt()).isEqualTo(1);
        assertThat(trap.get("outcomes").get(0).get("outcome").asText()).isEqualTo("HUNG");
        assertThat(trap.get("findings").get("XEN_HUNG").asInt()).isEqualTo(1);

        // the departure is where compare mode first shows a difference
        long at = trap.get("departsAtEvent").asLong();
        JsonNode before = http.get("/api/systems/" + system + "/diff?policy=xen-4.4&vs=fix-trap-bus-writes&at-event="
                + (at - 1)).json();
        JsonNode there = http.get("/api/systems/" + system + "/diff?policy=xen-4.4&vs=fix-trap-bus-writes&at-event="
                + at).json();
        assertThat(before.get("summary").get("total").asInt()).isZero();
        assertThat(there.get("summary").get("total").asInt()).isPositive();
        assertThat(there.get("bus2bridge").get(0).get("bus").asInt()).as("the fill of 0..0").isZero();
    }

    @Test
    void policies_lists_every_policy_with_whether_it_is_a_release() {
        Response r = http.get("/api/policies");
        assertThat(r.status()).isEqualTo(200);
        JsonNode list = r.json();
        assertThat(list).hasSize(Policy.values().length);
        for (int i = 0; i < Policy.values().length; i++) {
            assertThat(list.get(i).get("policy").asText()).isEqualTo(Policy.values()[i].text());
        }
        assertThat(list.get(0).get("policy").asText()).isEqualTo("xen-4.4");
        assertThat(list.get(0).get("released").asBoolean()).isTrue();
        for (JsonNode p : list) {
            assertThat(p.get("released").asBoolean()).as(p.toString())
                    .isEqualTo(!p.get("policy").asText().startsWith("fix-"));
        }
    }
}
