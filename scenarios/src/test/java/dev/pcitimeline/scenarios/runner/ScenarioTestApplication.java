package dev.pcitimeline.scenarios.runner;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The command side, event store and projections, as the application wires them (auto-configuration), with the
 * {@link ScenarioRunner} of {@link ScenarioRunnerAutoConfiguration}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ScenarioTestApplication {
}
