package dev.pcitimeline.app.web;

import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import dev.pcitimeline.scenarios.format.ScenarioStep;

import java.util.List;

/**
 * How much work one request may ask for. A 1 MiB body is small, but it can still spell a replay that runs for
 * hours: 150,000 {@code reboot} steps, or a PF with 65,535 VFs booted over and over. So a scenario body holds at most
 * {@value #MAX_STEPS} steps (expect entries not counted) and brings at most {@value #MAX_FUNCTIONS} functions into the
 * machine: every topology and plugged function, and every VF a PF could enable ({@code total-vfs}). A request over
 * either is invalid input (400) before anything is checked against the model or stored. Scenario files replayed from
 * the command line are not limited: they are the operator's own.
 */
final class RequestLimits {
    /** Steps per scenario body; the library's longest has 14. */
    static final int MAX_STEPS = 1_000;
    /** Functions a scenario body (topology, plugs, possible VFs) or a plug step may bring; real machines have ~100. */
    static final int MAX_FUNCTIONS = 512;

    private RequestLimits() {
    }

    /** @throws ScenarioException naming the step or the key that goes over a limit */
    static void check(Scenario scenario) {
        List<ScenarioStep> steps = scenario.steps();
        if (steps.size() > MAX_STEPS) {
            ScenarioStep first = steps.get(MAX_STEPS);
            throw new ScenarioException(ScenarioParser.REQUEST, first.line(), "steps",
                    "a scenario sent to the service holds at most " + MAX_STEPS + " steps; this one has " + steps.size()
                            + " (replay longer ones from the command line)");
        }
        long functions = functions(scenario.topology());
        if (functions > MAX_FUNCTIONS) {
            throw new ScenarioException(ScenarioParser.REQUEST, 0, "topology", tooMany("the topology", functions));
        }
        for (ScenarioStep step : steps) {
            if (step.step() instanceof Step.Plug plug) {
                functions += functions(List.of(plug.function()));
                if (functions > MAX_FUNCTIONS) {
                    throw new ScenarioException(ScenarioParser.REQUEST, step.line(), "steps",
                            tooMany("the topology and the plug steps up to this one", functions));
                }
            }
        }
    }

    /** A single step: only a plug brings functions. */
    static void check(ScenarioStep step) {
        if (step.step() instanceof Step.Plug plug) {
            long functions = functions(List.of(plug.function()));
            if (functions > MAX_FUNCTIONS) {
                throw new ScenarioException(ScenarioParser.REQUEST, step.line(), "plug.function",
                        tooMany("the plugged function", functions));
            }
        }
    }

    private static String tooMany(String what, long functions) {
        return what + " would bring " + functions + " functions (VFs a PF can enable counted); a request may bring at"
                + " most " + MAX_FUNCTIONS;
    }

    /** Functions of these trees, with the VFs each PF could enable. */
    static long functions(List<FunctionSpec> trees) {
        long n = 0;
        for (FunctionSpec f : trees) {
            n += 1 + (f.sriov() == null ? 0 : f.sriov().totalVfs()) + functions(f.children());
        }
        return n;
    }
}
