package dev.pcitimeline.projections.views;

import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The "views" projection's parts, built once and shared: the fold ({@link ViewFolder}) and its writer, driven by the
 * processor's handler ({@link #projection()}) and by the bulk rebuild ({@link #rebuild()}).
 */
public final class Views {
    private final ViewProjection projection;
    private final ViewsRebuild rebuild;
    private final ViewsProgress progress;

    /**
     * @param cursorCacheSize    systems whose cursors stay in memory between events
     * @param checkpointInterval events between two checkpoints of a system, at least
     * @param segments           the processor's segments (its tokens, stored by a rebuild)
     * @param coalesceMillis     the processor's pause after a small batch (see ViewProjection)
     * @param progress           where the processor's commits are announced
     */
    public Views(JdbcTemplate jdbc, PlatformTransactionManager transactions, EventHistory history,
                 Checkpoints checkpoints, Serializer eventSerializer, TokenStore tokens, int cursorCacheSize,
                 int checkpointInterval, int segments, long coalesceMillis, ViewsProgress progress) {
        this.progress = progress;
        ViewFolder folder = new ViewFolder(jdbc, history, checkpoints, cursorCacheSize, checkpointInterval);
        ViewWriter writer = new ViewWriter(jdbc);
        ViewsReset reset = new ViewsReset(jdbc, transactions);
        this.projection = new ViewProjection(folder, writer, reset, coalesceMillis, progress);
        this.rebuild = new ViewsRebuild(new EventTableReader(jdbc, eventSerializer), tokens, transactions, folder,
                writer, reset, ViewProjection.PROCESSING_GROUP, Math.max(1, segments));
    }

    public ViewProjection projection() {
        return projection;
    }

    public ViewsRebuild rebuild() {
        return rebuild;
    }

    /** The processor's commits in this JVM, for those who wait for the views. */
    public ViewsProgress progress() {
        return progress;
    }
}
