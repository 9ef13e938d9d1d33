package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.projections.query.StateQueries;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.time.Duration;

/** The command side, event store and projections, as the application wires them (auto-configuration). */
@SpringBootConfiguration
@EnableAutoConfiguration
class ScenarioTestApplication {

    @Bean
    ScenarioRunner scenarioRunner(CommandGateway gateway, StateQueries queries) {
        return new ScenarioRunner(gateway, queries, Duration.ofSeconds(30));
    }
}
