package dev.pcitimeline.projections.store;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.pcitimeline.projections.store.EventStoreTest.event;
import static dev.pcitimeline.projections.store.EventStoreTest.payloadsOf;
import static dev.pcitimeline.projections.store.EventStoreTest.probes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Events, snapshots and processor positions survive closing and reopening an H2 file store. */
class FileStoreRestartTest {

    @TempDir
    Path tempDir;

    @Test
    void dataSurvivesAContextRestart() {
        // A directory that does not exist yet: H2 creates it.
        Path store = tempDir.resolve("nested").resolve("store");
        String aggregateId = UUID.randomUUID().toString();
        List<DeviceProbed> payloads = probes(aggregateId, 4);
        DeviceState state = new DeviceState(aggregateId, 3, List.of("0000:06:00.0"));

        try (ConfigurableApplicationContext first = start(store)) {
            assertThat(first.getEnvironment().getProperty("spring.datasource.url"))
                    .isEqualTo("jdbc:h2:file:" + store.toAbsolutePath().resolve("pci-timeline").toString().replace('\\', '/')
                                       + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
            EventStore eventStore = first.getBean(EventStore.class);
            eventStore.publish(event(aggregateId, 0, payloads.get(0)),
                               event(aggregateId, 1, payloads.get(1)),
                               event(aggregateId, 2, payloads.get(2)));
            eventStore.storeSnapshot(new GenericDomainEventMessage<>("TestDevice", aggregateId, 2, state));

            RecordingHandler handler = first.getBean(RecordingHandler.class);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(handler.seen()).containsExactlyElementsOf(payloads.subList(0, 3)));
            // The processor writes its token in the same transaction as handling the batch; wait for it to be
            // visible so the restart below has a position to resume from.
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                    "SELECT count(*) FROM TokenEntry WHERE processorName = ? AND token IS NOT NULL",
                    Integer.class, RecordingHandler.PROCESSOR)).isEqualTo(1));
            // A fresh store numbers events from 1, the engine's lowestGlobalSequence: the first token has no gaps.
            assertThat(jdbc.queryForObject("SELECT min(globalIndex) FROM DomainEventEntry", Long.class)).isEqualTo(1L);
            assertThat(new String(jdbc.queryForObject(
                    "SELECT token FROM TokenEntry WHERE processorName = ?", byte[].class, RecordingHandler.PROCESSOR),
                    StandardCharsets.UTF_8)).isEqualTo("{\"index\":3,\"gaps\":[]}");
        }
        assertThat(store.resolve("pci-timeline.mv.db")).isRegularFile();

        try (ConfigurableApplicationContext second = start(store)) {
            EventStore eventStore = second.getBean(EventStore.class);
            assertThat(payloadsOf(eventStore.readEvents(aggregateId, 0).asStream().toList()))
                    .containsExactlyElementsOf(payloads.subList(0, 3));
            assertThat(second.getBean(EventStorageEngine.class).readSnapshot(aggregateId))
                    .hasValueSatisfying(snapshot -> assertThat(snapshot.getPayload()).isEqualTo(state));

            assertThatThrownBy(() -> eventStore.publish(event(aggregateId, 2, payloads.get(3))))
                    .isInstanceOf(ConcurrencyException.class);
            eventStore.publish(event(aggregateId, 3, payloads.get(3)));

            // Resumed from the stored token: only the new event arrives (a replay would deliver the old ones first).
            RecordingHandler handler = second.getBean(RecordingHandler.class);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(handler.seen()).contains(payloads.get(3)));
            assertThat(handler.seen()).containsExactly(payloads.get(3));
        }
    }

    private static ConfigurableApplicationContext start(Path store) {
        return new SpringApplicationBuilder(StoreTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties("pcitimeline.db=" + store)
                .run();
    }
}
