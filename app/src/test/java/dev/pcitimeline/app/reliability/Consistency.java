package dev.pcitimeline.app.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every system must look like whatever happened to the service (a SIGKILL, racing writers), checked over
 * REST alone:
 * <ul>
 *   <li>its timeline is events 1..N without a gap, and the views are at N;</li>
 *   <li>its steps are 0..K-1, each one whole: the marker (StepStarted) right before the step's first event,
 *       every event between them belonging to it, the next step's marker right after its last;</li>
 *   <li>its state and timeline equal those of a reference system created fresh from the same topology and the
 *       steps it is expected to hold, by one client, in one request (a fresh fold of the same history), both
 *       from the views and folded in memory under another policy (the what-if path).</li>
 * </ul>
 */
final class Consistency {
    /** Another Xen build than the scenarios' default: its state is always folded in memory from the event store. */
    static final String WHAT_IF_POLICY = "fix-invalidate-loop";

    private Consistency() {
    }

    /** A scenario document: the topology (YAML list items) and the steps as JSON bodies (JSON is YAML). */
    static String scenario(String name, String topologyYaml, List<String> stepBodies) {
        StringBuilder b = new StringBuilder("scenario: ").append(name).append("\ntopology:\n").append(topologyYaml);
        b.append(stepBodies.isEmpty() ? "steps: []\n" : "steps:\n");
        stepBodies.forEach(s -> b.append("  - ").append(s).append('\n'));
        return b.toString();
    }

    /**
     * Checks {@code system} against the rules above, {@code expectedSteps} being every step body it should hold,
     * in order (those of its creating scenario first).
     *
     * @return its event count
     */
    static long check(RestClient client, String system, String scenarioName, String topologyYaml,
                      List<String> expectedSteps) {
        JsonNode state = client.read("/api/systems/" + system + "/state");
        JsonNode timeline = client.read("/api/systems/" + system + "/events");
        long events = state.get("event").asLong();
        wholeAndGapFree(system, state, timeline);
        assertThat(state.get("steps").size()).as("steps of %s", system).isEqualTo(expectedSteps.size());

        String reference = createReference(client, scenarioName, topologyYaml, expectedSteps);
        JsonNode refState = client.read("/api/systems/" + reference + "/state");
        JsonNode refTimeline = client.read("/api/systems/" + reference + "/events");
        assertThat(normalised(state, system)).as("state of %s vs a fresh replay %s", system, reference)
                .isEqualTo(normalised(refState, reference));
        assertThat(normalised(timeline, system)).as("timeline of %s vs a fresh replay %s", system, reference)
                .isEqualTo(normalised(refTimeline, reference));
        String whatIf = "/state?policy=" + WHAT_IF_POLICY;
        assertThat(normalised(client.read("/api/systems/" + system + whatIf), system))
                .as("what-if state of %s vs a fresh replay %s", system, reference)
                .isEqualTo(normalised(client.read("/api/systems/" + reference + whatIf), reference));
        return events;
    }

    /** Timeline 1..N, the views at N, every step whole (see the class comment). */
    static void wholeAndGapFree(String system, JsonNode state, JsonNode timeline) {
        long events = state.get("event").asLong();
        assertThat(timeline.size()).as("timeline length of %s", system).isEqualTo(events);
        for (int i = 0; i < timeline.size(); i++) {
            assertThat(timeline.get(i).get("event").asLong()).as("event #%d of %s", i, system).isEqualTo(i + 1);
        }
        JsonNode steps = state.get("steps");
        long expectedMarker = -1;
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            assertThat(step.get("index").asInt()).as("step #%d of %s", i, system).isEqualTo(i);
            long marker = markerOf(timeline, i, system);
            if (expectedMarker > 0) {
                assertThat(marker).as("marker of step %d of %s follows step %d", i, system, i - 1)
                        .isEqualTo(expectedMarker);
            }
            JsonNode range = step.get("events");
            long last = marker;
            if (!range.isEmpty()) {
                assertThat(range.get(0).asLong()).as("first event of step %d of %s", i, system).isEqualTo(marker + 1);
                last = range.get(1).asLong();
                assertThat(last).as("last event of step %d of %s", i, system).isBetween(marker + 1, events);
            }
            for (long n = marker; n <= last; n++) {
                assertThat(timeline.get((int) n - 1).get("step").asInt())
                        .as("event %d of %s belongs to step %d", n, system, i).isEqualTo(i);
            }
            expectedMarker = last + 1;
        }
        if (!steps.isEmpty()) {
            assertThat(expectedMarker - 1).as("the last step of %s ends with the last event", system).isEqualTo(events);
        }
    }

    /** The StepStarted event of step {@code index}. */
    private static long markerOf(JsonNode timeline, int index, String system) {
        for (JsonNode e : timeline) {
            if (e.get("step").asInt() == index) {
                assertThat(e.get("type").asText()).as("first event of step %d of %s", index, system)
                        .isEqualTo("StepStarted");
                return e.get("event").asLong();
            }
        }
        throw new AssertionError("step " + index + " of " + system + " has no event in the timeline");
    }

    /** A reference system: the same topology and steps, created by one request on an idle system. */
    static String createReference(RestClient client, String scenarioName, String topologyYaml, List<String> steps) {
        try {
            RestClient.Response r = client.post("/api/systems", RestClient.YAML,
                    scenario(scenarioName, topologyYaml, steps));
            assertThat(r.status()).as("reference replay of %s: %s", scenarioName, r).isEqualTo(201);
            return r.json().get("system").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Without what differs between two systems with the same history: the id and the wall-clock times. */
    static JsonNode normalised(JsonNode document, String system) {
        JsonNode copy = replaceText(document.deepCopy(), system);
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(List.of("time", "created", "expectations"));
            o.elements().forEachRemaining(Consistency::strip);
        } else if (node instanceof ArrayNode a) {
            a.elements().forEachRemaining(Consistency::strip);
        }
    }

    private static JsonNode replaceText(JsonNode node, String system) {
        try {
            String text = RestClient.JSON.writeValueAsString(node).replace(system, "<system>");
            return RestClient.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
