package dev.pcitimeline.app.web;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * {@code /actuator/health} component {@code eventProcessors}: for each Axon event processor whether it
 * runs, is in error, replays, and is caught up, i.e. its token's position against the head of the event
 * store. DOWN when a processor is stopped or in error (the views would never advance again); a processor
 * that merely lags is UP, with how far behind it is.
 */
@Component("eventProcessors")
@ConditionalOnWebApplication // the service's: a command-line context has no use for it
public class EventProcessorsHealthIndicator implements HealthIndicator {
    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;

    public EventProcessorsHealthIndicator(EventProcessingConfiguration processing, EventStore eventStore) {
        this.processing = processing;
        this.eventStore = eventStore;
    }

    @Override
    public Health health() {
        long head = position(eventStore.createHeadToken());
        boolean up = true;
        Map<String, Object> processors = new TreeMap<>();
        for (Map.Entry<String, EventProcessor> e : processing.eventProcessors().entrySet()) {
            Map<String, Object> details = new LinkedHashMap<>();
            EventProcessor processor = e.getValue();
            details.put("type", processor.getClass().getSimpleName());
            details.put("running", processor.isRunning());
            details.put("error", processor.isError());
            up &= processor.isRunning() && !processor.isError();
            if (processor instanceof StreamingEventProcessor streaming) {
                boolean replaying = false;
                boolean caughtUp = true;
                long lowest = Long.MAX_VALUE;
                Map<Integer, Object> segments = new TreeMap<>();
                for (Map.Entry<Integer, EventTrackerStatus> s : streaming.processingStatus().entrySet()) {
                    EventTrackerStatus status = s.getValue();
                    OptionalLong current = status.getCurrentPosition();
                    long position = current.isPresent() ? current.getAsLong() : -1;
                    lowest = Math.min(lowest, position);
                    replaying |= status.isReplaying();
                    caughtUp &= position >= head;
                    Map<String, Object> segment = new LinkedHashMap<>();
                    segment.put("position", position);
                    segment.put("caughtUp", position >= head);
                    segment.put("replaying", status.isReplaying());
                    segment.put("errorState", status.isErrorState());
                    if (status.isErrorState() && status.getError() != null) {
                        segment.put("errorMessage", String.valueOf(status.getError().getMessage()));
                    }
                    up &= !status.isErrorState();
                    segments.put(s.getKey(), segment);
                }
                // No claimed segment: nothing is processing this store (another instance may hold the claim).
                boolean claimed = !segments.isEmpty();
                details.put("replaying", replaying);
                details.put("caughtUp", claimed && caughtUp);
                details.put("position", claimed ? lowest : null);
                details.put("head", head);
                details.put("behind", claimed ? Math.max(0, head - lowest) : null);
                details.put("segments", segments);
            }
            processors.put(e.getKey(), details);
        }
        return (up ? Health.up() : Health.down()).withDetail("head", head).withDetail("processors", processors).build();
    }

    /** A token's global position; -1 for an empty store (no token). */
    private static long position(TrackingToken token) {
        if (token == null) {
            return -1;
        }
        OptionalLong p = token.position();
        return p.isPresent() ? p.getAsLong() : -1;
    }
}
