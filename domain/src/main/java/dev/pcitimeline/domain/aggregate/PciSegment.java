package dev.pcitimeline.domain.aggregate;

import dev.pcitimeline.domain.command.CreateSystem;
import dev.pcitimeline.domain.command.RuleViolation;
import dev.pcitimeline.domain.command.RunStep;
import dev.pcitimeline.domain.command.StepResult;
import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.machine.StepRecording;
import dev.pcitimeline.domain.machine.StepRule;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.xen.XenTrace;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.util.regex.Pattern;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One PCI segment of a simulated system. Commands are checked against the {@link StepRule}s,
 * run on a copy of the machine to learn their events, and only then applied: the machine
 * itself changes in the event sourcing handler alone, through {@link Machine#apply}.
 */
public class PciSegment {
    private static final Pattern SCENARIO_NAME = Pattern.compile("[a-z0-9._-]{1,80}");

    @AggregateIdentifier
    private String systemId;
    private Machine machine;

    /** For Axon and for snapshot deserialization. */
    protected PciSegment() {
    }

    @CommandHandler
    public PciSegment(CreateSystem command) {
        SystemCreated created = new SystemCreated(command.systemId(), command.scenario(), command.description(),
                command.policy(), command.segment(), command.topology());
        SystemRules.check(created);
        apply(created);
    }

    @CommandHandler
    public StepResult handle(RunStep command) {
        Step step = command.step();
        StepRule.firstViolation(machine, step).ifPresent(message -> {
            throw new RuleViolation(step.keyword() + ": " + message);
        });
        long before = machine.eventCount();
        StepRecording recording = machine.record(step);
        recording.events().forEach(e -> apply(e));
        long marker = before + 1;
        long last = before + recording.events().size();
        return last > marker
                ? new StepResult(recording.index(), recording.outcome(), marker + 1, last, last)
                : new StepResult(recording.index(), recording.outcome(), 0, 0, last);
    }

    @EventSourcingHandler
    void on(SegmentEvent event) {
        if (event instanceof SystemCreated created) {
            systemId = created.systemId();
            machine = Machine.created(created);
        } else {
            machine.apply(event, XenTrace.NONE);
        }
    }

    /** The aggregate's machine (read-only use: tests and snapshots). */
    public Machine machine() {
        return machine;
    }

    /** What a new system must be before anything is stored. */
    static final class SystemRules {
        private SystemRules() {
        }

        static void check(SystemCreated e) {
            if (e.systemId() == null || e.systemId().isBlank()) {
                throw new RuleViolation("system: an id is required");
            }
            if (e.scenario() == null || !SCENARIO_NAME.matcher(e.scenario()).matches()) {
                throw new RuleViolation("scenario: '" + e.scenario() + "' must match [a-z0-9._-]{1,80}");
            }
            if (e.policy() == null) {
                throw new RuleViolation("policy: a Xen policy is required");
            }
            if (e.segment() < 0 || e.segment() > 0xffff) {
                throw new RuleViolation("segment: " + e.segment() + " is out of range 0..65535");
            }
            if (e.topology() == null) {
                throw new RuleViolation("topology: required");
            }
            try {
                Machine.created(e);
            } catch (IllegalArgumentException invalid) {
                throw new RuleViolation("topology: " + invalid.getMessage());
            }
        }
    }
}
