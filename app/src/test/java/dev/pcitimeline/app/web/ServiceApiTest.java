package dev.pcitimeline.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pcitimeline.app.web.Http.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST service over HTTP on a temporary H2 file store: a library scenario created and read
 * back at several points (values worked out from XEN-MODEL.md, as the scenario's comments show),
 * its timeline, single steps including refused hypercalls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceApiTest.STORE)
class ServiceApiTest {
    /**
     * A fresh H2 file store per run under target/ (never ./data). A property here, not a
     * {@code @DynamicPropertySource}: the store's URL is computed from {@code pcitimeline.db} while the
     * environment is prepared, before dynamic properties exist.
     */
    static final String STORE = "pcitimeline.db=target/test-stores/service-api-${random.uuid}";
    static final Path LIBRARY = Path.of("..", "scenarios", "library");

    @LocalServerPort
    int port;

    @Value("${spring.datasource.url}")
    String datasourceUrl;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void theStoreIsTheTemporaryDirectory() {
        assertThat(datasourceUrl).startsWith("jdbc:h2:file:")
                .contains(Path.of("target", "test-stores").toAbsolutePath().toString() + "/service-api-");
    }

    static String library(String name) throws IOException {
        return Files.readString(LIBRARY.resolve(name));
    }

    @Test
    void systemsFilteredByAFindingKindWithTheFirstEventItHeld() throws IOException {
        String system = http.post("/api/systems", Http.YAML, library("seed-assign-busses.yaml")).json()
                .get("system").asText();
        JsonNode steps = state(system, "").get("steps");
        long afterBoot = steps.get(0).get("events").get(1).asLong();
        long afterDom0 = steps.get(1).get("events").get(1).asLong();
        Response filtered = http.get("/api/systems?finding=BUS2BRIDGE_LOOP");
        assertThat(filtered.status()).as(filtered.toString()).isEqualTo(200);
        JsonNode mine = null;
        for (JsonNode s : filtered.json()) {
            assertThat(s.get("finding").get("kind").asText()).isEqualTo("BUS2BRIDGE_LOOP");
            if (s.get("system").asText().equals(system)) {
                mine = s;
            }
        }
        // the loop of bus 3 comes from dom0's renumbering (step 1), not from the boot (step 0)
        assertThat(mine).as("the seed system in " + filtered.body()).isNotNull();
        long first = mine.get("finding").get("firstEvent").asLong();
        assertThat(first).isGreaterThan(afterBoot).isLessThanOrEqualTo(afterDom0);
        assertThat(findings(state(system, "at-event=" + first))).contains("BUS2BRIDGE_LOOP bus 3");
        assertThat(findings(state(system, "at-event=" + (first - 1)))).noneMatch(f -> f.startsWith("BUS2BRIDGE_LOOP"));
        // the summary is the unfiltered list's, which stays as API.md shows it: no finding field
        assertThat(systems()).allSatisfy(s -> assertThat(s.has("finding")).isFalse());
        JsonNode unfiltered = systems().stream().filter(s -> s.get("system").asText().equals(system)).findFirst()
                .orElseThrow();
        com.fasterxml.jackson.databind.node.ObjectNode withoutFinding = mine.deepCopy();
        withoutFinding.remove("finding");
        assertThat(withoutFinding).isEqualTo(unfiltered);
    }

