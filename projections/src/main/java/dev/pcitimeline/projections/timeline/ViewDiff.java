package dev.pcitimeline.projections.timeline;

import dev.pcitimeline.domain.view.MachineView;
import dev.pcitimeline.domain.view.MachineView.Bus2BridgeRow;
import dev.pcitimeline.domain.view.MachineView.ContextRow;
import dev.pcitimeline.domain.view.MachineView.HardwareRow;
import dev.pcitimeline.domain.view.MachineView.PdevRow;
import dev.pcitimeline.domain.view.MachineView.UpstreamRow;

import java.util.List;

/** What one event changed in every table of the view. */
public record ViewDiff(TableChange<PdevRow> pdevs, TableChange<Bus2BridgeRow> bus2bridge,
                       TableChange<UpstreamRow> upstream, TableChange<ContextRow> contexts,
                       TableChange<HardwareRow> hardware, TableChange<DatedFinding> findings) {

    /** Row keys: a pdev, upstream result, context entry or hardware function by BDF, an entry by bus. */
    public static ViewDiff between(MachineView before, List<DatedFinding> findingsBefore, MachineView after,
                                   List<DatedFinding> findingsAfter) {
        return new ViewDiff(
                TableChange.between(before.pdevs(), after.pdevs(), PdevRow::bdf),
                TableChange.between(before.bus2bridge(), after.bus2bridge(), Bus2BridgeRow::bus),
                TableChange.between(before.upstream(), after.upstream(), UpstreamRow::bdf),
                TableChange.between(before.contexts(), after.contexts(), ContextRow::bdf),
                TableChange.between(before.hardware(), after.hardware(), HardwareRow::bdf),
                // the subject is the key as a value: same identity, no text built per finding
                TableChange.between(findingsBefore, findingsAfter, d -> d.finding().subject()));
    }

    public boolean isEmpty() {
        return pdevs.isEmpty() && bus2bridge.isEmpty() && upstream.isEmpty() && contexts.isEmpty()
                && hardware.isEmpty() && findings.isEmpty();
    }
}
