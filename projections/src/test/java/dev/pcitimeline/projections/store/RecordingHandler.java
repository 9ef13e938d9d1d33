package dev.pcitimeline.projections.store;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tracking event handler that remembers what it saw, to prove a processor ran and where it resumed. */
@ProcessingGroup(RecordingHandler.PROCESSOR)
class RecordingHandler {

    static final String PROCESSOR = "store-test";

    private final List<DeviceProbed> seen = new CopyOnWriteArrayList<>();

    @EventHandler
    void on(DeviceProbed event) {
        seen.add(event);
    }

    List<DeviceProbed> seen() {
        return List.copyOf(seen);
    }
}
