package dev.pcitimeline.projections.views;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "views" projection as the tracking processor of that name runs it (one thread, batches of up to 1000, a
 * system's events in order): each event goes to the {@link ViewFolder}, and the rows of a batch are written with
 * JDBC batches just before the processor's transaction commits, together with its token, so a crash or restart never
 * duplicates nor loses rows. A bulk rebuild ({@link ViewsRebuild}) drives the same folder without the processor.
 */
@ProcessingGroup(ViewProjection.PROCESSING_GROUP)
public class ViewProjection {
    public static final String PROCESSING_GROUP = "views";
    private static final Logger log = LoggerFactory.getLogger(ViewProjection.class);
    private static final String BATCH_RESOURCE = ViewProjection.class.getName() + ".batch";
    /** Fewer events than this in a batch: the processor is keeping up with the commands (see {@link #coalesce}). */
    private static final int SMALL_BATCH = 256;

    private final ViewFolder folder;
    private final ViewWriter writer;
    private final ViewsReset reset;
    private final long coalesceMillis;
    private final ViewsProgress progress;

    /**
     * @param coalesceMillis how long the processor waits after committing a small batch before it looks for more
     *                       events (0: not at all); see {@link #coalesce}
     */
    ViewProjection(ViewFolder folder, ViewWriter writer, ViewsReset reset, long coalesceMillis,
                   ViewsProgress progress) {
        this.folder = folder;
        this.writer = writer;
        this.reset = reset;
        this.coalesceMillis = coalesceMillis;
        this.progress = progress;
    }

    @EventHandler
    public void on(SystemCreated event, DomainEventMessage<?> message) {
        folder.created(event, message.getSequenceNumber() + 1, message.getTimestamp(), batch());
    }

    @EventHandler
    public void on(SegmentEvent event, DomainEventMessage<?> message) {
        folder.event(event, message.getSequenceNumber() + 1, batch());
    }

    /** A token reset (Axon's replay): the view tables are emptied and the processor folds every event again. */
    @ResetHandler
    public void onReset() {
        folder.clear();
        reset.emptyForReplay();
        log.info("views: the view tables are empty, the processor replays the event store");
    }

    /**
     * A processor that keeps up with the commands gets one command's events a batch, and each batch is a durable
     * commit on the store the commands commit to: with H2 that doubled the cost of a command. After a small batch
     * (fewer events than some thirty commands store) the processor waits a little (default 50 ms), so the next batch
     * carries the events of the commands stored meanwhile: the views lag by that much more (the bound is a
     * second), the commands commit alone. At 5 ms the views thread still took a sixth of the ingest's CPU, most of
     * it in its commits; 50 ms cut that by a third (bench, N = 100,000). Not while somebody waits for the views in
     * this JVM ({@link ViewsProgress}): a replay waits after every step, and would wait for the pause too.
     */
    private void coalesce(ViewBatch batch) {
        if (coalesceMillis <= 0 || batch.events() >= SMALL_BATCH) {
            return;
        }
        try {
            progress.pause(coalesceMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the processor is shutting down: let it see the interrupt
        }
    }

    /**
     * This transaction's rows. Flushed in prepare-commit (inside the transaction, with the token); on rollback the
     * cursors of its systems may be ahead of the tables, so they are dropped.
     */
    private ViewBatch batch() {
        if (!CurrentUnitOfWork.isStarted()) {
            throw new IllegalStateException("the views projection runs inside an event processor's unit of work");
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(BATCH_RESOURCE, key -> {
            ViewBatch batch = new ViewBatch();
            root.onPrepareCommit(u -> writer.flush(batch, folder::openVersions));
            root.afterCommit(u -> {
                progress.committed();
                coalesce(batch);
            });
            root.onRollback(u -> folder.rolledBack(batch));
            return batch;
        });
    }
}
