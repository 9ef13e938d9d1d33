package dev.pcitimeline.app.web;

import dev.pcitimeline.domain.command.RuleViolation;
import dev.pcitimeline.domain.command.RunStep;
import dev.pcitimeline.domain.command.StepResult;
import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.machine.StepRule;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.xen.XenTrace;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.query.SystemSummary;
import dev.pcitimeline.projections.query.UnknownSystemException;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import dev.pcitimeline.scenarios.format.ScenarioStep;
import dev.pcitimeline.scenarios.runner.ReplayOptions;
import dev.pcitimeline.scenarios.runner.ReplayResult;
import dev.pcitimeline.scenarios.runner.ScenarioRunner;
import dev.pcitimeline.scenarios.runner.ScenarioValidator;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.util.List;

/**
 * The write side of the service: a scenario body becomes a system with its steps run, a step body
 * becomes one command. Both check everything before anything is stored: the parser decides what
 * is malformed (400), the model what it refuses (422). After a write, the answer waits (bounded)
 * until the views have processed the new events, so a following GET sees them.
 */
@Service
@ConditionalOnWebApplication // the service's: a command-line context has no use for it
public class SystemService {
    private static final Logger log = LoggerFactory.getLogger(SystemService.class);

    private final ScenarioParser parser = new ScenarioParser();
    private final ScenarioRunner runner;
    private final CommandGateway gateway;
    private final StateQueries queries;
    private final EventStore eventStore;
    private final Duration viewsTimeout;

    public SystemService(ScenarioRunner runner, CommandGateway gateway, StateQueries queries, EventStore eventStore,
                         @Value("${pcitimeline.web.views-timeout:30s}") Duration viewsTimeout) {
        this.runner = runner;
        this.gateway = gateway;
        this.queries = queries;
        this.eventStore = eventStore;
        this.viewsTimeout = viewsTimeout;
    }

    /**
     * Creates a system from a scenario document and runs its steps, evaluating its {@code expect} blocks.
     *
     * @throws ScenarioException      the document is malformed or over a {@link RequestLimits} limit (400)
     * @throws ModelRefusedException  a step breaks a rule of the model at the moment it would run (422)
     */
    public CreatedSystem create(String document) {
        Scenario scenario = parser.parse(ScenarioParser.REQUEST, document);
        RequestLimits.check(scenario);
        try {
            ScenarioValidator.validate(scenario);
        } catch (ScenarioException refused) {
            throw new ModelRefusedException(refused);
        }
        ReplayResult result = runner.replay(scenario, ReplayOptions.DEFAULT);
        return new CreatedSystem(result.system(), result.state().event(), result.state().step(), scenario.name(),
                result.state().policy(), result.passed(), result.state().expectations());
    }

    /**
     * Runs one step (scenario syntax) on an existing system.
     *
     * @throws UnknownSystemException no such system (404)
     * @throws ScenarioException      the step is malformed (400)
     * @throws ModelRefusedException  the model refuses the step: unknown device, occupied slot… (422)
     */
    public StepResponse runStep(String system, String body) {
        SystemSummary summary = queries.system(system).orElseThrow(() -> new UnknownSystemException(system));
        ScenarioStep parsed = parser.parseStep(ScenarioParser.REQUEST, body, summary.segment());
        RequestLimits.check(parsed);
        Step step = parsed.step();
        StepResult result;
        try {
            result = gateway.sendAndWait(new RunStep(system, step));
        } catch (RuleViolation refused) {
            throw new ModelRefusedException(refusedField(system, step), refused.getMessage());
        }
        awaitViews(system, result.events());
        List<Long> events = result.producedEvents() ? List.of(result.firstEvent(), result.lastEvent()) : List.of();
        return new StepResponse(result.step(), result.outcome().text(), events, system, result.events());
    }

    /**
     * Which field of the step the model refused, by asking each rule against the machine as stored now
     * (the aggregate's message says what is wrong, not where). Only on this error path is the history read.
     */
    private String refusedField(String system, Step step) {
        try {
            Machine machine = machineNow(system);
            for (StepRule rule : StepRule.ALL) {
                if (rule.check(machine, step).isPresent()) {
                    String field = ScenarioValidator.field(rule, step, machine);
                    return field.isEmpty() ? step.keyword() : step.keyword() + "." + field;
                }
            }
        } catch (RuntimeException e) {
            log.debug("cannot tell which field of {} was refused on {}", step.keyword(), system, e);
        }
        return step.keyword();
    }

    /** The machine the aggregate has, rebuilt from the stored events alone (never a snapshot). */
    private Machine machineNow(String system) {
        DomainEventStream stream = eventStore.readEvents(system, 0L);
        Machine machine = null;
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            if (machine == null) {
                machine = Machine.created((SegmentEvent.SystemCreated) message.getPayload());
            } else {
                machine.apply((SegmentEvent) message.getPayload(), XenTrace.NONE);
            }
        }
        if (machine == null) {
            throw new UnknownSystemException(system);
        }
        return machine;
    }

    /**
     * Waits for the views to reach {@code event}. A timeout is logged, not answered as an error: the step is
     * stored and a retry would run it twice.
     */
    private void awaitViews(String system, long event) {
        if (!queries.awaitProcessed(system, event, viewsTimeout)) {
            log.warn("the views of {} did not reach event {} within {}; answering anyway", system, event, viewsTimeout);
        }
    }
}
