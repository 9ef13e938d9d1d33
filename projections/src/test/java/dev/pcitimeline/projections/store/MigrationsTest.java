package dev.pcitimeline.projections.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-vendor migration folders: the same versions for H2 and PostgreSQL, and H2's scripts exactly as the file
 * stores already made by earlier builds recorded them (Flyway refuses to open a store whose applied scripts changed).
 */
class MigrationsTest {

    private final PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();

    @Test
    void everyVersionExistsForBothDatabases() throws IOException {
        // A new migration added for one database only would leave the other's schema behind without an error.
        assertThat(scripts("postgresql")).isNotEmpty().isEqualTo(scripts("h2"));
    }

    @Test
    void noScriptOutsideTheVendorFolders() throws IOException {
        // Flyway reads only db/migration/{vendor}: a script directly in db/migration would silently never run. The
        // sources, not target/classes, which may still hold the scripts from before they moved into h2/.
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("h2", "postgresql");
        }
    }

    @Test
    void theH2ScriptsKeepTheChecksumsExistingStoresRecorded() {
        Flyway flyway = Flyway.configure()
                .dataSource("jdbc:h2:mem:migrations-" + UUID.randomUUID(), "sa", "")
                .locations("classpath:db/migration/h2")
                .load();

        Map<String, Integer> checksums = new LinkedHashMap<>();
        for (MigrationInfo info : flyway.info().all()) {
            checksums.put(info.getScript(), info.getChecksum());
        }

        // Recorded in flyway_schema_history by the stores of the builds before the folders were split. Later
        // versions are new scripts: only these two must never change.
        assertThat(checksums)
                .containsEntry("V1__axon_event_store.sql", -554413732)
                .containsEntry("V2__views.sql", 356838206);
    }

    @Test
    void v5AsksForARebuildOfTheViewsOfAStoreWithEvents() throws java.sql.SQLException {
        // A store an older build made has view rows V5 drops or no longer writes: its first start must rebuild them.
        // A new store has no events and nothing to rebuild.
        assertThat(pendingAfterV5(true)).isEqualTo(1);
        assertThat(pendingAfterV5(false)).isZero();
    }

    @Test
    void v6KeepsTheEventIndexGoingWithoutACommitEveryFourthCommand() throws java.sql.SQLException {
        // H2 commits the sequence's margin each time its cache runs out: 32 values by default, 1024 after V6.
        String url = "jdbc:h2:mem:migrations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/h2").target("5").load()
                .migrate();
        assertThat(eventIndexCache(url)).isEqualTo(32);
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/h2").load().migrate();
        assertThat(eventIndexCache(url)).isEqualTo(1024);
    }

    private static long eventIndexCache(String url) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT IDENTITY_CACHE FROM"
                     + " INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'DOMAINEVENTENTRY' AND COLUMN_NAME = 'GLOBALINDEX'")) {
            assertThat(rs.next()).as("DomainEventEntry.globalIndex").isTrue();
            return rs.getLong(1);
        }
    }

    /** Rows of view_reset_pending after migrating a store to V4, with one event or none, then to the latest. */
    private static int pendingAfterV5(boolean withAnEvent) throws java.sql.SQLException {
        String url = "jdbc:h2:mem:migrations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/h2").target("4").load()
                .migrate();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "")) {
            if (withAnEvent) {
                c.createStatement().execute("INSERT INTO DomainEventEntry (eventIdentifier, aggregateIdentifier,"
                        + " sequenceNumber, type, timeStamp, payloadType, payload) VALUES ('e1', 's1', 0, 'PciSegment',"
                        + " '2026-12-06T00:00:00Z', 'SystemCreated', X'7B7D')");
            }
            Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/h2").load().migrate();
            try (java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM view_reset_pending")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private TreeSet<String> scripts(String vendor) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        Arrays.stream(resolver.getResources("classpath*:db/migration/" + vendor + "/*.sql"))
                .map(Resource::getFilename)
                .forEach(names::add);
        return names;
    }
}
