package dev.pcitimeline.domain.dom0;

import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What dom0's kernel remembers: whether and how it booted, and the functions on its list
 * (by id, with the address where it found them). Changed only by folding events.
 */
public final class Dom0State {
    private boolean booted;
    private boolean assignBusses;
    private Step.Reporting reporting = Step.Reporting.DISCOVERY;
    private final LinkedHashMap<String, Bdf> known = new LinkedHashMap<>();

    public Dom0State copy() {
        Dom0State c = new Dom0State();
        c.booted = booted;
        c.assignBusses = assignBusses;
        c.reporting = reporting;
        c.known.putAll(known);
        return c;
    }

    /** xen-boot and reboot restart dom0 too: nothing known until it enumerates again. */
    public void restart() {
        booted = false;
        assignBusses = false;
        reporting = Step.Reporting.DISCOVERY;
        known.clear();
    }

    public void booted(boolean withAssignBusses, Step.Reporting mode) {
        known.clear();
        booted = true;
        assignBusses = withAssignBusses;
        reporting = mode;
    }

    public void discovered(String id, Bdf at) {
        known.put(id, at);
    }

    public void forgotten(String id) {
        known.remove(id);
    }

    public boolean isBooted() {
        return booted;
    }

    /** Whether dom0 booted with {@code pci=assign-busses} (rescans then renumber too). */
    public boolean assignBusses() {
        return assignBusses;
    }

    public Step.Reporting reporting() {
        return reporting;
    }

    public boolean knows(String id) {
        return known.containsKey(id);
    }

    /** Known function ids, in the order Linux found them, with the address it found each at. */
    public Map<String, Bdf> known() {
        return Collections.unmodifiableMap(known);
    }

    public Snapshot snapshot() {
        return new Snapshot(booted, assignBusses, reporting, new LinkedHashMap<>(known));
    }

    public static Dom0State restore(Snapshot s) {
        Dom0State d = new Dom0State();
        d.booted = s.booted();
        d.assignBusses = s.assignBusses();
        d.reporting = s.reporting();
        d.known.putAll(s.known());
        return d;
    }

    public record Snapshot(boolean booted, boolean assignBusses, Step.Reporting reporting,
                           LinkedHashMap<String, Bdf> known) {
    }
}
