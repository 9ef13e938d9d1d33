package dev.pcitimeline.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.scenarios.evidence.Fuzzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code fuzz}: how often each Xen build leaves a problem across many generated histories (issue 14), folded in
 * memory with the domain's fold; no store, no Spring.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generates N random valid histories (weighted toward pci=assign-busses boots, dom0 remove and "
                + "rescan, SR-IOV and hot-plug), folds each under every policy and prints, per policy, how many "
                + "histories show each finding kind after their last step and after any step, how many hang Xen, and "
                + "how many hypercalls return another errno than under xen-4.4. With --out, the first counterexample "
                + "per policy and finding kind is minimized and written there as a scenario file. Progress and timing "
                + "on stderr."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the table was printed", "2:an option is invalid"})
public class FuzzCommand implements Callable<Integer> {

    @Option(names = "--histories", paramLabel = "N", defaultValue = "200",
            description = "histories to generate (default: ${DEFAULT-VALUE})")
    int histories;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "30",
            description = "steps per history, xen-boot and the first dom0-boot included (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--seed", paramLabel = "X", defaultValue = "1", description = "seed of the run (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--policies", paramLabel = "P", split = ",", converter = Cli.PolicyConverter.class,
            completionCandidates = Cli.Policies.class, description = "policies to fold under (default: all of them)")
    List<Policy> policies;

    @Option(names = "--json", description = "print the table as one JSON object")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR",
            description = "write the minimized first counterexample per policy and finding kind here")
    Path out;

    @Override
    public Integer call() throws Exception {
        Fuzzer.Options options;
        try {
            options = new Fuzzer.Options(histories, steps, seed,
                    policies == null ? List.of(Policy.values()) : policies, out);
        } catch (IllegalArgumentException e) {
            System.err.println("fuzz: " + e.getMessage());
            return 2;
        }
        long started = System.nanoTime();
        Fuzzer.Report report = Fuzzer.run(options, System.err);
        System.err.printf("fuzz: done in %.1f s%n", (System.nanoTime() - started) / 1e9);
        System.out.print(json
                ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n"
                : report.toText());
        System.out.flush();
        return 0;
    }
}
