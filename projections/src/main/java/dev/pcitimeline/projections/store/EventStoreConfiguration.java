package dev.pcitimeline.projections.store;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.serialization.ChainingConverter;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.axonframework.springboot.autoconfig.ObjectMapperAutoConfiguration;
import org.axonframework.springboot.autoconfig.XStreamAutoConfiguration;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import javax.sql.DataSource;
import java.util.Map;

/**
 * The event store and token store wiring: Axon's own JDBC autoconfiguration ({@link JdbcAutoConfiguration}) on
 * Boot's {@code DataSource}, with Spring-managed transactions, over the tables of
 * {@code db/migration/<h2|postgresql>/V1__axon_event_store.sql}; we only replace what has to differ:
 *
 * <ul>
 *   <li>the serializers: one {@link JacksonSerializer} for events, messages, snapshots and tokens (never XStream);</li>
 *   <li>the event store: Axon's embedded one with a private stream per tracking processor and its commits counted
 *       ({@link EmbeddedEventStoreConfiguration}, after Axon's JDBC storage engine exists);</li>
 *   <li>the {@link PersistenceExceptionResolver}: {@link DuplicateKeyResolver}, so a duplicate sequence number is a
 *       {@code ConcurrencyException} on H2 2.x too;</li>
 *   <li>event processors: tracking by default, with a larger batch;</li>
 *   <li>the token store: Axon's {@link JdbcTokenStore}, with {@code pcitimeline.node-id} as the owner it writes into
 *       the claims it holds.</li>
 * </ul>
 *
 * <p>An autoconfiguration (listed in {@code META-INF/spring/...AutoConfiguration.imports}) so that anything with
 * projections on its classpath gets it, and ordered before Axon's so that Axon's conditional beans back off.
 * Being an autoconfiguration also keeps it out of the application's component scan.
 */
@AutoConfiguration(before = {
        JdbcAutoConfiguration.class,
        AxonAutoConfiguration.class,
        ObjectMapperAutoConfiguration.class,
        XStreamAutoConfiguration.class
})
public class EventStoreConfiguration implements BeanClassLoaderAware {

    /** The owner this node writes into the token claims it holds; blank: Axon's default {@code pid@host}. */
    public static final String NODE_ID_PROPERTY = "pcitimeline.node-id";

    private ClassLoader beanClassLoader = EventStoreConfiguration.class.getClassLoader();

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.beanClassLoader = classLoader;
    }

    /**
     * Events are stored without correlation metadata. Axon's default provider (MessageOriginProvider, which backs off
     * from this bean) copies the command's message id and trace id into every event's metaData column: ~90 bytes a
     * row that nothing here reads, serialized by each command, and deserialized by every unit of work that handles
     * the event (12 % of the views processor's samples in the bench's ingest). Events stored before keep theirs.
     */
    @Bean
    @ConditionalOnMissingBean(CorrelationDataProvider.class)
    public CorrelationDataProvider noCorrelationData() {
        return message -> Map.of();
    }

    /**
     * The general serializer (snapshots, tokens, sagas). Also serves as the message and event serializer: one
     * JSON format for everything in the database. Deliberately unconditional: the stored format is a contract.
     */
    @Bean
    @Primary
    public Serializer serializer(RevisionResolver revisionResolver) {
        return JacksonSerializer.builder()
                .objectMapper(StoreObjectMapper.create())
                .revisionResolver(revisionResolver)
                // The Boot class loader, so payload types resolve inside a repackaged jar too.
                .converter(new ChainingConverter(beanClassLoader))
                .classLoader(beanClassLoader)
                .build();
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new DuplicateKeyResolver();
    }

    /**
     * Every processor without an explicit {@code axon.eventhandling.processors.<name>.*} setting tracks the event
     * store on one thread, {@code pcitimeline.processors.batch-size} events per transaction (tracking measured faster
     * than pooled streaming on this store; batching amortises the token update).
     */
    @Bean
    public ConfigurerModule trackingProcessorDefaults(
            @Value("${pcitimeline.processors.batch-size:100}") int batchSize) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .usingTrackingEventProcessors()
                .registerTrackingEventProcessorConfiguration(config -> TrackingEventProcessorConfiguration
                        .forSingleThreadedProcessing()
                        .andBatchSize(batchSize)));
    }

    /**
     * Axon's JDBC token store as its autoconfiguration builds it (claim timeout from
     * {@code axon.eventhandling.tokenstore.claim-timeout}, default 10s), plus the node id. Nodes sharing a
     * PostgreSQL database tell their claims apart by it: a node may take over any claim with its own id at once. Axon's
     * default, the JVM's {@code pid@host}, is unique per process on real machines but not between two contexts in one
     * JVM, nor between containers that have the same host name and both run as pid 1: set {@code pcitimeline.node-id}
     * there.
     */
    @Bean
    public TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer,
                                 TokenStoreProperties properties,
                                 @Value("${" + NODE_ID_PROPERTY + ":}") String nodeId) {
        JdbcTokenStore.Builder builder = JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .schema(new TokenSchema())
                .serializer(serializer)
                .claimTimeout(properties.getClaimTimeout());
        if (!nodeId.isBlank()) {
            builder.nodeId(nodeId.trim());
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnProperty(name = StoreEnvironmentPostProcessor.DB_PROPERTY,
            havingValue = StoreEnvironmentPostProcessor.IN_MEMORY)
    InMemoryStoreReleaser inMemoryStoreReleaser(DataSource dataSource,
                                                @Value("${spring.datasource.url:}") String url) {
        return new InMemoryStoreReleaser(dataSource, url);
    }
}