    @Test
    void createsASystemFromALibraryScenarioAndReadsItsHistory() throws IOException {
        Response created = http.post("/api/systems", Http.YAML, library("seed-assign-busses.yaml"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode body = created.json();
        String system = body.get("system").asText();
        assertThat(system).startsWith("seed-assign-busses-");
        assertThat(created.location()).endsWith("/api/systems/" + system);
        assertThat(body.get("step").asInt()).isEqualTo(5); // six steps, expect entries not counted
        assertThat(body.get("policy").asText()).isEqualTo("xen-4.4");
        assertThat(body.get("passed").asBoolean()).as("the scenario's own expectations").isTrue();
        assertThat(body.get("expectations")).isNotEmpty();
        long events = body.get("event").asLong();

        Response summary = http.get("/api/systems/" + system);
        assertThat(summary.status()).isEqualTo(200);
        assertThat(summary.json().get("events").asLong()).isEqualTo(events);
        assertThat(summary.json().get("scenario").asText()).isEqualTo("seed-assign-busses");
        assertThat(summary.json().get("created").asText()).isNotBlank();
        assertThat(systems()).anySatisfy(s -> assertThat(s.get("system").asText()).isEqualTo(system));

        // Event 1 is the SystemCreated alone: power-on hardware, Xen knows nothing yet.
        JsonNode atCreation = state(system, "at-event=1");
        assertThat(atCreation.get("event").asLong()).isEqualTo(1);
        assertThat(atCreation.get("step").asInt()).isEqualTo(-1);
        assertThat(atCreation.get("pdevs")).isEmpty();
        assertThat(atCreation.get("bus2bridge")).isEmpty();
        assertThat(atCreation.get("steps")).isEmpty();
        assertThat(ids(atCreation.get("hardware"), "bdf", "id")).isEqualTo(Map.of(
                "0000:00:01.0", "rp1", "0000:00:1c.0", "rp3", "0000:01:00.0", "igb",
                "0000:02:00.0", "tundra", "0000:03:01.0", "pcibr", "0000:04:00.0", "nic"));

        // Step 0, xen-boot on the firmware numbering: tundra 02:00.0 fills 3..4, pcibr 03:01.0 then fills 4.
        JsonNode boot = state(system, "at-step=0");
        assertThat(boot.get("step").asInt()).isEqualTo(0);
        assertThat(boot.get("hung").asBoolean()).isFalse();
        assertThat(ids(boot.get("pdevs"), "bdf", "type")).isEqualTo(Map.of(
                "0000:00:01.0", "PCIe_BRIDGE", "0000:00:1c.0", "PCIe_BRIDGE", "0000:01:00.0", "PCIe_ENDPOINT",
                "0000:02:00.0", "PCIe2PCI_BRIDGE", "0000:03:01.0", "LEGACY_PCI_BRIDGE", "0000:04:00.0", "PCI"));
        assertThat(bdfs(boot.get("pdevs"))).containsExactly("0000:00:01.0", "0000:00:1c.0", "0000:01:00.0",
                "0000:02:00.0", "0000:03:01.0", "0000:04:00.0");
        assertThat(boot.get("pdevs")).allSatisfy(p -> assertThat(p.get("domain").asInt()).isZero());
        assertThat(bus2bridge(boot)).isEqualTo(Map.of(3, "0000:02:00.0", 4, "0000:03:01.0"));
        // nic (PCI): own RID, walk 4 -> 03:01.0 -> bus 3 -> 02:00.0, bus 2 unmapped: bridge 02:00.0, secbus 3;
        // a PCIe-to-PCI bridge and secbus 3 != 4: the alias 03:00.0 too.
        assertThat(ids(boot.get("contexts"), "bdf", "domain")).isEqualTo(Map.of(
                "0000:01:00.0", "0", "0000:02:00.0", "0", "0000:03:00.0", "0", "0000:04:00.0", "0"));
        JsonNode nic = find(boot.get("upstream"), "0000:04:00.0");
        assertThat(nic.get("result").asInt()).isEqualTo(1);
        assertThat(nic.get("bridge").asText()).isEqualTo("0000:02:00.0");
        assertThat(nic.get("secbus").asInt()).isEqualTo(3);
        assertThat(find(boot.get("upstream"), "0000:02:00.0").get("result").asInt()).isZero();
        assertThat(find(boot.get("upstream"), "0000:02:00.0").has("bridge")).isFalse();

        // Step 1, dom0-boot with assign-busses: the bridges are reported at 03:00.0 and 04:01.0 with their
        // firmware registers (3/4 and 4/4): self-referencing entries, every walk from buses 3 and 4 gives -1.
        JsonNode dom0 = state(system, "at-step=1");
        assertThat(bus2bridge(dom0)).isEqualTo(Map.of(3, "0000:03:00.0", 4, "0000:04:01.0"));
        assertThat(find(dom0.get("upstream"), "0000:03:00.0").get("result").asInt()).isEqualTo(-1);
        assertThat(find(dom0.get("upstream"), "0000:04:01.0").get("result").asInt()).isEqualTo(-1);
        assertThat(find(dom0.get("upstream"), "0000:05:00.0").get("result").asInt()).isZero();
        assertThat(findings(dom0)).contains("BUS2BRIDGE_SELF bus 3", "BUS2BRIDGE_SELF bus 4",
                "BUS2BRIDGE_LOOP bus 3", "PDEV_STALE 0000:04:00.0");
        // ... and the step's last event is the same point.
        long afterStep1 = dom0.get("steps").get(1).get("events").get(1).asLong();
        assertThat(dom0.get("event").asLong()).isEqualTo(afterStep1);
        assertThat(state(system, "at-event=" + afterStep1).get("step").asInt()).isEqualTo(1);

        // What-if: trapping bus-number writes hangs Xen on Linux's temporary 0xff (fill 4..ff never ends).
        JsonNode trapped = state(system, "at-step=1&policy=fix-trap-bus-writes");
        assertThat(trapped.get("policy").asText()).isEqualTo("fix-trap-bus-writes");
        assertThat(trapped.get("hung").asBoolean()).isTrue();
        assertThat(findings(trapped)).contains("XEN_HUNG");
        assertThat(bdfs(trapped.get("pdevs"))).hasSize(7);

        // Step 3 passes the NIC (now 05:00.0) to domain 1: only its own RID moves, the bridge RIDs stay dom0's.
        JsonNode assigned = state(system, "at-step=3");
        assertThat(ids(assigned.get("contexts"), "bdf", "domain")).containsEntry("0000:05:00.0", "1")
                .containsEntry("0000:03:00.0", "0").containsEntry("0000:04:00.0", "0");
        assertThat(findings(assigned)).contains("CONTEXT_FOREIGN 0000:03:00.0", "CONTEXT_FOREIGN 0000:04:00.0");

        // Now: the ghost pdev 04:00.0 went to domain 2 (step 5).
        JsonNode now = state(system, "");
        assertThat(now.get("event").asLong()).isEqualTo(events);
        assertThat(now.get("step").asInt()).isEqualTo(5);
        assertThat(ids(now.get("contexts"), "bdf", "domain")).containsEntry("0000:04:00.0", "2")
                .containsEntry("0000:05:00.0", "0");
        List<String> stepNames = new ArrayList<>();
        now.get("steps").forEach(s -> stepNames.add(s.get("step").asText()));
        assertThat(stepNames).containsExactly("xen-boot", "dom0-boot", "enable-sriov", "assign", "deassign", "assign");
        assertThat(now.get("steps")).allSatisfy(s -> assertThat(s.get("outcome").asText()).isEqualTo("ok"));

        // The timeline: every event once, in order, each with its step, type, time, text and payload.
        Response timeline = http.get("/api/systems/" + system + "/events");
        assertThat(timeline.status()).isEqualTo(200);
        JsonNode all = timeline.json();
        assertThat(all).hasSize((int) events);
        for (int i = 0; i < all.size(); i++) {
            JsonNode e = all.get(i);
            assertThat(e.get("event").asLong()).isEqualTo(i + 1);
            assertThat(e.get("type").asText()).isNotBlank();
            assertThat(e.get("time").asText()).isNotBlank();
            assertThat(e.get("text").asText()).isNotBlank();
            assertThat(e.get("payload").isObject()).isTrue();
        }
        assertThat(all.get(0).get("type").asText()).isEqualTo("SystemCreated");
        assertThat(all.get(0).get("step").asInt()).isEqualTo(-1);
        // Xen's own console lines: step 3 passes the NIC (05:00.0, a conventional PCI device) to d1, so Xen's last
        // line is domain_context_mapping's for d1; step 5's assign of the stale 04:00.0 to d2 likewise.
        List<String> lines = new ArrayList<>();
        all.forEach(e -> lines.add(e.get("step").asInt() + " " + e.get("text").asText()));
        assertThat(lines).contains("3 (XEN) [VT-D]d1:PCI: map 0000:05:00.0", "5 (XEN) [VT-D]d2:PCI: map 0000:04:00.0",
                "4 (XEN) [VT-D]d0:PCI: map 0000:05:00.0");
        // dom0-boot reports the Tundra at 03:00.0 (scenario comments): Xen prints its add line
        assertThat(lines).contains("1 (XEN) PCI add device 0000:03:00.0");
        JsonNode window = http.get("/api/systems/" + system + "/events?from=2&to=3").json();
        assertThat(window).hasSize(2);
        assertThat(window.get(0).get("event").asLong()).isEqualTo(2);
        assertThat(window.get(0).get("type").asText()).isEqualTo("StepStarted");
        assertThat(window.get(0).get("step").asInt()).isZero();
        assertThat(http.get("/api/systems/" + system + "/events?from=" + (events + 1)).json()).isEmpty();
    }

    @Test
    void auditsAnEntryAndAPdevAndDiffsPointsAndPolicies() throws IOException {
        String system = http.post("/api/systems", Http.YAML, library("seed-assign-busses.yaml")).json()
                .get("system").asText();
        JsonNode steps = state(system, "").get("steps");
        long afterBoot = steps.get(0).get("events").get(1).asLong();
        long afterDom0 = steps.get(1).get("events").get(1).asLong();

        // bus2bridge[3]: filled with tundra at 02:00.0 by the boot scan (firmware 2/3/4), then with tundra
        // re-reported at 03:00.0 still holding 2/3/4: a self-reference. A fresh boot now leaves 3 unmapped.
        Response audit = http.get("/api/systems/" + system + "/audit/bus2bridge/3");
        assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
        JsonNode a = audit.json();
        assertThat(a.get("bus").asInt()).isEqualTo(3);
        assertThat(a.get("current").get("mapped").asBoolean()).isTrue();
        assertThat(a.get("current").get("bridge").asText()).isEqualTo("0000:03:00.0");
        assertThat(a.get("expected").get("mapped").asBoolean()).isFalse();
        JsonNode writes = a.get("writes");
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0).get("step").asInt()).isZero();
        assertThat(writes.get(0).get("rule").asText()).isEqualTo("alloc_pdev fill");
        assertThat(writes.get(0).get("after").get("bridge").asText()).isEqualTo("0000:02:00.0");
        assertThat(writes.get(1).get("step").asInt()).isEqualTo(1);
        assertThat(writes.get(1).get("before").get("bridge").asText()).isEqualTo("0000:02:00.0");
        assertThat(writes.get(1).get("after").get("bridge").asText()).isEqualTo("0000:03:00.0");
        assertThat(writes).allSatisfy(w -> assertThat(w.get("explanation").asText()).isNotBlank());
        assertThat(findings(a)).contains("BUS2BRIDGE_SELF bus 3", "BUS2BRIDGE_LOOP bus 3");
        // The same entry after the boot alone, with the bus in hex.
        JsonNode early = http.get("/api/systems/" + system + "/audit/bus2bridge/0x03?at-event=" + afterBoot).json();
        assertThat(early.get("event").asLong()).isEqualTo(afterBoot);
        assertThat(early.get("writes")).hasSize(1);
        assertThat(early.get("current").get("bridge").asText()).isEqualTo("0000:02:00.0");

        // The pdev the boot scan allocated for the NIC at 04:00.0: the NIC moved to 05:00.0, the pdev stayed
        // and went to domain 2 at step 5.
        Response pdev = http.get("/api/systems/" + system + "/audit/pdev/0000:04:00.0");
        assertThat(pdev.status()).as(pdev.toString()).isEqualTo(200);
        JsonNode p = pdev.json();
        assertThat(p.get("stale").asBoolean()).isTrue();
        assertThat(p.get("current").get("allocatedFor").asText()).isEqualTo("nic");
        assertThat(p.get("current").get("domain").asInt()).isEqualTo(2);
        assertThat(p.get("answersNow").isNull()).isTrue();
        assertThat(p.get("staleBecause").asText()).contains("nic answers at 05:00.0");
        assertThat(findings(p)).contains("PDEV_STALE 0000:04:00.0");

        // From after the boot to now: bus 3 and 4 re-pointed, 04:00.0's context entry went from dom0 to d2.
        Response diff = http.get("/api/systems/" + system + "/diff?from=" + afterBoot);
        assertThat(diff.status()).as(diff.toString()).isEqualTo(200);
        JsonNode d = diff.json();
        assertThat(d.get("kind").asText()).isEqualTo("events");
        assertThat(d.get("from").get("step").asInt()).isZero();
        assertThat(d.get("to").get("step").asInt()).isEqualTo(5);
        Map<Integer, String> repointed = new TreeMap<>();
        d.get("bus2bridge").forEach(c -> repointed.put(c.get("bus").asInt(),
                c.get("from").asText() + " -> " + c.get("to").asText()));
        assertThat(repointed).isEqualTo(Map.of(3, "0000:02:00.0 -> 0000:03:00.0", 4, "0000:03:01.0 -> 0000:04:01.0"));
        JsonNode ghost = find(d.get("contexts"), "0000:04:00.0");
        assertThat(ghost.get("from").asInt()).isZero();
        assertThat(ghost.get("to").asInt()).isEqualTo(2);

        // Two builds at the end of dom0-boot: trapping bus-number writes hangs Xen.
        JsonNode policies = http.get("/api/systems/" + system + "/diff?vs=fix-trap-bus-writes&at-event=" + afterDom0)
                .json();
        assertThat(policies.get("kind").asText()).isEqualTo("policies");
        assertThat(policies.get("from").get("policy").asText()).isEqualTo("xen-4.4");
        assertThat(policies.get("to").get("policy").asText()).isEqualTo("fix-trap-bus-writes");
        assertThat(policies.get("hung").get("from").asBoolean()).isFalse();
        assertThat(policies.get("hung").get("to").asBoolean()).isTrue();
        assertThat(policies.get("summary").get("total").asInt()).isPositive();
        // GETs never change state.
        assertThat(state(system, "").get("event").asLong()).isEqualTo(steps.get(5).get("events").get(1).asLong());
    }

