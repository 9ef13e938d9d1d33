package dev.pcitimeline.projections.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Shaped like an aggregate being snapshotted: private mutable fields, no setters, a no-argument constructor, and a
 * computed getter returning an unmodifiable view (which Jackson would try to use as a setter if getters counted).
 */
class DeviceState {

    private String systemId;
    private long probes;
    private List<String> bdfs = new ArrayList<>();

    DeviceState() {
    }

    DeviceState(String systemId, long probes, List<String> bdfs) {
        this.systemId = systemId;
        this.probes = probes;
        this.bdfs = new ArrayList<>(bdfs);
    }

    public List<String> getKnownBdfs() {
        return List.copyOf(bdfs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceState other
                && probes == other.probes
                && Objects.equals(systemId, other.systemId)
                && Objects.equals(bdfs, other.bdfs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(systemId, probes, bdfs);
    }

    @Override
    public String toString() {
        return "DeviceState[" + systemId + ", " + probes + ", " + bdfs + "]";
    }
}
