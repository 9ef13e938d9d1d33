package dev.pcitimeline.projections.store;

import dev.pcitimeline.domain.command.CreateSystem;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.Seed;
import dev.pcitimeline.projections.it.TestApplication;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events a command stores carry no correlation metadata (EventStoreConfiguration#noCorrelationData): Axon's
 * MessageOriginProvider would add the command's message and trace ids to each.
 */
@SpringBootTest(classes = TestApplication.class, properties = "pcitimeline.db=mem")
class NoCorrelationMetadataTest {
    @Autowired
    CommandGateway gateway;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer serializer;
    @Autowired
    ApplicationContext context;

    @Test
    void storedEventsHaveEmptyMetadata() {
        assertThat(context.getBeanNamesForType(CorrelationDataProvider.class)).containsExactly("noCorrelationData");

        gateway.sendAndWait(new CreateSystem("no-metadata", "seed", "the seed topology", Policy.XEN_4_4, 0,
                Seed.topology()));

        List<byte[]> stored = jdbc.queryForList("SELECT metaData FROM DomainEventEntry WHERE aggregateIdentifier = ?",
                byte[].class, "no-metadata");
        assertThat(stored).isNotEmpty();
        for (byte[] bytes : stored) {
            MetaData metaData = serializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class,
                    MetaData.class.getName(), null));
            assertThat(metaData).isEmpty();
        }
    }
}
