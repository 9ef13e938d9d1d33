package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.domain.command.CreateSystem;
import dev.pcitimeline.domain.command.RunStep;
import dev.pcitimeline.domain.command.StepResult;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.query.StateDocument.ExpectationEntry;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.scenarios.format.Expectation;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioStep;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Replays a scenario through the real command side: validates it in memory (nothing is stored
 * for an invalid file), creates a system, sends one command per step through the gateway, waits
 * until the projections reach each step's last event and evaluates its {@code expect} blocks
 * against the projected views.
 */
public final class ScenarioRunner {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CommandGateway gateway;
    private final StateQueries queries;
    private final Duration timeout;

    /** {@code timeout}: how long to wait for the projections to reach one step's events. */
    public ScenarioRunner(CommandGateway gateway, StateQueries queries, Duration timeout) {
        this.gateway = gateway;
        this.queries = queries;
        this.timeout = timeout;
    }

    /**
     * @throws dev.pcitimeline.scenarios.format.ScenarioException the scenario breaks a rule (nothing stored)
     * @throws IllegalStateException the projections did not reach a step's events in time
     */
    public ReplayResult replay(Scenario scenario, ReplayOptions options) {
        ScenarioValidator.validate(scenario);
        String system = create(scenario);
        List<ExpectationEntry> results = new ArrayList<>();
        long events = 1;
        await(system, events);
        for (Expectation e : scenario.initialExpectations()) {
            results.addAll(ExpectationChecker.check(-1, e, queries.state(system, (int) events, null, e.policy())));
        }
        for (ScenarioStep step : scenario.steps()) {
            StepResult result = gateway.sendAndWait(new RunStep(system, step.step()));
            events = result.events();
            await(system, events);
            for (Expectation e : step.expectations()) {
                results.addAll(ExpectationChecker.check(step.index(), e,
                        queries.state(system, (int) events, null, e.policy())));
            }
        }
        StateDocument state = queries.state(system, options.atEvent(), options.atStep(), options.policy());
        return new ReplayResult(scenario, system, state.withExpectations(results));
    }

    /** A new system named after the scenario with a random suffix, retrying on the rare clash. */
    private String create(Scenario scenario) {
        for (int attempt = 0; ; attempt++) {
            String system = scenario.name() + "-" + HexFormat.of().toHexDigits((short) RANDOM.nextInt());
            try {
                gateway.sendAndWait(new CreateSystem(system, scenario.name(), scenario.description(),
                        scenario.policy(), scenario.segment(),
                        scenario.topology()));
                return system;
            } catch (AggregateStreamCreationException clash) {
                if (attempt >= 5) {
                    throw clash;
                }
            }
        }
    }

    private void await(String system, long event) {
        if (!queries.awaitProcessed(system, event, timeout)) {
            throw new IllegalStateException("the views of " + system + " did not reach event " + event + " within "
                    + timeout.toSeconds() + " s (processed: " + queries.eventsProcessed(system) + ")");
        }
    }
}
