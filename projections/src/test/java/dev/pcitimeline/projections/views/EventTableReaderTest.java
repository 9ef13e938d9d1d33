package dev.pcitimeline.projections.views;

import dev.pcitimeline.domain.command.CreateSystem;
import dev.pcitimeline.domain.command.RunStep;
import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.Seed;
import dev.pcitimeline.projections.it.TestApplication;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rebuild's reader must see what Axon's storage engine sees: the same events in the same order with the same
 * payloads and sequence numbers, and at the end the same tracking token, gaps included, across page boundaries, a
 * small gap in the global index (a transaction that rolled back), one wider than the engine keeps track of and a jump
 * of fifty million.
 */
@SpringBootTest(classes = TestApplication.class,
        properties = {"pcitimeline.db=mem", "pcitimeline.views.checkpoint-interval=16"})
class EventTableReaderTest {
    @Autowired
    CommandGateway gateway;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventStorageEngine storage;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer serializer;

    @Test
    void readsWhatTheStorageEngineReadsAndEndsWithItsToken() throws InterruptedException {
        // nothing read yet: no token
        assertThat(new EventTableReader(jdbc, serializer, 7).read(e -> {
        }, () -> true)).isNull();

        gateway.sendAndWait(new CreateSystem("reader-a", "seed", "the seed topology", Policy.XEN_4_4, 0,
                Seed.topology()));
        gateway.sendAndWait(new CreateSystem("reader-b", "seed", "the seed topology", Policy.XEN_4_4, 0,
                Seed.topology()));
        run(Seed.XEN_BOOT, Seed.DOM0_BOOT_ASSIGN_BUSSES);
        skipGlobalIndexes(3);
        run(Seed.REPORT_ALL_REMOVE_FIRST);
        skipGlobalIndexes(EventTableReader.MAX_GAP_OFFSET + 500);
        run(Seed.REPORT_ALL_REMOVE_FIRST, Seed.REMOVE_OLD_TUNDRA);
        skipGlobalIndexes(2);
        run(new Step.XenBoot());
        // a jump of fifty million (a sequence moved by hand, say): no more gaps kept than the engine keeps
        skipGlobalIndexes(50_000_000);
        run(Seed.XEN_BOOT);

        List<TrackedEventMessage<?>> expected = new ArrayList<>();
        try (Stream<? extends TrackedEventMessage<?>> stream = storage.readEvents(null, false)) {
            stream.forEach(expected::add);
        }
        assertThat(expected).hasSizeGreaterThan(3 * 7);
        TrackingToken axonEnd = expected.get(expected.size() - 1).trackingToken();
        assertThat(((GapAwareTrackingToken) axonEnd).getGaps()).as("the history has gaps Axon tracks").isNotEmpty();

        for (int pageRows : new int[]{7, EventTableReader.PAGE_ROWS}) {
            List<EventTableReader.StoredEvent> read = new ArrayList<>();
            TrackingToken end = new EventTableReader(jdbc, serializer, pageRows).read(read::add, () -> false);

            assertThat(end).as("token with pages of %d", pageRows).isEqualTo(axonEnd);
            // equals() leaves out gaps below a truncation point: the gaps themselves must be the same too
            assertThat(((GapAwareTrackingToken) end).getGaps()).isEqualTo(((GapAwareTrackingToken) axonEnd).getGaps());
            assertThat(read).hasSameSizeAs(expected);
            for (int i = 0; i < read.size(); i++) {
                EventTableReader.StoredEvent mine = read.get(i);
                DomainEventMessage<?> theirs = (DomainEventMessage<?>) expected.get(i);
                assertThat(mine.globalIndex())
                        .isEqualTo(((GapAwareTrackingToken) expected.get(i).trackingToken()).getIndex());
                assertThat(mine.sequenceNumber()).isEqualTo(theirs.getSequenceNumber());
                assertThat(mine.payload()).isEqualTo(theirs.getPayload());
                // the time is decoded only where the fold uses it: a system's first event
                assertThat(mine.timestamp()).isEqualTo(
                        theirs.getPayload() instanceof SegmentEvent.SystemCreated ? theirs.getTimestamp() : null);
            }
        }
    }

    @Test
    void stopsWhenAsked() throws InterruptedException {
        gateway.sendAndWait(new CreateSystem("reader-stop", "seed", "the seed topology", Policy.XEN_4_4, 0,
                Seed.topology()));
        gateway.sendAndWait(new RunStep("reader-stop", Seed.XEN_BOOT));
        List<Long> seen = new ArrayList<>();
        TrackingToken end = new EventTableReader(jdbc, serializer, 3).read(e -> seen.add(e.globalIndex()),
                () -> seen.size() >= 5);
        assertThat(seen).hasSize(5);
        assertThat(((GapAwareTrackingToken) end).getIndex()).isEqualTo(seen.get(4));
    }

    private void run(Step... steps) {
        for (Step step : steps) {
            gateway.sendAndWait(new RunStep("reader-a", step));
            gateway.sendAndWait(new RunStep("reader-b", step));
        }
    }

    /** The next events get global indexes {@code n} above the last one: as if transactions had rolled back. */
    private void skipGlobalIndexes(int n) {
        Long last = jdbc.queryForObject("SELECT MAX(globalIndex) FROM DomainEventEntry", Long.class);
        jdbc.execute("ALTER TABLE DomainEventEntry ALTER COLUMN globalIndex RESTART WITH " + (last + 1 + n));
    }
}
