package dev.pcitimeline.projections.store;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StoreEnvironmentPostProcessorTest {

    private final StoreEnvironmentPostProcessor postProcessor = new StoreEnvironmentPostProcessor();

    @Test
    void defaultsToAFileDatabaseInDataUnderTheWorkingDirectory() {
        MockEnvironment environment = new MockEnvironment();

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        String expected = Path.of("data").toAbsolutePath().resolve("pci-timeline").toString().replace('\\', '/');
        assertThat(environment.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:h2:file:" + expected + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("sa");
    }

    @Test
    void aRelativeDirectoryBecomesAbsolute() {
        MockEnvironment environment = new MockEnvironment().withProperty("pcitimeline.db", "var/../store");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        String expected = Path.of("store").toAbsolutePath().resolve("pci-timeline").toString().replace('\\', '/');
        assertThat(environment.getProperty("spring.datasource.url")).startsWith("jdbc:h2:file:" + expected + ";");
    }

    @Test
    void memGivesEachContextItsOwnDatabase() {
        MockEnvironment one = new MockEnvironment().withProperty("pcitimeline.db", "mem");
        MockEnvironment two = new MockEnvironment().withProperty("pcitimeline.db", "mem");

        postProcessor.postProcessEnvironment(one, new SpringApplication());
        postProcessor.postProcessEnvironment(two, new SpringApplication());

        assertThat(one.getProperty("spring.datasource.url"))
                .matches("jdbc:h2:mem:pcitimeline-[0-9a-f-]{36};DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE")
                .isNotEqualTo(two.getProperty("spring.datasource.url"));
    }

    @Test
    void anExplicitDataSourceUrlWins() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("pcitimeline.db", "mem")
                .withProperty("spring.datasource.url", "jdbc:h2:mem:mine");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:h2:mem:mine");
        assertThat(environment.getProperty("spring.datasource.username")).isNull();
    }

    @Test
    void aPostgresUrlSelectsPostgresWithItsCredentials() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("pcitimeline.db", "postgresql://timeline:s3cr%40t@db.example:5433/pci?sslmode=require");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:postgresql://db.example:5433/pci?sslmode=require");
        assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("timeline");
        assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("s3cr@t");
        assertThat(environment.getProperty("spring.datasource.driver-class-name")).isEqualTo("org.postgresql.Driver");
        assertThat(environment.getProperty("spring.datasource.hikari.connection-init-sql"))
                .isEqualTo("SET TIME ZONE 'UTC'");
        assertThat(environment.getProperty("spring.flyway.locations")).isEqualTo("classpath:db/migration/{vendor}");
    }

    @Test
    void credentialsInTheUrlWinOverDbUserAndPassword() {
        MockEnvironment withUrlCredentials = new MockEnvironment()
                .withProperty("pcitimeline.db", "postgres://alice:a@localhost/pci")
                .withProperty("pcitimeline.db-user", "bob")
                .withProperty("pcitimeline.db-password", "b");
        MockEnvironment without = new MockEnvironment()
                .withProperty("pcitimeline.db", "postgres://localhost/pci")
                .withProperty("pcitimeline.db-user", "bob")
                .withProperty("pcitimeline.db-password", "b");

        postProcessor.postProcessEnvironment(withUrlCredentials, new SpringApplication());
        postProcessor.postProcessEnvironment(without, new SpringApplication());

        assertThat(withUrlCredentials.getProperty("spring.datasource.username")).isEqualTo("alice");
        assertThat(withUrlCredentials.getProperty("spring.datasource.password")).isEqualTo("a");
        assertThat(without.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://localhost/pci");
        assertThat(without.getProperty("spring.datasource.username")).isEqualTo("bob");
        assertThat(without.getProperty("spring.datasource.password")).isEqualTo("b");
    }

    @Test
    void explicitDataSourceCredentialsWinOverTheUrls() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("pcitimeline.db", "postgresql://alice:a@localhost/pci")
                .withProperty("spring.datasource.username", "carol");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("carol");
    }

    @Test
    void aJdbcPostgresUrlIsUsedAsItIs() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("pcitimeline.db", "jdbc:postgresql://h1:5432,h2:5432/pci?user=u&password=p");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:postgresql://h1:5432,h2:5432/pci?user=u&password=p");
        assertThat(environment.getProperty("spring.datasource.username")).isNull();
        assertThat(environment.getProperty("spring.datasource.driver-class-name")).isEqualTo("org.postgresql.Driver");
    }

    @Test
    void anExplicitPostgresDataSourceUrlStillRunsInUtc() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://localhost/pci");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.hikari.connection-init-sql"))
                .isEqualTo("SET TIME ZONE 'UTC'");
        assertThat(environment.getProperty("spring.datasource.username")).isNull();
    }

    @Test
    void theH2StoresGetNoPostgresSettings() {
        MockEnvironment environment = new MockEnvironment().withProperty("pcitimeline.db", "mem");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.driver-class-name")).isNull();
        assertThat(environment.getProperty("spring.datasource.hikari.connection-init-sql")).isNull();
    }

    @Test
    void thePostgresProfileReadsTheDatabaseFromTheEnvironment() {
        // The profile's file as Boot loads it, with a command-line value standing in for the environment variables.
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Nothing.class)
                .web(WebApplicationType.NONE)
                .profiles("postgres")
                .run("--PCITIMELINE_DB_URL=postgres://db.example/pci", "--PCITIMELINE_DB_PASSWORD=pw",
                        "--spring.main.banner-mode=off")) {
            ConfigurableEnvironment environment = context.getEnvironment();
            assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db.example/pci");
            assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("pcitimeline");
            assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("pw");
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Nothing.class)
                .web(WebApplicationType.NONE)
                .profiles("postgres")
                .run("--spring.main.banner-mode=off")) {
            assertThat(context.getEnvironment().getProperty("spring.datasource.url"))
                    .isEqualTo("jdbc:postgresql://localhost:5432/pcitimeline");
        }
    }

    /** No beans, no autoconfiguration: only the environment is of interest. */
    @Configuration(proxyBeanMethods = false)
    static class Nothing {
    }

    @Test
    void storeDefaultsHaveTheLowestPrecedence() {
        MockEnvironment environment = new MockEnvironment().withProperty("axon.serializer.general", "xstream");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("axon.serializer.general")).isEqualTo("xstream");
        assertThat(environment.getProperty("axon.serializer.events")).isEqualTo("jackson");
        assertThat(environment.getProperty("axon.update-check.disabled")).isEqualTo("true");
        assertThat(environment.getProperty("pcitimeline.processors.batch-size")).isEqualTo("100");
        assertThat(environment.getPropertySources().stream().reduce((first, second) -> second).orElseThrow()
                           .getName()).isEqualTo(StoreEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
    }
}
