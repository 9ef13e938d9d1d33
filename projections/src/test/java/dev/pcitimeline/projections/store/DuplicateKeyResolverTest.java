package dev.pcitimeline.projections.store;

import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicateKeyResolverTest {

    private final DuplicateKeyResolver resolver = new DuplicateKeyResolver();

    @Test
    void findsAUniqueViolationBehindABatchFailure() {
        // How H2 2.x and PostgreSQL report a failed executeBatch(): no cause, the real error as "next exception".
        BatchUpdateException batch = new BatchUpdateException("batch failed", new int[0]);
        batch.setNextException(new SQLException("duplicate key", "23505"));

        assertThat(resolver.isDuplicateKeyViolation(batch)).isTrue();
        assertThat(resolver.isDuplicateKeyViolation(new RuntimeException(batch))).isTrue();
    }

    @Test
    void keepsAxonsCauseBasedDetection() {
        assertThat(resolver.isDuplicateKeyViolation(
                new RuntimeException(new SQLIntegrityConstraintViolationException("dup")))).isTrue();
    }

    @Test
    void otherFailuresAreNotConflicts() {
        BatchUpdateException batch = new BatchUpdateException("batch failed", new int[0]);
        batch.setNextException(new SQLException("table not found", "42S02"));

        assertThat(resolver.isDuplicateKeyViolation(batch)).isFalse();
        assertThat(resolver.isDuplicateKeyViolation(new SQLException("connection lost", "08006"))).isFalse();
    }
}
