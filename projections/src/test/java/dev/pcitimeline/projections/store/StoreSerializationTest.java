package dev.pcitimeline.projections.store;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.MergedTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.ConfigToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the store's Jackson settings mean for the objects Axon and we put in the database, without Spring. */
class StoreSerializationTest {

    private final Serializer serializer = new EventStoreConfiguration().serializer(new AnnotationRevisionResolver());

    @Test
    void recordsRoundTripThroughTheirCanonicalConstructor() {
        DeviceProbed event = EventStoreTest.probes("sys-1", 1).get(0);

        assertThat(roundTrip(event)).isEqualTo(event);
        assertThat(json(event)).contains("\"at\":\"2025-03-01T10:15:30.123456Z\"").doesNotContain("multiFunction");
    }

    @Test
    void snapshotsAreTheirFields() {
        DeviceState state = new DeviceState("sys-1", 7, List.of("0000:00:01.0"));

        assertThat(roundTrip(state)).isEqualTo(state);
        assertThat(json(state)).isEqualTo("{\"systemId\":\"sys-1\",\"probes\":7,\"bdfs\":[\"0000:00:01.0\"]}");
    }

    @Test
    void unknownPropertiesAreIgnored() {
        byte[] newer = "{\"systemId\":\"s\",\"probes\":1,\"bdfs\":[],\"addedLater\":true}".getBytes(StandardCharsets.UTF_8);

        DeviceState read = serializer.deserialize(new SimpleSerializedObject<>(
                newer, byte[].class, DeviceState.class.getName(), null));

        assertThat(read).isEqualTo(new DeviceState("s", 1, List.of()));
    }

    @Test
    void axonsTokensRoundTrip() {
        GapAwareTrackingToken gapAware = GapAwareTrackingToken.newInstance(42, List.of(7L, 40L));
        TrackingToken replay = ReplayToken.createReplayToken(gapAware, GapAwareTrackingToken.newInstance(5, List.of()),
                                                             "reset-reason");
        TrackingToken merged = new MergedTrackingToken(new GlobalSequenceTrackingToken(3),
                                                       new GlobalSequenceTrackingToken(9));
        ConfigToken config = new ConfigToken(Map.of("id", "store-1"));

        assertThat(roundTrip(gapAware)).isEqualTo(gapAware);
        assertThat(roundTrip(replay)).isEqualTo(replay);
        assertThat(ReplayToken.replayContext(roundTrip(replay), String.class)).contains("reset-reason");
        assertThat(roundTrip(merged)).isEqualTo(merged);
        assertThat(roundTrip(config)).isEqualTo(config);
    }

    @Test
    void metaDataRoundTrips() {
        MetaData metaData = MetaData.with("origin", "test").and("at", Instant.EPOCH.toString());

        assertThat(roundTrip(metaData)).isEqualTo(metaData);
    }

    private <T> T roundTrip(T value) {
        SerializedObject<byte[]> serialized = serializer.serialize(value, byte[].class);
        return serializer.deserialize(serialized);
    }

    private String json(Object value) {
        return new String(serializer.serialize(value, byte[].class).getData(), StandardCharsets.UTF_8);
    }
}
