package dev.pcitimeline.projections.store;

import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The event store, between Axon's JDBC autoconfiguration (whose storage engine backs off from any event store already
 * defined) and Axon's own (whose event store backs off from this one).
 */
@AutoConfiguration(after = JdbcAutoConfiguration.class, before = AxonAutoConfiguration.class)
public class EmbeddedEventStoreConfiguration {

    /**
     * Axon's embedded event store as its autoconfiguration builds it (which backs off from this bean), except that each
     * tracking processor reads the event table on its own thread, when it wants events, rather than tailing a cache
     * that Axon's producer thread fills by reading the table after every commit of this JVM. The views processor takes
     * its events every 50 ms while commands arrive (see ViewProjection), so the producer's reads, one a command, were
     * wasted: 1.0-1.1 s of CPU during the bench's 10 s ingest of 100,000 events, on the cores the command thread shares
     * with the views and the compilers (ingest 10,100-12,300 events/s in four runs with it, 12,700-15,900 in three
     * without, on one day). A processor's stream learns of this JVM's commits from
     * {@link CommitSignallingEventStore#commits()} and looks for other nodes' events once a second, as Axon's producer
     * did (its fetch delay).
     */
    @Bean
    @ConditionalOnMissingBean(EventStore.class)
    @ConditionalOnBean(EventStorageEngine.class)
    public EmbeddedEventStore eventStore(EventStorageEngine storageEngine, Configuration configuration) {
        return new CommitSignallingEventStore(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .optimizeEventConsumption(false));
    }
}
