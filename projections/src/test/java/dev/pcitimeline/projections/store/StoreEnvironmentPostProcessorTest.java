package dev.pcitimeline.projections.store;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
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
                .isEqualTo("jdbc:h2:file:" + expected + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE");
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
