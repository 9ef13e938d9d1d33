package dev.pcitimeline.app.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pcitimeline.projections.query.StateQueries;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Racing writers on one service: eight clients sending steps to the same system at once, and several systems
 * driven in parallel. Each step is applied (200) or refused as a lost race (409), never half-applied; the stored
 * history is gap-free and holds exactly the 200s, in the order of their step indexes; the views equal a fold of
 * the stored events, and each system equals a single-threaded replay of its own acknowledged steps.
 * (Axon locks an aggregate per command inside one JVM, so 409s are not expected here; they are allowed.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "pcitimeline.db=target/test-stores/concurrent-steps-${random.uuid}")
class ConcurrentStepsTest {
    private static final int WRITERS = 8;
    private static final int STEPS_PER_WRITER = 5;
    private static final int SYSTEMS = 5;
    private static final int STEPS_PER_SYSTEM = 8;

    @LocalServerPort
    int port;

    @Autowired
    StateQueries queries;

    RestClient client;

    @BeforeEach
    void client() {
        client = new RestClient(port);
    }

    record Outcome(String body, int status, int step, List<Long> events) {
    }

    @Test
    void eightWritersOnOneSystemEachStepWholeOrRefused() throws Exception {
        String system = create("race-one");
        long seed = System.nanoTime();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<List<Outcome>>> futures = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Random random = new Random(seed + w);
            futures.add(pool.submit(() -> {
                start.await();
                List<Outcome> outcomes = new ArrayList<>();
                for (int i = 0; i < STEPS_PER_WRITER; i++) {
                    outcomes.add(step(system, Workload.randomStep(random)));
                }
                return outcomes;
            }));
        }
        start.countDown();
        List<Outcome> all = new ArrayList<>();
        for (Future<List<Outcome>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();

        long applied = all.stream().filter(o -> o.status() == 200).count();
        long conflicts = all.stream().filter(o -> o.status() == 409).count();
        assertThat(applied + conflicts).as("every answer is 200 or 409: %s", all).isEqualTo(all.size());
        // The 200s, by the index the service gave them: unique, and together exactly the steps stored.
        Map<Integer, Outcome> byIndex = new TreeMap<>();
        all.stream().filter(o -> o.status() == 200).forEach(o ->
                assertThat(byIndex.put(o.step(), o)).as("step index %d given twice", o.step()).isNull());
        List<String> expected = new ArrayList<>(Workload.CREATION_STEPS);
        byIndex.values().forEach(o -> expected.add(o.body()));
        assertThat(byIndex.keySet()).as("indexes of the applied steps")
                .containsExactlyElementsOf(range(Workload.CREATION_STEPS.size(), expected.size()));
        JsonNode state = client.read("/api/systems/" + system + "/state");
        for (Outcome o : byIndex.values()) {
            List<Long> stored = new ArrayList<>();
            state.get("steps").get(o.step()).get("events").forEach(n -> stored.add(n.asLong()));
            assertThat(stored).as("events of step %d as acknowledged", o.step()).isEqualTo(o.events());
        }
        long events = Consistency.check(client, system, "race-one", Workload.TOPOLOGY, expected);
        viewsEqualAFoldOfTheStore(system);
        System.out.printf("races: %d writers x %d steps on one system: %d applied (200), %d lost races (409), %d"
                + " events, gap-free, every step whole, equal to a single-threaded replay%n",
                WRITERS, STEPS_PER_WRITER, applied, conflicts, events);
    }

    @Test
    void systemsDrivenInParallelDoNotSeeEachOther() throws Exception {
        long seed = System.nanoTime();
        List<String> systems = new ArrayList<>();
        for (int s = 0; s < SYSTEMS; s++) {
            systems.add(create("race-many-" + s));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(SYSTEMS);
        List<Future<List<Outcome>>> futures = new ArrayList<>();
        for (int s = 0; s < SYSTEMS; s++) {
            String system = systems.get(s);
            Random random = new Random(seed + s);
            futures.add(pool.submit(() -> {
                start.await();
                List<Outcome> outcomes = new ArrayList<>();
                for (int i = 0; i < STEPS_PER_SYSTEM; i++) {
                    outcomes.add(step(system, Workload.randomStep(random)));
                }
                return outcomes;
            }));
        }
        start.countDown();
        long events = 0;
        int applied = 0;
        for (int s = 0; s < SYSTEMS; s++) {
            List<Outcome> outcomes = futures.get(s).get();
            List<String> expected = new ArrayList<>(Workload.CREATION_STEPS);
            for (Outcome o : outcomes) {
                assertThat(o.status()).as("one writer per system: %s", o).isEqualTo(200);
                assertThat(o.step()).as("steps of one writer are numbered in its order").isEqualTo(expected.size());
                expected.add(o.body());
                applied++;
            }
            events += Consistency.check(client, systems.get(s), "race-many-" + s, Workload.TOPOLOGY, expected);
            viewsEqualAFoldOfTheStore(systems.get(s));
        }
        pool.shutdown();
        System.out.printf("races: %d systems driven in parallel, %d steps applied, %d events: each equal to a"
                + " single-threaded replay of its own steps%n", SYSTEMS, applied, events);
    }

    /** The state from the view tables equals the state folded in memory from the stored events alone. */
    private void viewsEqualAFoldOfTheStore(String system) throws IOException {
        String views = RestClient.JSON.writeValueAsString(queries.state(system, null, null, null));
        String fold = RestClient.JSON.writeValueAsString(queries.foldedState(system, null, null, null));
        assertThat(RestClient.JSON.readTree(views)).as("views of %s vs a fold of its stored events", system)
                .isEqualTo(RestClient.JSON.readTree(fold));
    }

    private String create(String name) throws IOException {
        RestClient.Response r = client.post("/api/systems", RestClient.YAML, Workload.creationScenario(name));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("system").asText();
    }

    private Outcome step(String system, String body) throws IOException {
        RestClient.Response r = client.post("/api/systems/" + system + "/steps", RestClient.JSON_TYPE, body);
        if (r.status() != 200) {
            return new Outcome(body, r.status(), -1, List.of());
        }
        JsonNode json = r.json();
        List<Long> events = new ArrayList<>();
        json.get("events").forEach(e -> events.add(e.asLong()));
        return new Outcome(body, 200, json.get("step").asInt(), Collections.unmodifiableList(events));
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }
}
