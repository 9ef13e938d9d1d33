package dev.pcitimeline.app;

import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.scenarios.runner.ScenarioRunner;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/** The application's own beans on top of what projections auto-configures. */
@Configuration
public class AppConfiguration {

    /** {@code pcitimeline.replay.step-timeout}: how long a replay waits for the views to reach a step's events. */
    @Bean
    ScenarioRunner scenarioRunner(CommandGateway gateway, StateQueries queries,
                                  @Value("${pcitimeline.replay.step-timeout:60s}") Duration stepTimeout) {
        return new ScenarioRunner(gateway, queries, stepTimeout);
    }
}
