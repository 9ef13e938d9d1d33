package dev.pcitimeline.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regressions found by HostileInputProperties: a 1 MiB body could ask for hours of work (150,000 steps, a PF with
 * 65,535 VFs, a plug of a thousand functions) and every error quoted the offending value whole (a megabyte of digits
 * came back twice per answer). Each limit is a 400 naming the key, before anything is stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceApiTest.STORE)
class RequestLimitsTest {
    private static final String STEP_SYSTEM = """
            scenario: limits
            topology:
              - {id: br, devfn: "1e.0", kind: pci-bridge, buses: [0, 1, 1]}
            steps: [xen-boot]
            """;

    @LocalServerPort
    int port;

    RawHttp http;

    @BeforeEach
    void client() {
        http = new RawHttp(port);
    }

    @Test
    void tooManyStepsOrFunctionsAre400AndStoreNothing() {
        Map<String, Long> before = stored();
        String steps = "scenario: many\ntopology: []\nsteps:\n" + "  - reboot\n".repeat(RequestLimits.MAX_STEPS + 1);
        JsonNode p = problem(post("/api/systems", steps), "steps");
        assertThat(p.get("line").asInt()).as("the first step over the limit").isEqualTo(4 + RequestLimits.MAX_STEPS);

        StringBuilder wide = new StringBuilder("scenario: wide\nsteps: [xen-boot]\ntopology:\n");
        for (int i = 0; i <= RequestLimits.MAX_FUNCTIONS; i++) {
            wide.append(String.format("  - {id: f%d, devfn: \"%02x.%d\", bus: %d, kind: pcie-endpoint}%n",
                    i, (i / 8) % 32, i % 8, i / 256));
        }
        problem(post("/api/systems", wide.toString()), "topology");
        problem(post("/api/systems", "scenario: vfs\nsteps: [xen-boot]\ntopology: [{id: pf, devfn: \"00.0\","
                + " kind: pcie-endpoint, sriov: {total-vfs: 65535, vf-offset: 1, vf-stride: 1, enabled: 65535}}]\n"), "topology");
        String plugs = "scenario: plugs\ntopology: []\nsteps:\n" + ("  - {plug: {parent: root, function: {id: pf%d, devfn: \"%02x.0\","
                + " kind: pcie-endpoint, sriov: {total-vfs: 300, vf-offset: 1, vf-stride: 1}}}}\n").formatted(1, 1)
                + ("  - {plug: {parent: root, function: {id: pf%d, devfn: \"%02x.0\","
                + " kind: pcie-endpoint, sriov: {total-vfs: 300, vf-offset: 1, vf-stride: 1}}}}\n").formatted(2, 2);
        assertThat(problem(post("/api/systems", plugs), "steps").get("line").asInt()).isEqualTo(5);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void aPlugStepOfTooManyFunctionsIs400() {
        RawHttp.Response created = post("/api/systems", STEP_SYSTEM);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String system = created.json().get("system").asText();
        Map<String, Long> before = stored();
        // One bus holds 256 functions at most: the VFs a plugged PF could enable are what makes a plug big.
        String plug = "{\"plug\": {\"parent\": \"br\", \"function\": {\"id\": \"hub\", \"devfn\": \"02.0\","
                + " \"kind\": \"pci-bridge\", \"buses\": [1, 2, 2], \"children\": [{\"id\": \"pf\", \"devfn\": \"00.0\","
                + " \"kind\": \"pcie-endpoint\", \"sriov\": {\"total-vfs\": " + RequestLimits.MAX_FUNCTIONS
                + ", \"vf-offset\": 1, \"vf-stride\": 1}}]}}}";
        problem(http.post("/api/systems/" + system + "/steps", "application/json",
                plug.getBytes(StandardCharsets.UTF_8)), "plug.function");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void errorsQuoteOnlyTheStartOfAHugeValue() {
        Map<String, Long> before = stored();
        String digits = "9".repeat(900_000);
        RawHttp.Response r = http.post("/api/systems", "application/yaml",
                ("scenario: x\nsegment: " + digits + "\ntopology: []\nsteps: []\n").getBytes(StandardCharsets.UTF_8));
        problem(r, "segment");
        assertThat(r.body().length()).as("the whole answer").isLessThan(6_000);
        String key = "k".repeat(500_000);
        r = http.post("/api/systems", "application/yaml", ("scenario: x\ntopology: []\nsteps: []\n? " + key + "\n: 1\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().length()).as("the whole answer").isLessThan(6_000);
        r = http.get("/api/systems/" + "s".repeat(7_000));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("detail").asText().length()).isLessThanOrEqualTo(ApiExceptionHandler.MAX_DETAIL_LENGTH + 40);
        assertThat(stored()).isEqualTo(before);
    }

    private RawHttp.Response post(String path, String yaml) {
        return http.post(path, "application/yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Long> stored() {
        Map<String, Long> out = new TreeMap<>();
        http.get("/api/systems").json().forEach(s -> out.put(s.get("system").asText(), s.get("events").asLong()));
        return out;
    }

    private static JsonNode problem(RawHttp.Response r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("field").asText()).as(r.toString()).isEqualTo(field);
        return p;
    }
}
