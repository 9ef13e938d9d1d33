package dev.pcitimeline.app.cli;

import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.scenarios.evidence.History;
import dev.pcitimeline.scenarios.evidence.Minimizer;
import dev.pcitimeline.scenarios.format.ExpectedFinding;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import dev.pcitimeline.scenarios.runner.ScenarioValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code minimize}: the smallest history that still shows a finding (issue 14), by delta debugging in memory with
 * the domain's fold; no store, no Spring.
 */
@Command(name = "minimize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shrinks FILE to a small scenario that still shows a finding: ddmin over the steps, then "
                + "dropping functions with their subtrees, then simpler values (BAR2, VF counts, register writes), "
                + "keeping only reductions after which the file is still valid and the finding holds after the last "
                + "step (or after any step with --anywhere). Deterministic; progress on stderr. The result has an "
                + "expect asserting the finding and a comment with the original's size and the reduction."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:minimized", "1:the finding does not hold in FILE (nothing to minimize)",
                "2:FILE or an option is invalid"})
public class MinimizeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "a scenario file")
    Path file;

    @Option(names = "--finding", required = true, paramLabel = "KIND[:SUBJECT]",
            description = "the finding to keep, e.g. BUS2BRIDGE_LOOP, BUS2BRIDGE_LOOP:6, PDEV_STALE:0000:05:00.0")
    String finding;

    @Option(names = "--policy", paramLabel = "P", converter = Cli.PolicyConverter.class,
            completionCandidates = Cli.Policies.class,
            description = "fold under this Xen build (default: the file's policy); the result names it as its policy")
    Policy policy;

    @Option(names = "--anywhere", description = "the finding may hold after any step, not only after the last one")
    boolean anywhere;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.yaml", description = "write the result here (default: stdout)")
    Path output;

    @Override
    public Integer call() throws IOException {
        ExpectedFinding target;
        try {
            target = ExpectedFinding.parse(finding);
        } catch (IllegalArgumentException e) {
            System.err.println("minimize: --finding: " + e.getMessage());
            return 2;
        }
        Scenario scenario;
        try {
            scenario = new ScenarioParser().parse(file);
            ScenarioValidator.validate(scenario);
        } catch (ScenarioException e) {
            System.err.println("minimize: " + e.getMessage());
            return 2;
        }
        Minimizer.Result result;
        try {
            result = Minimizer.minimize(History.of(scenario, policy), target, anywhere, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("minimize: " + file + ": " + e.getMessage());
            return 1;
        }
        String base = scenario.name().length() > 76 ? scenario.name().substring(0, 76) : scenario.name();
        String yaml = Minimizer.toYaml(result, base + "-min", "Minimized from " + scenario.name() + ": "
                + result.holding().text() + " under " + result.minimized().policy().text() + ".", file.getFileName().toString());
        System.err.printf("minimize: %d steps, %d functions -> %d steps, %d functions in %d tries%n",
                result.original().steps().size(), result.original().functions(), result.minimized().steps().size(),
                result.minimized().functions(), result.tries());
        if (output == null) {
            System.out.print(yaml);
            System.out.flush();
        } else {
            Files.writeString(output, yaml);
            System.err.println("minimize: written to " + output);
        }
        return 0;
    }
}
