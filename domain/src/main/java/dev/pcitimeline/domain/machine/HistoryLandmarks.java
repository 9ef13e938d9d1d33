package dev.pcitimeline.domain.machine;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.xen.Bus2BridgeEntry;
import dev.pcitimeline.domain.xen.Bus2BridgeWriteCause;
import dev.pcitimeline.domain.xen.XenTrace;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Where things happened in a history, found by meaning instead of by number: the events each step
 * produced and every write of a bus2bridge entry with its rule. It records the steps on the pure
 * model exactly as the aggregate does ({@link Machine#record}, then {@link Machine#apply}), so its
 * event numbers are the ones a store holds for the same steps. Tests locate "the last event of
 * step 1" or "the event where alloc_pdev's fill wrote bus2bridge[6]" with it, so a more faithful
 * model that adds an event moves no assertion that is not about that event.
 */
public final class HistoryLandmarks {

    /** The events of step {@code index}: its marker, then those it produced ({@code last == marker}: none). */
    public record StepSpan(int index, long marker, long last) {
    }

    /** bus2bridge[{@code bus}] changed at {@code event} by {@code rule}. */
    public record Bus2BridgeWrite(long event, int bus, Bus2BridgeEntry before, Bus2BridgeEntry after,
                                  Bus2BridgeWriteCause cause) {
    }

    private final List<StepSpan> steps;
    private final List<Bus2BridgeWrite> writes;
    private final long lastEvent;

    private HistoryLandmarks(List<StepSpan> steps, List<Bus2BridgeWrite> writes, long lastEvent) {
        this.steps = List.copyOf(steps);
        this.writes = List.copyOf(writes);
        this.lastEvent = lastEvent;
    }

    /** Runs {@code steps} on the machine {@code created} describes, under its own policy. */
    public static HistoryLandmarks record(SystemCreated created, List<Step> steps) {
        Machine machine = Machine.created(created);
        List<StepSpan> spans = new ArrayList<>();
        List<Bus2BridgeWrite> writes = new ArrayList<>();
        for (Step step : steps) {
            long marker = machine.eventCount() + 1;
            for (SegmentEvent event : machine.record(step).events()) {
                long number = machine.eventCount() + 1;
                machine.apply(event, new XenTrace() {
                    @Override
                    public void bus2bridgeWritten(int bus, Bus2BridgeEntry before, Bus2BridgeEntry after,
                                                  Bus2BridgeWriteCause cause) {
                        writes.add(new Bus2BridgeWrite(number, bus, before, after, cause));
                    }
                });
            }
            spans.add(new StepSpan(spans.size(), marker, machine.eventCount()));
        }
        return new HistoryLandmarks(spans, writes, machine.eventCount());
    }

    /** The last event of the history (SystemCreated is event 1). */
    public long lastEvent() {
        return lastEvent;
    }

    public StepSpan step(int index) {
        if (index < 0 || index >= steps.size()) {
            throw new NoSuchElementException("no step " + index + ": the history has " + steps.size());
        }
        return steps.get(index);
    }

    /** The last event of step {@code index} (its marker when it produced none): the end of that step. */
    public long endOfStep(int index) {
        return step(index).last();
    }

    /** Every write of bus2bridge[{@code bus}] by {@code rule}, oldest first. */
    public List<Bus2BridgeWrite> writes(int bus, Bus2BridgeWriteCause.Rule rule) {
        return writes.stream().filter(w -> w.bus() == bus && w.cause().rule() == rule).toList();
    }

    /** The event of the first write of bus2bridge[{@code bus}] by {@code rule} within step {@code index}. */
    public long write(int bus, Bus2BridgeWriteCause.Rule rule, int index) {
        StepSpan span = step(index);
        return writes(bus, rule).stream().mapToLong(Bus2BridgeWrite::event)
                .filter(e -> e > span.marker() && e <= span.last()).findFirst()
                .orElseThrow(() -> new NoSuchElementException(
                        "no " + rule + " write of bus2bridge[" + bus + "] in step " + index));
    }
}
