package dev.pcitimeline.projections.store;

import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;

import java.util.Set;

/**
 * Makes Axon's storage beans wait for Flyway. Processors only start after all singletons exist, but a bean that
 * reads or appends events while it is being created (through the event store) must find the tables there too;
 * Boot only knows about its own JDBC and JPA beans.
 */
class StoreDatabaseInitializationDetector extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

    @Override
    protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
        return Set.of(EventStorageEngine.class, TokenStore.class);
    }
}
