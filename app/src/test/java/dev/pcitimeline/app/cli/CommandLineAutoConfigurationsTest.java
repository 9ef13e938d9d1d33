package dev.pcitimeline.app.cli;

import dev.pcitimeline.scenarios.runner.ScenarioRunner;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a command-line context leaves out, and that every other context keeps everything (serve's:
 * {@code ApiDocsAndActuatorTest}).
 */
class CommandLineAutoConfigurationsTest {
    private static final String[] CANDIDATES = {
            "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
            "org.springdoc.core.configuration.SpringDocConfiguration",
            "org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration",
            "org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration",
            "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration",
            "org.axonframework.springboot.autoconfig.MicrometerMetricsAutoConfiguration",
            null, // left out by a filter before
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
            "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
            "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",
            "org.axonframework.springboot.autoconfig.AxonAutoConfiguration",
            "dev.pcitimeline.projections.config.ProjectionsAutoConfiguration"};

    private static boolean[] match(MockEnvironment environment) {
        CommandLineAutoConfigurations filter = new CommandLineAutoConfigurations();
        filter.setEnvironment(environment);
        return filter.match(CANDIDATES, null);
    }

    @Test
    void a_command_line_context_leaves_out_what_only_the_service_uses() {
        boolean[] match = match(new MockEnvironment().withProperty(CommandLineAutoConfigurations.PROPERTY, "true"));
        assertThat(match).containsExactly(false, false, false, false, false, false, true, true, true, true, true, true);
    }

    @Test
    void a_command_line_context_has_the_engine_and_none_of_the_services_beans() {
        try (ConfigurableApplicationContext context = Cli.startInMemory()) {
            assertThat(context.getBeanProvider(ScenarioRunner.class).getIfAvailable()).isNotNull();
            assertThat(context.getBeanProvider(MeterRegistry.class).getIfAvailable()).isNull();
            assertThat(context.getBeanProvider(HealthEndpoint.class).getIfAvailable()).isNull();
            assertThat(context.getBeanNamesForAnnotation(RestController.class)).isEmpty();
        }
    }

    @Test
    void any_other_context_keeps_them_all() {
        assertThat(match(new MockEnvironment())).containsOnly(true);
        assertThat(match(new MockEnvironment().withProperty(CommandLineAutoConfigurations.PROPERTY, "false")))
                .containsOnly(true);
    }
}
