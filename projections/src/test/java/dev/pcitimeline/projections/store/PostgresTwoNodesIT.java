package dev.pcitimeline.projections.store;

import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.Seed;
import dev.pcitimeline.projections.views.ViewProjection;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes (two application contexts, as two {@code serve} instances would be) on one PostgreSQL database: the
 * "views" processor split into two segments, one claimed by each node; both nodes answer every state query the same
 * (the views are shared tables) and the same as the in-memory fold; when one node closes, the other claims its
 * segment within the claim timeout and carries on projecting its systems.
 */
class PostgresTwoNodesIT {
    private static final String SCHEMA = "it_two_nodes";
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(5);
    private static final long CLAIM_INTERVAL_MILLIS = 200;
    private static final Duration PROJECTION_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<Integer> BOTH_SEGMENTS = Set.of(0, 1);

    @Test
    void twoNodesShareTheStoreAndSplitTheViewsProcessor() {
        try (ConfigurableApplicationContext first = start("node-a", true)) {
            ViewsNode a = new ViewsNode(first);
            // Alone, a node claims every segment it has threads for: both.
            await().atMost(Duration.ofSeconds(30)).until(() -> claimed(a).equals(BOTH_SEGMENTS));

            try (ConfigurableApplicationContext second = start("node-b", false)) {
                ViewsNode b = new ViewsNode(second);
                // Without Axon Server nothing balances claims: node A hands segment 1 over, and B's idle thread takes
                // it at its next claim attempt. A stays off it for longer than this test needs.
                a.views().releaseSegment(1, 5, TimeUnit.MINUTES);
                await().atMost(CLAIM_TIMEOUT).until(() -> claimed(b).equals(Set.of(1)));
                assertThat(claimed(a)).isEqualTo(Set.of(0));
                assertThat(owners(a)).isEqualTo(Map.of(0, "node-a", 1, "node-b"));

                // Two systems per segment. Each is created on one node and stepped on the other, which loads the
                // aggregate from the shared store (a node never touches a system again after the other appended).
                Map<String, Long> events = new LinkedHashMap<>();
                List<String> systems = systemsPerSegment(2);
                for (int i = 0; i < systems.size(); i++) {
                    String id = systems.get(i);
                    ViewsNode creator = i % 2 == 0 ? a : b;
                    ViewsNode stepper = i % 2 == 0 ? b : a;
                    creator.seed(id, Policy.XEN_4_4);
                    stepper.run(id, Seed.XEN_BOOT);
                    events.put(id, stepper.run(id, Seed.DOM0_BOOT_ASSIGN_BUSSES).events());
                }
                events.forEach((id, n) -> a.awaitProjected(id, n, PROJECTION_TIMEOUT));

                // Both nodes' segments moved: each projected its half of the systems.
                assertThat(position(a, 0)).isPositive();
                assertThat(position(b, 1)).isPositive();
                for (String id : events.keySet()) {
                    for (int n = 1; n <= events.get(id); n++) {
                        assertThat(b.queries.state(id, n, null, null)).as("%s at event %d", id, n)
                                .isEqualTo(a.queries.state(id, n, null, null));
                    }
                    a.assertTablesEqualTheFold(id, null);
                }
                assertThat(b.queries.systems()).isEqualTo(a.queries.systems());

                // Node A goes away: it releases its claim on the way out, and B's spare thread claims segment 0.
                long closed = System.nanoTime();
                first.close();
                await().atMost(CLAIM_TIMEOUT).pollInterval(Duration.ofMillis(50))
                        .until(() -> claimed(b).equals(BOTH_SEGMENTS));
                assertThat(Duration.ofNanos(System.nanoTime() - closed)).isLessThan(CLAIM_TIMEOUT);
                assertThat(owners(b)).isEqualTo(Map.of(0, "node-b", 1, "node-b"));

                // B now projects the systems of segment 0 too.
                String segmentZeroSystem = systems.get(0);
                long after = b.run(segmentZeroSystem, Seed.REMOVE_OLD_TUNDRA).events();
                b.awaitProjected(segmentZeroSystem, after, PROJECTION_TIMEOUT);
                assertThat(b.queries.state(segmentZeroSystem, null, null, null).hung()).isTrue();
                b.assertTablesEqualTheFold(segmentZeroSystem, null);
            }
        }
    }

