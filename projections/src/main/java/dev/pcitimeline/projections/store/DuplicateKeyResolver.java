package dev.pcitimeline.projections.store;

import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Axon's {@link JdbcSQLErrorCodesResolver}, extended so that a duplicate (aggregate, sequence number) in a
 * <em>batch</em> insert is recognised too.
 *
 * <p>The engine appends events with {@code executeBatch()}. H2 2.x (and PostgreSQL) report a failed batch as a
 * {@link java.sql.BatchUpdateException} without a cause; the unique violation is only reachable through
 * {@link SQLException#getNextException()}. Axon's resolver follows causes only, so a concurrent append would
 * surface as a plain {@code EventStoreException} instead of a {@code ConcurrencyException}. Here we also follow
 * the next-exception chain and look for SQLState {@code 23505} (unique violation, the same code in H2 and
 * PostgreSQL).
 */
public class DuplicateKeyResolver extends JdbcSQLErrorCodesResolver {

    /** SQL:2008 SQLSTATE for "unique violation". */
    static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        return super.isDuplicateKeyViolation(exception)
                || containsUniqueViolation(exception, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean containsUniqueViolation(Throwable throwable, Set<Throwable> seen) {
        // Cause and next-exception chains can share links; the identity set keeps the walk finite.
        if (throwable == null || !seen.add(throwable)) {
            return false;
        }
        if (throwable instanceof SQLException sql) {
            if (UNIQUE_VIOLATION.equals(sql.getSQLState())
                    || sql instanceof java.sql.SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (containsUniqueViolation(sql.getNextException(), seen)) {
                return true;
            }
        }
        return containsUniqueViolation(throwable.getCause(), seen);
    }
}
