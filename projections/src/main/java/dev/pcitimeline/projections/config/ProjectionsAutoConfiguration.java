package dev.pcitimeline.projections.config;

import dev.pcitimeline.domain.aggregate.PciSegment;
import dev.pcitimeline.projections.audit.AuditQueries;
import dev.pcitimeline.projections.diff.DiffQueries;
import dev.pcitimeline.projections.versions.VersionsQueries;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.store.CommitSignallingEventStore;
import dev.pcitimeline.projections.store.EventCommits;
import dev.pcitimeline.projections.store.EventStoreConfiguration;
import dev.pcitimeline.projections.views.Checkpoints;
import dev.pcitimeline.projections.views.EventHistory;
import dev.pcitimeline.projections.views.Views;
import dev.pcitimeline.projections.views.ViewsProgress;
import dev.pcitimeline.projections.views.ViewProjection;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.common.AxonConfigurationException;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The command side's aggregate and the "views" projection, for anything with projections on its
 * classpath (the domain module stays free of Spring):
 * <ul>
 *   <li>{@link PciSegment} as an event-sourced aggregate with a snapshot every
 *       {@value #SNAPSHOT_EVERY} events unless {@value #SNAPSHOT_EVERY_PROPERTY} says otherwise (taken on a thread of
 *       its own) and a weak-reference aggregate cache;</li>
 *   <li>the "views" tracking processor (one thread, batches of up to {@value #VIEWS_BATCH} events, a segment's
 *       events in order, a wait for events that looks at the store after this JVM's commits and ends when the
 *       processor stops: {@link ViewsEventSource}),
 *       its {@link ViewProjection} and the {@link StateQueries} over its tables;</li>
 *   <li>the {@link AuditQueries}, {@link DiffQueries} and {@link VersionsQueries} built on them.</li>
 * </ul>
 * Beans defined by the application (e.g. found by a component scan) win over these.
 */
@AutoConfiguration(after = EventStoreConfiguration.class)
public class ProjectionsAutoConfiguration {
    /**
     * Events between two snapshots of a PciSegment, unless {@value #SNAPSHOT_EVERY_PROPERTY} says otherwise. A
     * snapshot only serves a load that misses the aggregate cache (a restart, a collected weak reference): it then
     * saves reading and deserializing up to this many events. Each one costs the snapshot thread a reload and a
     * serialization of the whole machine, plus a durable commit of a large row that competes with the commands'.
     * At 100 the snapshot thread used 2.3-3.1 s of CPU in a 100,000-event ingest, at 1,000 1.1 s, and the ingest
     * went from 4,895 to 5,438 and 5,334 events/s (bench, alternating runs); a load that misses the cache reads at
     * most 1,000 events (~10 ms), once per system after a restart.
     */
    public static final int SNAPSHOT_EVERY = 1000;
    public static final String SNAPSHOT_EVERY_PROPERTY = "pcitimeline.snapshot-every";

    /**
     * Most events the views processor handles in one transaction. A processor that keeps up gets a few at a time
     * whatever this is; one catching up (a backlog, Axon's own replay) commits and updates its token a tenth as
     * often as at 100.
     */
    public static final int VIEWS_BATCH = 1000;

    @Bean
    public ConfigurerModule pciSegmentAggregate(SnapshotExecutor snapshotExecutor,
                                                @Value("${" + SNAPSHOT_EVERY_PROPERTY + ":" + SNAPSHOT_EVERY + "}")
                                                int snapshotEvery) {
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException(SNAPSHOT_EVERY_PROPERTY + "=" + snapshotEvery + ": at least 1");
        }
        return configurer -> configurer.configureAggregate(
                AggregateConfigurer.defaultConfiguration(PciSegment.class)
                        .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(
                                pciSegmentSnapshotter(c, snapshotExecutor), snapshotEvery))
                        // Each command would otherwise reload the aggregate from its last snapshot and events.
                        .configureCache(c -> new WeakReferenceCache()));
    }

    /**
     * Our own snapshotter: Axon's Spring one only knows aggregates that are Spring beans, and
     * PciSegment is registered through the configurer.
     */
    private static AggregateSnapshotter pciSegmentSnapshotter(Configuration c, SnapshotExecutor executor) {
        return AggregateSnapshotter.builder()
                .executor(executor)
                .eventStore(c.eventStore())
                .aggregateFactories(new GenericAggregateFactory<>(PciSegment.class))
                .repositoryProvider(c::repository)
                .parameterResolverFactory(c.parameterResolverFactory())
                .handlerDefinition(c.handlerDefinition(PciSegment.class))
                .transactionManager(c.getComponent(TransactionManager.class, NoTransactionManager::instance))
                .build();
    }

    @Bean
    public ConfigurerModule viewsProcessor(@Value("${pcitimeline.views.batch-size:" + VIEWS_BATCH + "}") int batchSize,
                                           @Value("${pcitimeline.views.segments:1}") int segments) {
        // Several nodes on one database: N segments and N threads per node, so any node can hold
        // every segment and takes over a stopped node's segments once their claims time out.
        TrackingEventProcessorConfiguration tracking = segments <= 1
                ? TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                : TrackingEventProcessorConfiguration.forParallelProcessing(segments).andInitialSegmentsCount(segments);
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(ViewProjection.PROCESSING_GROUP, c -> new ViewsEventSource(
                        eventSource(c), running(c, ViewProjection.PROCESSING_GROUP), commits(c)))
                .registerTrackingEventProcessorConfiguration(ViewProjection.PROCESSING_GROUP,
                        c -> tracking.andBatchSize(batchSize))
                .registerSequencingPolicy(ViewProjection.PROCESSING_GROUP,
                        c -> SequentialPerAggregatePolicy.instance()));
    }

    /** The event store as a tracking processor's source, as Axon's own {@code registerTrackingEventProcessor(name)} takes it. */
    @SuppressWarnings("unchecked")
    private static StreamableMessageSource<TrackedEventMessage<?>> eventSource(Configuration c) {
        if (!(c.eventBus() instanceof StreamableMessageSource<?> source)) {
            throw new AxonConfigurationException("the event bus " + c.eventBus() + " cannot feed a tracking processor");
        }
        return (StreamableMessageSource<TrackedEventMessage<?>>) source;
    }

    /** The store's commits in this JVM when it counts them (null: the streams wait on their own). */
    private static EventCommits commits(Configuration c) {
        return c.eventBus() instanceof CommitSignallingEventStore store ? store.commits() : null;
    }

    /** Whether processor {@code name} runs, looked up once it exists (its streams are opened after it started). */
    private static BooleanSupplier running(Configuration c, String name) {
        AtomicReference<EventProcessor> processor = new AtomicReference<>();
        return () -> {
            EventProcessor p = processor.get();
            if (p == null) {
                p = c.eventProcessingConfiguration().eventProcessor(name).orElse(null);
                if (p == null) {
                    return false;
                }
                processor.set(p);
            }
            return p.isRunning();
        };
    }

    /**
     * Snapshots are taken off the command's thread, one at a time: Axon's snapshotter reloads the aggregate from
     * the store (its last snapshot and the events since) and serializes the whole machine, about a fifth of a
     * command's time when it ran inline. Depending on the DataSource, the executor is shut down (finishing what
     * was scheduled) before the database closes.
     */
    @Bean(destroyMethod = "close")
    public SnapshotExecutor pciSegmentSnapshotExecutor(DataSource dataSource) {
        return new SnapshotExecutor();
    }

    /** One daemon thread; closing it lets the snapshots already scheduled finish (up to 30 s). */
    public static final class SnapshotExecutor implements Executor, AutoCloseable {
        private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pci-segment-snapshots");
            t.setDaemon(true);
            return t;
        });

        @Override
        public void execute(Runnable task) {
            thread.execute(task);
        }

        @Override
        public void close() throws InterruptedException {
            thread.shutdown();
            thread.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    public EventHistory eventHistory(EventStore eventStore, JdbcTemplate jdbc,
                                     @Qualifier("eventSerializer") Serializer eventSerializer) {
        return new EventHistory(eventStore, jdbc, eventSerializer);
    }

    @Bean
    @ConditionalOnMissingBean
    public Checkpoints viewCheckpoints(JdbcTemplate jdbc, EventHistory history) {
        return new Checkpoints(jdbc, history);
    }

    @Bean
    @ConditionalOnMissingBean
    public ViewsProgress viewsProgress() {
        return new ViewsProgress();
    }

    @Bean
    @ConditionalOnMissingBean
    public Views views(JdbcTemplate jdbc, PlatformTransactionManager transactions, EventHistory history,
                       Checkpoints checkpoints, @Qualifier("eventSerializer") Serializer eventSerializer,
                       TokenStore tokens, ViewsProgress progress,
                       @Value("${pcitimeline.views.cursor-cache-size:64}") int cursorCacheSize,
                       @Value("${pcitimeline.views.checkpoint-interval:" + Checkpoints.DEFAULT_INTERVAL + "}")
                       int checkpointInterval,
                       @Value("${pcitimeline.views.segments:1}") int segments,
                       @Value("${pcitimeline.views.coalesce-ms:50}") long coalesceMillis) {
        return new Views(jdbc, transactions, history, checkpoints, eventSerializer, tokens, cursorCacheSize,
                checkpointInterval, segments, coalesceMillis, progress);
    }

    /**
     * The processor's handler. Created before the processors start, which is when a rebuild found pending (one
     * interrupted, or a store an older build made: the V5 migration asks for it) is done, so the processor starts
     * from where the rebuild left its tokens.
     */
    @Bean
    @ConditionalOnMissingBean
    public ViewProjection viewProjection(Views views) {
        views.rebuild().rebuildIfPending(events -> {
        });
        return views.projection();
    }

    @Bean
    @ConditionalOnMissingBean
    public StateQueries stateQueries(JdbcTemplate jdbc, EventHistory history, Checkpoints checkpoints,
                                     ViewsProgress progress) {
        return new StateQueries(jdbc, history, checkpoints, progress);
    }

    @Bean
    @ConditionalOnMissingBean
    public AuditQueries auditQueries(StateQueries queries, EventHistory history) {
        return new AuditQueries(queries, history);
    }

    @Bean
    @ConditionalOnMissingBean
    public DiffQueries diffQueries(StateQueries queries) {
        return new DiffQueries(queries);
    }

    @Bean
    @ConditionalOnMissingBean
    public VersionsQueries versionsQueries(StateQueries queries, EventHistory history) {
        return new VersionsQueries(queries, history);
    }
}