    /** A small machine in JSON: an endpoint on bus 0 and one behind a root port. */
    static final String TWO_ENDPOINTS = """
            {"scenario": "rest-steps",
             "topology": [
               {"id": "nic", "devfn": "19.0", "kind": "pcie-endpoint"},
               {"id": "rp", "devfn": "1c.0", "kind": "root-port", "buses": [0, 1, 1],
                "children": [{"id": "ssd", "devfn": "00.0", "kind": "pcie-endpoint"}]}],
             "steps": ["xen-boot"]}
            """;

    @Test
    void runsSingleStepsAndAnswersARefusedHypercallWithItsErrno() {
        Response created = http.post("/api/systems", Http.JSON_TYPE, TWO_ENDPOINTS);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String system = created.json().get("system").asText();
        long events = created.json().get("event").asLong();
        String steps = "/api/systems/" + system + "/steps";
        assertThat(ids(state(system, "").get("contexts"), "bdf", "domain"))
                .isEqualTo(Map.of("0000:00:19.0", "0", "0000:01:00.0", "0"));

        // A PCIe endpoint owned by dom0: unmap its RID from dom0, map it for domain 1.
        JsonNode assign = step(steps, "{\"assign\": {\"bdf\": \"0000:00:19.0\", \"domain\": 1}}", 200);
        assertThat(assign.get("step").asInt()).isEqualTo(1);
        assertThat(assign.get("outcome").asText()).isEqualTo("ok");
        assertThat(assign.get("events").get(0).asLong()).isEqualTo(events + 2); // after the step's marker
        events = assign.get("events").get(1).asLong();
        assertThat(assign.get("event").asLong()).isEqualTo(events);
        // The answer waited for the views: the state shows the step at once.
        JsonNode afterAssign = state(system, "");
        assertThat(afterAssign.get("event").asLong()).isEqualTo(events);
        assertThat(ids(afterAssign.get("contexts"), "bdf", "domain")).containsEntry("0000:00:19.0", "1");

        // Refused hypercalls are not HTTP errors: owned by domain 1, not dom0 -> EBUSY; no pdev -> ENODEV.
        JsonNode busy = step(steps, "{\"assign\": {\"bdf\": \"0000:00:19.0\", \"domain\": 2}}", 200);
        assertThat(busy.get("step").asInt()).isEqualTo(2);
        assertThat(busy.get("outcome").asText()).isEqualTo("EBUSY");
        JsonNode noDevice = step(steps, "{\"remove\": \"0000:00:05.0\"}", 200);
        assertThat(noDevice.get("outcome").asText()).isEqualTo("ENODEV");
        JsonNode dom0Owned = step(steps, "{\"deassign\": {\"bdf\": \"0000:01:00.0\"}}", 200);
        assertThat(dom0Owned.get("outcome").asText()).isEqualTo("ENODEV");
        assertThat(ids(state(system, "").get("contexts"), "bdf", "domain")).containsEntry("0000:00:19.0", "1");

        // xen-boot as a bare string: fresh Xen, everything dom0's again.
        JsonNode reboot = step(steps, "\"xen-boot\"", 200);
        assertThat(reboot.get("step").asInt()).isEqualTo(5);
        assertThat(reboot.get("outcome").asText()).isEqualTo("ok");
        JsonNode now = state(system, "");
        assertThat(ids(now.get("contexts"), "bdf", "domain")).isEqualTo(Map.of("0000:00:19.0", "0", "0000:01:00.0", "0"));
        List<String> outcomes = new ArrayList<>();
        now.get("steps").forEach(s -> outcomes.add(s.get("index").asInt() + " " + s.get("outcome").asText()));
        assertThat(outcomes).containsExactly("0 ok", "1 ok", "2 EBUSY", "3 ENODEV", "4 ENODEV", "5 ok");
        // Earlier points stay as they were.
        assertThat(ids(state(system, "at-step=1").get("contexts"), "bdf", "domain")).containsEntry("0000:00:19.0", "1");
        // A step whose hypercall produces events in YAML works as well.
        assertThat(http.post(steps, Http.YAML, "add: \"0000:01:00.0\"\n").status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ helpers

    JsonNode step(String path, String body, int status) {
        Response r = http.post(path, Http.JSON_TYPE, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r.json();
    }

    JsonNode state(String system, String query) {
        Response r = http.get("/api/systems/" + system + "/state" + (query.isEmpty() ? "" : "?" + query));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        return r.json();
    }

    List<JsonNode> systems() {
        List<JsonNode> out = new ArrayList<>();
        http.get("/api/systems").json().forEach(out::add);
        return out;
    }

    static Map<String, String> ids(JsonNode array, String key, String value) {
        Map<String, String> out = new TreeMap<>();
        array.forEach(n -> out.put(n.get(key).asText(), n.get(value).asText()));
        return out;
    }

    static Map<Integer, String> bus2bridge(JsonNode state) {
        Map<Integer, String> out = new TreeMap<>();
        state.get("bus2bridge").forEach(n -> out.put(n.get("bus").asInt(), n.get("bridge").asText()));
        return out;
    }

    static List<String> bdfs(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get("bdf").asText()));
        return out;
    }

    static JsonNode find(JsonNode array, String bdf) {
        for (JsonNode n : array) {
            if (n.get("bdf").asText().equals(bdf)) {
                return n;
            }
        }
        throw new AssertionError("no entry for " + bdf + " in " + array);
    }

    static List<String> findings(JsonNode state) {
        List<String> out = new ArrayList<>();
        state.get("findings").forEach(f -> out.add(f.get("kind").asText()
                + (f.has("bus") ? " bus " + f.get("bus").asInt() : f.has("bdf") ? " " + f.get("bdf").asText() : "")));
        return out;
    }
}
