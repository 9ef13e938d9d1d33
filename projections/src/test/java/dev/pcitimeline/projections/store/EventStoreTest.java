package dev.pcitimeline.projections.store;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.util.ReflectionTestUtils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = StoreTestApplication.class, properties = "pcitimeline.db=mem")
class EventStoreTest {

    private static final String AGGREGATE_TYPE = "TestDevice";

    @Autowired
    private EventStore eventStore;
    @Autowired
    private EventStorageEngine storageEngine;
    @Autowired
    private TokenStore tokenStore;
    @Autowired
    private Serializer serializer;
    @Autowired
    @Qualifier("eventSerializer")
    private Serializer eventSerializer;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private RecordingHandler handler;
    @Autowired
    private Environment environment;
    @Autowired
    private ApplicationContext context;
    @Autowired
    private EventProcessingConfiguration processing;

    @Test
    void wiresAxonJdbcWithJacksonOnAPrivateInMemoryDatabase() {
        assertThat(storageEngine).isInstanceOf(JdbcEventStorageEngine.class);
        assertThat(tokenStore).isInstanceOf(JdbcTokenStore.class);
        assertThat(serializer).isInstanceOf(JacksonSerializer.class);
        assertThat(eventSerializer).isSameAs(serializer);
        assertThat(context.getBean(PersistenceExceptionResolver.class)).isInstanceOf(DuplicateKeyResolver.class);
        assertThat(context.getBeanNamesForType(com.thoughtworks.xstream.XStream.class)).isEmpty();
        assertThat(environment.getProperty("spring.datasource.url"))
                .startsWith(StoreEnvironmentPostProcessor.IN_MEMORY_URL_PREFIX);
        assertThat(environment.getProperty("axon.update-check.disabled")).isEqualTo("true");
    }

    @Test
    void axonsHandlerTimeLimitsAreOff() {
        // A time limit interrupts the handler's thread, which closes H2's file channel mid-write; and each message
        // scheduled and cancelled a task (a fifth of the command side's CPU in the bench).
        assertThat(environment.getProperty("axon.timeout.enabled")).isEqualTo("false");
        assertThat(context.getBeanNamesForType(
                org.axonframework.messaging.timeout.HandlerTimeoutHandlerEnhancerDefinition.class)).isEmpty();
        assertThat(context.getBeanNamesForType(
                org.axonframework.messaging.timeout.UnitOfWorkTimeoutInterceptor.class)).isEmpty();
    }

    @Test
    void theStoreCountsItsCommitsAndLetsEachProcessorReadTheTableItself() {
        assertThat(eventStore).isInstanceOf(CommitSignallingEventStore.class);
        // Axon exposes no getter: false means no producer thread reading the table after every commit
        assertThat(ReflectionTestUtils.getField(eventStore, "optimizeEventConsumption")).isEqualTo(false);
        EventCommits commits = ((CommitSignallingEventStore) eventStore).commits();
        long before = commits.count();
        String aggregateId = UUID.randomUUID().toString();
        DeviceProbed probe = probes(aggregateId, 1).get(0);
        eventStore.publish(event(aggregateId, 0, probe));

        assertThat(commits.count()).isGreaterThan(before);
        // the views processor's source waits on that very count (a wrong wiring would leave it polling each second)
        TrackingEventProcessor views = processing.eventProcessor("views", TrackingEventProcessor.class).orElseThrow();
        Object source = ReflectionTestUtils.getField(views, "messageSource");
        assertThat(source).isNotNull().extracting(Object::getClass).extracting(Class::getSimpleName)
                .isEqualTo("ViewsEventSource");
        assertThat(ReflectionTestUtils.getField(source, "commits")).isSameAs(commits);
        // a processor without the views' source still reads its own stream: at its next look (within a second)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(handler.seen()).contains(probe));
    }

    @Test
    void processorsTrackTheStoreInBatchesOfAHundred() {
        TrackingEventProcessor processor = processing
                .eventProcessor(RecordingHandler.PROCESSOR, TrackingEventProcessor.class)
                .orElseThrow();

        // Axon exposes no getter for the batch size.
        assertThat(ReflectionTestUtils.getField(processor, "batchSize")).isEqualTo(100);
        assertThat(processor.maxCapacity()).isEqualTo(1);
    }

