package dev.pcitimeline.projections.views;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkpoint lookups a state read makes must not read every checkpoint of a system: on H2 that is what
 * {@code MAX(event_number)} with a bound, or {@code ORDER BY event_number} alone, did (0.5 ms at the 8,000 checkpoints of
 * a million events). H2 walks the index from the bound and stops only when the plan says "index sorted".
 */
class CheckpointQueriesTest {
    private static String url;

    @BeforeAll
    static void migrate() {
        url = "jdbc:h2:mem:checkpoint-queries-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/h2").load().migrate();
    }

    @Test
    void theCheckpointAtOrBeforeAnEventIsAnIndexWalk() throws SQLException {
        assertThat(plan(Checkpoints.AT_OR_BEFORE_SQL)).contains("index sorted");
    }

    @Test
    void theCheckpointAfterAnEventIsAnIndexWalk() throws SQLException {
        assertThat(plan(Checkpoints.AFTER_SQL)).contains("index sorted");
    }

    @Test
    void theFirstCheckpointReachingAStepCountIsAnIndexWalk() throws SQLException {
        assertThat(plan(Checkpoints.REACHING_STEPS_SQL)).contains("index sorted");
    }

    @Test
    void theLookupsFindTheNearestCheckpoints() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO view_checkpoints (system_id, event_number,"
                    + " steps, state, step_list, finding_runs) VALUES (?, ?, ?, X'00', X'00', X'00')")) {
                for (String system : new String[]{"a", "b"}) {
                    for (int i = 1; i <= 5; i++) {
                        insert.setString(1, system);
                        insert.setLong(2, i * 100L + (system.equals("b") ? 1 : 0));
                        insert.setInt(3, i * 10);
                        insert.executeUpdate();
                    }
                }
            }
            assertThat(first(c, Checkpoints.AT_OR_BEFORE_SQL, "a", 350)).isEqualTo(300);
            assertThat(first(c, Checkpoints.AT_OR_BEFORE_SQL, "a", 300)).isEqualTo(300);
            assertThat(first(c, Checkpoints.AT_OR_BEFORE_SQL, "b", 99)).isNull();
            assertThat(first(c, Checkpoints.AFTER_SQL, "a", 300)).isEqualTo(400);
            assertThat(first(c, Checkpoints.AFTER_SQL, "b", 501)).isNull();
            assertThat(first(c, Checkpoints.REACHING_STEPS_SQL, "a", 25)).isEqualTo(30);
            assertThat(first(c, Checkpoints.REACHING_STEPS_SQL, "a", 51)).isNull();
        }
    }

    private static String plan(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement explain = c.prepareStatement("EXPLAIN " + sql)) {
            explain.setString(1, "a");
            explain.setLong(2, 1000);
            try (ResultSet rs = explain.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static Long first(Connection c, String sql, String system, long bound) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, system);
            query.setLong(2, bound);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }
}
