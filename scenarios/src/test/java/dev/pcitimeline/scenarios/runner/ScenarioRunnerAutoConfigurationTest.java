package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.projections.query.StateQueries;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** A user's Spring context gets a ScenarioRunner with nothing to write, and keeps its own when it has one. */
class ScenarioRunnerAutoConfigurationTest {
    /** As a Spring Boot application converts "60s" to a Duration. */
    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withInitializer(context -> context.getBeanFactory()
                    .setConversionService(ApplicationConversionService.getSharedInstance()))
            .withConfiguration(AutoConfigurations.of(ScenarioRunnerAutoConfiguration.class))
            .withBean(CommandGateway.class, () -> mock(CommandGateway.class))
            .withBean(StateQueries.class, () -> mock(StateQueries.class));

    @Test
    void a_runner_is_configured_when_the_context_has_none() {
        contexts.run(context -> assertThat(context).hasSingleBean(ScenarioRunner.class));
    }

    @Test
    void the_applications_own_runner_wins() {
        ScenarioRunner own = new ScenarioRunner(mock(CommandGateway.class), mock(StateQueries.class), Duration.ofSeconds(1));
        contexts.withBean("ownRunner", ScenarioRunner.class, () -> own)
                .run(context -> assertThat(context.getBean(ScenarioRunner.class)).isSameAs(own));
    }
}
