package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.projections.config.ProjectionsAutoConfiguration;
import dev.pcitimeline.projections.query.StateQueries;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import java.time.Duration;

/**
 * A {@link ScenarioRunner} for any Spring Boot context with scenarios on its classpath: the application's
 * {@code replay}, the embedded engine of {@link ScenarioTests}, and a user's {@code @SpringBootTest}, which then
 * only needs {@code @Autowired ScenarioRunner}. A runner the application defines itself wins.
 */
@AutoConfiguration(after = {ProjectionsAutoConfiguration.class, AxonAutoConfiguration.class})
public class ScenarioRunnerAutoConfiguration {

    /** {@code pcitimeline.replay.step-timeout}: how long a replay waits for the views to reach a step's events. */
    @Bean
    @ConditionalOnMissingBean
    public ScenarioRunner scenarioRunner(CommandGateway gateway, StateQueries queries,
                                         @Value("${pcitimeline.replay.step-timeout:60s}") Duration stepTimeout) {
        return new ScenarioRunner(gateway, queries, stepTimeout);
    }
}
