package dev.pcitimeline.projections.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Drops a {@code pcitimeline.db=mem} database when its application context closes.
 *
 * <p>{@code DB_CLOSE_DELAY=-1} keeps an in-memory H2 database alive while the pool has no connections, but also
 * until the JVM exits; without this, every closed test context would leave its events in memory. Destruction runs
 * after Axon's processors were stopped (lifecycle stop precedes bean destruction) and, because this bean depends on
 * the {@link DataSource}, before the pool is closed.
 */
class InMemoryStoreReleaser implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InMemoryStoreReleaser.class);

    private final DataSource dataSource;
    private final String url;

    InMemoryStoreReleaser(DataSource dataSource, String url) {
        this.dataSource = dataSource;
        this.url = url;
    }

    @Override
    public void destroy() {
        // Only databases we named ourselves: a user-supplied in-memory URL may be shared with someone else.
        if (url == null || !url.startsWith(StoreEnvironmentPostProcessor.IN_MEMORY_URL_PREFIX)) {
            return;
        }
        Connection connection = null;
        Statement statement = null;
        try {
            connection = dataSource.getConnection();
            statement = connection.createStatement();
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            log.warn("Could not drop the in-memory event store {}: {}", url, e.getMessage());
        } finally {
            // After SHUTDOWN the connection is dead: the pool's close (rollback, reset) fails and evicts it.
            closeQuietly(statement);
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("Ignoring close failure after SHUTDOWN: {}", e.getMessage());
        }
    }
}
