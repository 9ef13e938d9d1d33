package dev.pcitimeline.projections.views;

import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.projections.timeline.TimelineCursor;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the projection keeps of one system between events: its cursor, the event of its latest checkpoint, the
 * finding kinds it has had (so the first of each is written once), the finding runs started since that checkpoint,
 * and its committed open bus2bridge versions
 * (null until the writer needs them, see {@link OpenVersions}).
 */
final class SystemFold {
    final TimelineCursor cursor;
    long lastCheckpoint;
    final Set<Finding.Kind> kindsSeen;
    /** The finding runs that started since the latest checkpoint (stored with the next one). */
    final List<Checkpoints.RunStart> runStarts;
    OpenVersions open;

    SystemFold(TimelineCursor cursor, long lastCheckpoint, Set<Finding.Kind> kindsSeen,
               List<Checkpoints.RunStart> runStarts, OpenVersions open) {
        this.cursor = cursor;
        this.runStarts = new ArrayList<>(runStarts);
        this.lastCheckpoint = lastCheckpoint;
        this.kindsSeen = kindsSeen.isEmpty() ? EnumSet.noneOf(Finding.Kind.class) : EnumSet.copyOf(kindsSeen);
        this.open = open;
    }
}
