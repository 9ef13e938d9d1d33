package dev.pcitimeline.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pcitimeline.app.web.Http.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two services writing to one system in one store race for the same sequence numbers: the loser of
 * each race gets a 409 with nothing stored and may retry; the stored history stays gap-free and holds
 * exactly the steps that were answered 200. (Within one service Axon serialises commands per system,
 * so the race needs two: two instances on one H2 database, which an embedded H2 shares inside a JVM,
 * each with its own node id for the views processor's claim.)
 */
class ConcurrentWritersTest {
    private static final String STEP = "{\"remove\": \"0000:00:05.0\"}"; // no pdev there: ENODEV, always a 200
    private static final int ROUNDS = 12;

    @TempDir
    Path db;

    @Test
    void theLoserOfARaceGets409AndTheHistoryStaysWhole() throws Exception {
        try (ConfigurableApplicationContext a = Services.start(db, "first-writer");
             ConfigurableApplicationContext b = Services.start(db, "second-writer")) {
            Http first = Services.client(a);
            Http second = Services.client(b);
            Response created = first.post("/api/systems", Http.JSON_TYPE, ServiceApiTest.TWO_ENDPOINTS);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String steps = "/api/systems/" + created.json().get("system").asText() + "/steps";
            String system = created.json().get("system").asText();

            List<Response> answers = Collections.synchronizedList(new ArrayList<>());
            // Both instances have the system cached after their first write; every write of the other makes
            // that copy stale, so races are the rule here, not luck.
            for (int attempt = 0; attempt < 5 && answers.stream().noneMatch(r -> r.status() == 409); attempt++) {
                race(first, second, steps, answers);
            }

            assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(200, 409));
            List<Response> conflicts = answers.stream().filter(r -> r.status() == 409).toList();
            assertThat(conflicts).as("two writers on stale copies must collide").isNotEmpty();
            for (Response r : conflicts) {
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.json().get("field").asText()).isEqualTo("system");
            }
            // The client may retry: a 409 left nothing behind, so the next attempt goes through.
            Response retried = retry(second, steps);
            assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
            long accepted = answers.stream().filter(r -> r.status() == 200).count() + 1;

            // Gap-free: events 1..N, steps 0..S-1, and exactly one stored step per 200 (plus the xen-boot).
            JsonNode events = first.get("/api/systems/" + system + "/events").json();
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).get("event").asLong()).isEqualTo(i + 1);
            }
            JsonNode state = first.get("/api/systems/" + system + "/state").json();
            assertThat(state.get("event").asLong()).isEqualTo(events.size());
            JsonNode stored = state.get("steps");
            assertThat(stored).hasSize((int) accepted + 1);
            for (int i = 0; i < stored.size(); i++) {
                assertThat(stored.get(i).get("index").asInt()).isEqualTo(i);
                if (i > 0) {
                    assertThat(stored.get(i).get("outcome").asText()).isEqualTo("ENODEV");
                }
            }
            // Every 200 named its own step: no step number was handed out twice.
            List<Integer> numbers = new ArrayList<>();
            answers.stream().filter(r -> r.status() == 200).forEach(r -> numbers.add(r.json().get("step").asInt()));
            numbers.add(retried.json().get("step").asInt());
            assertThat(numbers).doesNotHaveDuplicates().allSatisfy(n -> assertThat(n).isBetween(1, stored.size() - 1));
        }
    }

    /** {@value #ROUNDS} writes through each instance at the same time. */
    private static void race(Http first, Http second, String steps, List<Response> answers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (Http http : List.of(first, second)) {
                writers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < ROUNDS; i++) {
                        answers.add(http.post(steps, Http.JSON_TYPE, STEP));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> w : writers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Response retry(Http http, String steps) {
        Response r = null;
        for (int i = 0; i < 3; i++) {
            r = http.post(steps, Http.JSON_TYPE, STEP);
            if (r.status() != 409) {
                return r;
            }
        }
        return r;
    }
}
