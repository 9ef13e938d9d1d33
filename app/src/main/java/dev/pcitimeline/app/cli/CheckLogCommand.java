package dev.pcitimeline.app.cli;

import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.importer.ImportException;
import dev.pcitimeline.scenarios.importer.LogCheck;
import dev.pcitimeline.scenarios.importer.LogChecker;
import dev.pcitimeline.scenarios.importer.TextInput;
import dev.pcitimeline.scenarios.importer.XlDmesgImport;
import dev.pcitimeline.scenarios.importer.XlDmesgImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code check-log}: imports an xl dmesg capture on a topology, replays it in memory with the
 * same fold the store uses, and lists where the model's context-entry operations disagree with
 * the log's VT-d map/unmap lines and which missing or foreign context entry explains each DMA
 * fault. No Spring: the fold needs no store.
 */
@Command(name = "check-log", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replays an xl dmesg capture on TOPO.yaml's hardware and compares the model with the log: "
                + "VT-d map/unmap lines against the model's context operations, 'PCI add/remove' lines against the "
                + "model's outcomes, and each DMA fault against the model's context entries."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the model and the log agree", "1:they disagree (each difference is listed)",
                "2:the log or the topology is invalid"})
public class CheckLogCommand implements Callable<Integer> {

    @Parameters(paramLabel = "LOG", description = "xl dmesg output")
    Path log;

    @Option(names = "--topology", required = true, paramLabel = "TOPO.yaml",
            description = "a scenario file whose topology (segment, policy) the log ran on")
    Path topology;

    @Option(names = "--policy", paramLabel = "P", converter = Cli.PolicyConverter.class,
            completionCandidates = Cli.Policies.class,
            description = "compare the log with this Xen build's model instead of the topology file's policy (the "
                    + "release the log came from): ${COMPLETION-CANDIDATES}")
    Policy policy;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            Scenario topo = XlDmesgImporter.readTopology(topology);
            if (policy != null) {
                topo = topo.withPolicy(policy);
            }
            XlDmesgImport imported = XlDmesgImporter.importLog(TextInput.read(log), topo, null);
            ImportCommand.printSummary(err, log, imported, "memory");
            LogCheck check = LogChecker.check(imported);
            out.printf("%s on %s: %d steps replayed under %s; %d VT-d map/unmap line(s), %d matched; the model made %d "
                            + "device context call(s)%n", log.getFileName(), topology.getFileName(), check.steps(),
                    imported.scenario().policy().text(), check.contextLines(), check.matchedLines(), check.modelOperations());
            check.notes().forEach(n -> out.println("note: " + n));
            if (!check.disagreements().isEmpty()) {
                out.println("Disagreements:");
                check.disagreements().forEach(d -> out.println("  " + d));
            }
            if (!check.faults().isEmpty()) {
                out.println("DMA faults:");
                for (LogCheck.FaultCheck f : check.faults()) {
                    out.printf("  log line %d: DMA %s from %s: %s%s%n", f.logLine(), f.write() ? "write" : "read", f.bdf(),
                            f.explanation(), f.consistent() ? "" : "  [DISAGREES]");
                }
            }
            long badFaults = check.faults().stream().filter(f -> !f.consistent()).count();
            out.println(check.agrees() ? "The model agrees with the log."
                    : "The model disagrees with the log: " + check.disagreements().size() + " difference(s)"
                    + (badFaults == 0 ? "" : ", " + badFaults + " DMA fault(s) it cannot explain") + ".");
            out.flush();
            return check.agrees() ? 0 : 1;
        } catch (ImportException e) {
            err.println("check-log: " + e.getMessage());
            return 2;
        } catch (ScenarioException e) {
            err.println("check-log: invalid topology or scenario: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("check-log: internal error: " + e);
            return 2;
        }
    }
}