    private static ConfigurableApplicationContext start(String nodeId, boolean freshSchema) {
        List<Class<?>> sources = new ArrayList<>(List.of(Node.class));
        if (freshSchema) {
            sources.add(PostgresTestDatabase.FreshSchema.class);
        }
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                .web(WebApplicationType.NONE)
                .properties(PostgresTestDatabase.properties(SCHEMA,
                        EventStoreConfiguration.NODE_ID_PROPERTY + "=" + nodeId,
                        "axon.eventhandling.tokenstore.claim-timeout=" + CLAIM_TIMEOUT.toSeconds() + "s",
                        "spring.main.banner-mode=off").toArray(String[]::new))
                .run();
    }

    /** Segments the node's views processor is working on. */
    private static Set<Integer> claimed(ViewsNode node) {
        return node.views().processingStatus().keySet();
    }

    private static long position(ViewsNode node, int segment) {
        EventTrackerStatus status = node.views().processingStatus().get(segment);
        assertThat(status).as("segment %d", segment).isNotNull();
        return status.getCurrentPosition().orElse(0);
    }

    /** Who holds each segment of the views processor, from the shared token table. */
    private static Map<Integer, String> owners(ViewsNode node) {
        Map<Integer, String> owners = new LinkedHashMap<>();
        node.jdbc.query("SELECT segment, owner FROM TokenEntry WHERE processorName = ? ORDER BY segment",
                rs -> {
                    owners.put(rs.getInt(1), rs.getString(2));
                }, ViewProjection.PROCESSING_GROUP);
        return owners;
    }

    /** System ids, {@code perSegment} of each of the two segments, alternating segment 0 and segment 1. */
    private static List<String> systemsPerSegment(int perSegment) {
        Segment[] segments = Segment.computeSegments(0, 1);
        List<List<String>> bySegment = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; bySegment.get(0).size() < perSegment || bySegment.get(1).size() < perSegment; i++) {
            String id = "two-nodes-" + i;
            // The views processor sequences per aggregate (system): its id decides the segment.
            List<String> ids = bySegment.get(segments[0].matches(id) ? 0 : 1);
            if (ids.size() < perSegment) {
                ids.add(id);
            }
        }
        List<String> systems = new ArrayList<>();
        for (int i = 0; i < perSegment; i++) {
            systems.add(bySegment.get(0).get(i));
            systems.add(bySegment.get(1).get(i));
        }
        return systems;
    }

    /**
     * A node: everything from autoconfiguration, with the views processor in two segments and two threads (so a
     * node alone can run both), trying to claim a free segment every {@value #CLAIM_INTERVAL_MILLIS} ms.
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Node {
        @Bean
        ConfigurerModule twoSegmentViews() {
            return new ConfigurerModule() {
                @Override
                public void configureModule(Configurer configurer) {
                    configurer.eventProcessing(processing -> processing.registerTrackingEventProcessorConfiguration(
                            ViewProjection.PROCESSING_GROUP, c -> TrackingEventProcessorConfiguration
                                    .forParallelProcessing(2)
                                    .andInitialSegmentsCount(2)
                                    .andBatchSize(100)
                                    .andTokenClaimInterval(CLAIM_INTERVAL_MILLIS, TimeUnit.MILLISECONDS)));
                }

                /** After ProjectionsAutoConfiguration's module (order 0), so this configuration replaces its own. */
                @Override
                public int order() {
                    return 1;
                }
            };
        }
    }
}
