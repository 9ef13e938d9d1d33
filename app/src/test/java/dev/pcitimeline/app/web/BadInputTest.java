package dev.pcitimeline.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pcitimeline.app.web.Http.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invalid requests: each gets the right status as {@code application/problem+json} naming the field
 * (file, line and key for scenario bodies), never a stack trace, and stores nothing: the systems and
 * their event counts are the same before and after.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceApiTest.STORE)
class BadInputTest {
    private static final String SMALL = """
            scenario: bad-input
            topology:
              - {id: nic, devfn: "19.0", kind: pcie-endpoint}
              - {id: rp, devfn: "1c.0", kind: root-port, buses: [0, 1, 1]}
            steps: [xen-boot]
            """;

    @LocalServerPort
    int port;

    Http http;
    String system;

    @BeforeEach
    void system() {
        http = new Http(port);
        Response created = http.post("/api/systems", Http.YAML, SMALL);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        system = created.json().get("system").asText();
    }

    @Test
    void invalidScenarioBodiesAre400WithLineAndKeyAndStoreNothing() throws IOException {
        Map<String, Long> before = stored();
        scenario("scenario: broken\ntopology: [\n  - {id: a\n", 400, "topology[0]", 3);
        scenarioAs(Http.JSON_TYPE, "{\"scenario\": \"broken\", \"topology\": [", 400, "topology[0]", 1);
        scenario("scenario: x\nsegment: zero\ntopology: []\nsteps: []\n", 400, "segment", 2);
        scenario("scenario: x\ncolour: red\ntopology: []\nsteps: []\n", 400, "colour", 2);
        scenario("topology: []\nsteps: []\n", 400, "scenario", 1);
        scenario("scenario: x\ntopology: []\nsteps:\n  - xen-boot\n  - add: \"0000:06:20.0\"\n", 400, "steps[1].add", 5);
        scenario("scenario: x\ntopology:\n  - {id: rp, devfn: \"1c.0\", kind: root-port, buses: [0, 1, 256]}\nsteps: []\n",
                400, "topology[0].buses[2]", 3);
        scenario("scenario: x\ntopology:\n  - {id: rp, devfn: \"20.0\", kind: root-port, buses: [0, 1, 1]}\nsteps: []\n",
                400, "topology[0].devfn", 3);
        // Well-formed, but the model refuses a step at the moment it would run: 422, still with line and key.
        scenario("scenario: x\ntopology:\n  - {id: nic, devfn: \"19.0\", kind: pcie-endpoint}\nsteps:\n  - xen-boot\n"
                + "  - enable-sriov: {pf: nosuch, vfs: 1}\n", 422, "steps[1].enable-sriov.pf", 6);
        scenario("scenario: x\ntopology:\n  - {id: nic, devfn: \"19.0\", kind: pcie-endpoint}\nsteps:\n  - xen-boot\n"
                + "  - unplug: {device: gone}\n", 422, "steps[1].unplug.device", 6);
        // The same refusal in a library-sized document: the line is the step's own.
        String seed = ServiceApiTest.library("seed-assign-busses.yaml").replace("pf: igb, vfs: 2", "pf: igbx, vfs: 2");
        int line = lineOf(seed, "pf: igbx");
        scenario(seed, 422, "steps[5].enable-sriov.pf", line);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void bodiesThatAreNotScenariosAtAll() {
        Map<String, Long> before = stored();
        problem(http.post("/api/systems", Http.YAML, new byte[0]), 400, "body");
        problem(http.post("/api/systems", Http.YAML, new byte[]{'s', ':', ' ', (byte) 0xff, (byte) 0xfe}), 400, "body");
        problem(http.post("/api/systems", "application/xml", "<scenario/>"), 415, "Content-Type");
        problem(http.post("/api/systems", "application/yaml; charset=klingon", "scenario: x"), 415, "Content-Type");
        // Over 1 MiB: refused from the declared length, and without one (chunked) after reading one byte too many.
        byte[] big = new byte[RequestBodies.MAX_BYTES + 1];
        Arrays.fill(big, (byte) '#');
        problem(http.post("/api/systems", Http.YAML, big), 413, "body");
        problem(http.postChunked("/api/systems", Http.YAML, big), 413, "body");
        problem(http.post("/api/systems/" + system + "/steps", Http.JSON_TYPE, big), 413, "body");
        // Exactly 1 MiB is read and parsed: a YAML comment, so an empty document.
        byte[] limit = new byte[RequestBodies.MAX_BYTES];
        Arrays.fill(limit, (byte) '#');
        problem(http.post("/api/systems", Http.YAML, limit), 400, "body");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void invalidStepsAre400AndRefusedSteps422() {
        Map<String, Long> before = stored();
        step("{\"add\": ", 400, "add");
        step("{\"add\": {\"bdf\": \"0000:00:19.0\", \"colour\": 1}}", 400, "add.colour");
        step("{\"add\": \"0000:06:20.0\"}", 400, "add");
        step("{\"add\": \"0001:00:19.0\"}", 400, "add");
        step("{\"dom0-rescan\": {\"bus\": \"six\"}}", 400, "dom0-rescan.bus");
        step("{\"dom0-rescan\": {\"bus\": 300}}", 400, "dom0-rescan.bus");
        step("{\"assign\": {\"bdf\": \"0000:00:19.0\", \"domain\": 0}}", 400, "assign.domain");
        step("{\"frobnicate\": 1}", 400, "frobnicate");
        step("42", 400, "body");
        step("{\"expect\": {\"hung\": false}}", 400, "expect");
        step("{\"unplug\": {\"device\": \"nosuch\"}}", 422, "unplug.device");
        step("{\"enable-sriov\": {\"pf\": \"nic\", \"vfs\": 1}}", 422, "enable-sriov.pf");
        step("{\"write-bridge-buses\": {\"bridge\": \"nic\", \"secondary\": 3}}", 422, "write-bridge-buses.bridge");
        step("{\"plug\": {\"parent\": \"root\", \"function\": {\"id\": \"nic2\", \"devfn\": \"19.0\", \"kind\": \"pci-endpoint\"}}}",
                422, "plug.function.devfn");
        step("{\"plug\": {\"parent\": \"rp\", \"function\": {\"id\": \"nic\", \"devfn\": \"00.0\", \"kind\": \"pci-endpoint\"}}}",
                422, "plug.function.id");
        problem(http.post("/api/systems/" + system + "/steps", "application/xml", "<xen-boot/>"), 415, "Content-Type");
        problem(http.post("/api/systems/no-such-system/steps", Http.JSON_TYPE, "\"xen-boot\""), 404, "system");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void badQueryParametersAndUnknownSystems() {
        Map<String, Long> before = stored();
        String base = "/api/systems/" + system;
        problem(http.get(base + "/state?at-event=abc"), 400, "at-event");
        problem(http.get(base + "/state?at-event=99999999999"), 400, "at-event");
        problem(http.get(base + "/state?at-step=x"), 400, "at-step");
        problem(http.get(base + "/state?at-event=1&at-step=0"), 400, "at-event");
        problem(http.get(base + "/state?at-event=0"), 400, "at-event");
        problem(http.get(base + "/state?at-event=100000"), 400, "at-event");
        problem(http.get(base + "/state?at-step=7"), 400, "at-step");
        problem(http.get(base + "/state?policy=xen-9"), 400, "policy");
        problem(http.get(base + "/events?from=abc"), 400, "from");
        problem(http.get(base + "/events?from=0"), 400, "from");
        problem(http.get(base + "/events?from=3&to=2"), 400, "to");
        problem(http.get(base + "/audit/bus2bridge/256"), 400, "bus");
        problem(http.get(base + "/audit/bus2bridge/six"), 400, "bus");
        problem(http.get(base + "/audit/bus2bridge/3?at-event=0"), 400, "at-event");
        problem(http.get(base + "/audit/bus2bridge/3?policy=xen-9"), 400, "policy");
        problem(http.get(base + "/audit/pdev/zz"), 400, "bdf");
        problem(http.get(base + "/audit/pdev/0000:00:20.0"), 400, "bdf");
        problem(http.get(base + "/audit/pdev/0001:00:19.0"), 400, "bdf");
        problem(http.get(base + "/diff?vs=xen-9"), 400, "vs");
        problem(http.get(base + "/diff?from=0"), 400, "from");
        problem(http.get(base + "/diff?to=100000"), 400, "to");
        problem(http.get(base + "/diff?from=1&vs=fix-trap-bus-writes"), 400, "from");
        problem(http.get(base + "/diff?at-event=1"), 400, "at-event");
        problem(http.get(base + "/diff?vs=fix-trap-bus-writes&at-event=100000"), 400, "at-event");
        problem(http.get("/api/systems?finding=LOOP"), 400, "finding");
        problem(http.get("/api/systems?finding=bus2bridge_loop"), 400, "finding");
        problem(http.get("/api/systems/no-such-system/audit/bus2bridge/3"), 404, "system");
        problem(http.get("/api/systems/no-such-system/audit/pdev/0000:00:19.0"), 404, "system");
        problem(http.get("/api/systems/no-such-system/diff"), 404, "system");
        problem(http.get("/api/systems/no-such-system/versions"), 404, "system");
        problem(http.get("/api/systems/no-such-system"), 404, "system");
        problem(http.get("/api/systems/no-such-system/state"), 404, "system");
        problem(http.get("/api/systems/no-such-system/events"), 404, "system");
        assertThat(stored()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ helpers

    /** Every system with its event count: what "nothing stored" compares. */
    Map<String, Long> stored() {
        Map<String, Long> out = new TreeMap<>();
        http.get("/api/systems").json().forEach(s -> out.put(s.get("system").asText(), s.get("events").asLong()));
        return out;
    }

    void scenario(String body, int status, String key, int line) {
        scenarioAs(Http.YAML, body, status, key, line);
    }

    void scenarioAs(String contentType, String body, int status, String key, int line) {
        JsonNode p = problem(http.post("/api/systems", contentType, body), status, key);
        assertThat(p.get("file").asText()).isEqualTo("<request>");
        assertThat(p.get("key").asText()).isEqualTo(key);
        assertThat(p.get("line").asInt()).as(p.toString()).isEqualTo(line);
        assertThat(p.get("detail").asText()).contains("<request>:" + line + ": " + key + ": ");
    }

    void step(String body, int status, String field) {
        JsonNode p = problem(http.post("/api/systems/" + system + "/steps", Http.JSON_TYPE, body), status, field);
        assertThat(p.get("detail").asText()).isNotBlank();
    }

    static JsonNode problem(Response r, int status, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("field").asText()).as(r.toString()).isEqualTo(field);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        return p;
    }

    static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not found");
    }
}
