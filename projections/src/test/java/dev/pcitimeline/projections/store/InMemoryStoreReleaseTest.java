package dev.pcitimeline.projections.store;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A closed context's in-memory store is gone, not kept alive by DB_CLOSE_DELAY=-1 until the JVM exits. */
class InMemoryStoreReleaseTest {

    @Test
    void closingTheContextDropsTheInMemoryDatabase() throws SQLException {
        String existingOnly;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StoreTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties("pcitimeline.db=mem")
                .run()) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            assertThat(url).startsWith(StoreEnvironmentPostProcessor.IN_MEMORY_URL_PREFIX);
            // IFEXISTS: connect to the database if it is there, never create an empty one.
            existingOnly = url.substring(0, url.indexOf(';')) + ";IFEXISTS=TRUE";
            try (Connection connection = DriverManager.getConnection(existingOnly, "sa", "")) {
                assertThat(connection.getMetaData().getTables(null, null, "DOMAINEVENTENTRY", null).next()).isTrue();
            }
        }

        assertThatThrownBy(() -> DriverManager.getConnection(existingOnly, "sa", "").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("not found");
    }
}
