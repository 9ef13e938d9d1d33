package dev.pcitimeline.projections.store;

import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The PostgreSQL database of the Maven profile "postgres" ({@value #URL_PROPERTY}), shared by the *IT tests. Each
 * test class keeps its tables in a schema of its own, so classes (and their cached Spring contexts, whose processors
 * keep polling) never see each other's events.
 */
final class PostgresTestDatabase {

    static final String URL_PROPERTY = "pcitimeline.test.postgres.url";
    /** For {@code @SpringBootTest(properties = ...)}, which needs constants: resolved from the system property. */
    static final String DB_FROM_SYSTEM_PROPERTY = "pcitimeline.db=${" + URL_PROPERTY + "}";
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private PostgresTestDatabase() {
    }

    /** The test database's URL, in any form {@code pcitimeline.db} accepts. */
    static String url() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null || url.isBlank() || url.contains("${")) {
            throw new IllegalStateException("the PostgreSQL tests need -D" + URL_PROPERTY
                    + "=postgresql://user:pass@host:port/db (run them with mvn verify -Ppostgres, or .ci/run)");
        }
        return url;
    }

    /**
     * Properties that put a context's store into {@code schema} of the test database: the connections' search path
     * (Hikari sets it on each new connection) and Flyway's schema (which Flyway creates when missing).
     */
    static List<String> properties(String schema, String... more) {
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema " + schema);
        }
        List<String> properties = new ArrayList<>(List.of(
                "pcitimeline.db=" + url(),
                "spring.datasource.hikari.schema=" + schema,
                "spring.flyway.default-schema=" + schema));
        properties.addAll(List.of(more));
        return properties;
    }

    /**
     * Drops the context's schema before Flyway migrates it, so each run starts from an empty store. Only for the
     * first context on a schema: a second node must find the first one's tables.
     */
    @Configuration(proxyBeanMethods = false)
    static class FreshSchema {
        @Bean
        FlywayMigrationStrategy dropSchemaThenMigrate() {
            return flyway -> {
                String schema = flyway.getConfiguration().getDefaultSchema();
                if (schema == null || !SCHEMA_NAME.matcher(schema).matches()) {
                    throw new IllegalStateException("no test schema configured (spring.flyway.default-schema)");
                }
                dropSchema(flyway.getConfiguration().getDataSource(), schema);
                flyway.migrate();
            };
        }
    }

    static void dropSchema(DataSource dataSource, String schema) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test schema " + schema, e);
        }
    }
}