    @Test
    void readsBackAnAggregatesEventsInOrder() {
        String aggregateId = UUID.randomUUID().toString();
        List<DeviceProbed> payloads = probes(aggregateId, 3);
        List<DomainEventMessage<?>> appended = IntStream.range(0, payloads.size())
                .<DomainEventMessage<?>>mapToObj(seq -> event(aggregateId, seq, payloads.get(seq)))
                .toList();
        eventStore.publish(appended);

        List<? extends DomainEventMessage<?>> read = eventStore.readEvents(aggregateId).asStream().toList();

        assertThat(read).extracting(DomainEventMessage::getSequenceNumber).containsExactly(0L, 1L, 2L);
        assertThat(payloadsOf(read)).containsExactlyElementsOf(payloads);
        assertThat(read).extracting(DomainEventMessage::getIdentifier)
                .containsExactlyElementsOf(appended.stream().map(DomainEventMessage::getIdentifier).toList());
        assertThat(read).allSatisfy(message -> {
            assertThat(message.getType()).isEqualTo(AGGREGATE_TYPE);
            assertThat(message.getAggregateIdentifier()).isEqualTo(aggregateId);
            assertThat(message.getMetaData()).containsEntry("origin", "test");
        });
        // The engine keeps milliseconds.
        assertThat(read.get(0).getTimestamp())
                .isEqualTo(appended.get(0).getTimestamp().truncatedTo(ChronoUnit.MILLIS));
        assertThat(eventStore.lastSequenceNumberFor(aggregateId)).contains(2L);
    }

    @Test
    void storesJsonAndUtcTimestamps() {
        String aggregateId = UUID.randomUUID().toString();
        eventStore.publish(event(aggregateId, 0, probes(aggregateId, 1).get(0)));

        Map<String, Object> row = jdbc.queryForMap(
                "SELECT payload, metaData, timeStamp, payloadType FROM DomainEventEntry WHERE aggregateIdentifier = ?",
                aggregateId);

        String json = new String((byte[]) row.get("PAYLOAD"), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{").contains("\"bdf\":\"0000:06:00.0\"", "\"at\":\"2025-");
        assertThat(json).doesNotContain("multiFunction");
        assertThat(new String((byte[]) row.get("METADATA"), StandardCharsets.UTF_8)).contains("\"origin\":\"test\"");
        assertThat((String) row.get("TIMESTAMP")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(row.get("PAYLOADTYPE")).isEqualTo(DeviceProbed.class.getName());
    }

    @Test
    void rejectsADuplicateSequenceNumberAsAConcurrencyConflict() {
        String aggregateId = UUID.randomUUID().toString();
        List<DeviceProbed> payloads = probes(aggregateId, 3);
        eventStore.publish(event(aggregateId, 0, payloads.get(0)), event(aggregateId, 1, payloads.get(1)));

        assertThatThrownBy(() -> eventStore.publish(event(aggregateId, 1, payloads.get(2))))
                .isInstanceOf(ConcurrencyException.class);
        // Sequence 0 taken means someone else created the aggregate: Axon reports that as its own type.
        assertThatThrownBy(() -> eventStore.publish(event(aggregateId, 0, payloads.get(2))))
                .isInstanceOf(AggregateStreamCreationException.class);

        assertThat(payloadsOf(eventStore.readEvents(aggregateId).asStream().toList()))
                .containsExactly(payloads.get(0), payloads.get(1));
    }

    @Test
    void trackingProcessorStoresItsTokenInTokenEntry() {
        String aggregateId = UUID.randomUUID().toString();
        List<DeviceProbed> payloads = probes(aggregateId, 2);
        eventStore.publish(event(aggregateId, 0, payloads.get(0)), event(aggregateId, 1, payloads.get(1)));
        long lastIndex = jdbc.queryForObject(
                "SELECT max(globalIndex) FROM DomainEventEntry WHERE aggregateIdentifier = ?", Long.class, aggregateId);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(storedTokenPosition(RecordingHandler.PROCESSOR)).isGreaterThanOrEqualTo(lastIndex));

        assertThat(handler.seen()).containsAll(payloads);
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT token, tokenType, owner FROM TokenEntry WHERE processorName = ? AND segment = 0",
                RecordingHandler.PROCESSOR);
        assertThat(row.get("TOKENTYPE")).isEqualTo(GapAwareTrackingToken.class.getName());
        // JSON, not XStream's XML.
        assertThat(new String((byte[]) row.get("TOKEN"), StandardCharsets.UTF_8)).startsWith("{").contains("\"index\"");
        assertThat(row.get("OWNER")).isNotNull();
        // The store's identity row is JSON too.
        assertThat(tokenStore.retrieveStorageIdentifier()).isPresent();
        String config = new String(jdbc.queryForObject(
                "SELECT token FROM TokenEntry WHERE processorName = '__config'", byte[].class), StandardCharsets.UTF_8);
        assertThat(config).startsWith("{").contains("\"config\"");
    }

