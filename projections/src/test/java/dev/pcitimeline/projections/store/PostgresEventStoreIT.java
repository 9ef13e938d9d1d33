package dev.pcitimeline.projections.store;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every test of {@link EventStoreTest} (append and read back, JSON and UTC text timestamps, a duplicate sequence
 * number as {@code ConcurrencyException}, the token store, tokens at a time, snapshots) on PostgreSQL, plus what is
 * PostgreSQL's own: the driver, the migrations of db/migration/postgresql, BYTEA columns, the identity sequence.
 */
@SpringBootTest(classes = {StoreTestApplication.class, PostgresTestDatabase.FreshSchema.class}, properties = {
        PostgresTestDatabase.DB_FROM_SYSTEM_PROPERTY,
        "spring.datasource.hikari.schema=it_event_store",
        "spring.flyway.default-schema=it_event_store"})
class PostgresEventStoreIT extends EventStoreTest {

    @Autowired
    private ApplicationContext context;
    @Autowired
    private Environment environment;
    @Autowired
    private JdbcTemplate jdbc;

    @Override
    @Test
    void wiresAxonJdbcWithJacksonOnAPrivateInMemoryDatabase() {
        assertThat(context.getBean(EventStorageEngine.class)).isInstanceOf(JdbcEventStorageEngine.class);
        assertThat(context.getBean(TokenStore.class)).isInstanceOf(JdbcTokenStore.class);
        assertThat(context.getBean(PersistenceExceptionResolver.class)).isInstanceOf(DuplicateKeyResolver.class);
        assertThat(environment.getProperty("spring.datasource.url")).startsWith("jdbc:postgresql:");
        assertThat(jdbc.queryForObject("SELECT version()", String.class)).startsWith("PostgreSQL");
        assertThat(jdbc.queryForObject("SHOW TimeZone", String.class)).isIn("UTC", "Etc/UTC");
        assertThat(jdbc.queryForObject("SELECT current_schema()", String.class)).isEqualTo("it_event_store");
    }

    @Test
    void migratesWithThePostgresScripts() {
        Flyway flyway = context.getBean(Flyway.class);
        // Versioned ones only: Flyway also records that it created the schema.
        assertThat(Arrays.stream(flyway.info().applied()).filter(m -> m.getVersion() != null))
                .extracting(m -> m.getVersion().getVersion(), m -> m.getDescription())
                .startsWith(org.assertj.core.groups.Tuple.tuple("1", "axon event store"),
                        org.assertj.core.groups.Tuple.tuple("2", "views"));
        // Axon's advice for PostgreSQL: inline BYTEA, never OID large objects; text timestamps.
        assertThat(columnTypes("domainevententry"))
                .contains("globalindex bigint", "payload bytea", "metadata bytea", "timestamp character varying");
        assertThat(columnTypes("snapshotevententry")).contains("payload bytea", "metadata bytea");
        assertThat(columnTypes("tokenentry")).contains("token bytea", "timestamp character varying");
        assertThat(columnTypes("view_checkpoints")).contains("state bytea", "step_list bytea", "finding_runs bytea");
        assertThat(columnTypes("view_systems")).contains("created_at timestamp with time zone");
        // globalIndex from the column's own identity sequence, one value at a time.
        assertThat(jdbc.queryForObject("SELECT is_identity || ' ' || identity_generation FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = 'domainevententry'"
                + " AND column_name = 'globalindex'", String.class)).isEqualTo("YES BY DEFAULT");
        assertThat(jdbc.queryForObject("SELECT s.seqcache FROM pg_sequence s"
                + " WHERE s.seqrelid = pg_get_serial_sequence(current_schema() || '.domainevententry', 'globalindex')"
                + "::regclass", Long.class)).isEqualTo(1L);
    }

    private List<String> columnTypes(String table) {
        return jdbc.queryForList("SELECT column_name || ' ' || data_type FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ?", String.class, table);
    }
}