    @Test
    void createsTokensAtATimeByComparingTheIsoTimestampText() {
        // Far-future timestamps of our own, so no other test's events fall into the window.
        String aggregateId = UUID.randomUUID().toString();
        List<DeviceProbed> payloads = probes(aggregateId, 2);
        Instant first = Instant.parse("2100-01-01T00:00:00Z");
        Instant second = Instant.parse("2100-01-02T00:00:00Z");
        eventStore.publish(
                new GenericDomainEventMessage<>(AGGREGATE_TYPE, aggregateId, 0, payloads.get(0), MetaData.emptyInstance(),
                                                UUID.randomUUID().toString(), first),
                new GenericDomainEventMessage<>(AGGREGATE_TYPE, aggregateId, 1, payloads.get(1), MetaData.emptyInstance(),
                                                UUID.randomUUID().toString(), second));
        long secondIndex = jdbc.queryForObject(
                "SELECT globalIndex FROM DomainEventEntry WHERE aggregateIdentifier = ? AND sequenceNumber = 1",
                Long.class, aggregateId);

        // The token just before the first event at or after the instant.
        assertThat(storageEngine.createTokenAt(Instant.parse("2100-01-01T12:00:00Z")).position())
                .hasValue(secondIndex - 1);
        // Nothing that late: the head of the store.
        assertThat(storageEngine.createTokenAt(Instant.parse("2100-01-03T00:00:00Z")).position())
                .hasValue(storageEngine.createHeadToken().position().orElseThrow());
    }

    @Test
    void storesAndLoadsASnapshot() {
        String aggregateId = UUID.randomUUID().toString();
        List<DeviceProbed> payloads = probes(aggregateId, 4);
        eventStore.publish(event(aggregateId, 0, payloads.get(0)),
                           event(aggregateId, 1, payloads.get(1)),
                           event(aggregateId, 2, payloads.get(2)));
        DeviceState state = new DeviceState(aggregateId, 3, List.of("0000:06:00.0", "0000:06:00.1"));

        eventStore.storeSnapshot(new GenericDomainEventMessage<>(AGGREGATE_TYPE, aggregateId, 2, state));
        eventStore.publish(event(aggregateId, 3, payloads.get(3)));

        DomainEventMessage<?> snapshot = storageEngine.readSnapshot(aggregateId).orElseThrow();
        assertThat(snapshot.getPayload()).isEqualTo(state);
        assertThat(snapshot.getSequenceNumber()).isEqualTo(2L);
        // Sourcing starts at the snapshot and continues with the events after it.
        List<? extends DomainEventMessage<?>> stream = eventStore.readEvents(aggregateId).asStream().toList();
        assertThat(stream).extracting(DomainEventMessage::getSequenceNumber).containsExactly(2L, 3L);
        assertThat(payloadsOf(stream)).containsExactly(state, payloads.get(3));

        String json = new String(jdbc.queryForObject(
                "SELECT payload FROM SnapshotEventEntry WHERE aggregateIdentifier = ?", byte[].class, aggregateId),
                StandardCharsets.UTF_8);
        assertThat(json).contains("\"probes\":3").doesNotContain("knownBdfs");
    }

    private long storedTokenPosition(String processorName) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT token, tokenType FROM TokenEntry WHERE processorName = ? AND segment = 0", processorName);
        if (rows.isEmpty() || rows.get(0).get("TOKEN") == null) {
            return -1;
        }
        TrackingToken token = serializer.deserialize(new SimpleSerializedObject<>(
                (byte[]) rows.get(0).get("TOKEN"), byte[].class, (String) rows.get(0).get("TOKENTYPE"), null));
        return token.position().orElse(-1);
    }

    static List<Object> payloadsOf(List<? extends DomainEventMessage<?>> messages) {
        return messages.stream().<Object>map(DomainEventMessage::getPayload).toList();
    }

    static List<DeviceProbed> probes(String systemId, int count) {
        Instant start = Instant.parse("2025-03-01T10:15:30.123456Z");
        return IntStream.range(0, count)
                .mapToObj(i -> new DeviceProbed(systemId, String.format("0000:06:00.%d", i), start.plusSeconds(i),
                        List.of(new DeviceProbed.Function(i, "endpoint"), new DeviceProbed.Function(i + 1, "bridge"))))
                .toList();
    }

    static DomainEventMessage<DeviceProbed> event(String aggregateId, long sequence, DeviceProbed payload) {
        return new GenericDomainEventMessage<>(AGGREGATE_TYPE, aggregateId, sequence, payload,
                MetaData.with("origin", "test"));
    }
}
