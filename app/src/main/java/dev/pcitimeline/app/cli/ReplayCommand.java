package dev.pcitimeline.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import dev.pcitimeline.scenarios.runner.JUnitXmlReport;
import dev.pcitimeline.scenarios.runner.JUnitXmlReport.FileReport;
import dev.pcitimeline.scenarios.runner.JUnitXmlReport.NotReplayed;
import dev.pcitimeline.scenarios.runner.JUnitXmlReport.Replayed;
import dev.pcitimeline.scenarios.runner.ReplayOptions;
import dev.pcitimeline.scenarios.runner.ReplayResult;
import dev.pcitimeline.scenarios.runner.ScenarioRunner;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code replay}: each scenario through the real command side, event store and projections, in one JVM. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replays scenario files through the command side, event store and projections, checks their "
                + "expect steps and prints the state after the last step (or at the step/event asked for).",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every file replayed and every expectation held", "1:an expectation failed",
                "2:a file is invalid (nothing of it is stored), the options are wrong or the event store cannot "
                        + "be opened"})
public class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "scenario files, YAML or JSON (SCENARIOS.md format 1)")
    List<Path> files;

    @Option(names = "--policy", paramLabel = "P", converter = Cli.PolicyConverter.class,
            completionCandidates = Cli.Policies.class,
            description = "print the state as this Xen build would have it (a what-if fold of the same history; "
                    + "the system and its expect steps keep the file's own build): ${COMPLETION-CANDIDATES}")
    Policy policy;

    @ArgGroup(exclusive = true)
    Point point;

    static final class Point {
        @Option(names = "--at-step", paramLabel = "K", description = "print the state after step K (0-based, expect entries not counted)")
        Integer atStep;

        @Option(names = "--at-event", paramLabel = "N", description = "print the state after event N of the system (1-based)")
        Integer atEvent;
    }

    @Option(names = "--json", description = "print one JSON array, one state object per FILE (API.md)")
    boolean json;

    @Option(names = "--db", paramLabel = "DIR", description = "keep the event store in H2 files under DIR, or in the "
            + "PostgreSQL database of a postgresql://user:pass@host:port/db URL (default: in memory)")
    String db;

    @Option(names = "--junit-xml", paramLabel = "OUT.xml", description = "also write a JUnit XML report (Surefire's "
            + "format): one testsuite per FILE, one testcase per expect entry, an error for an invalid FILE")
    Path junitXml;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        ScenarioParser parser = new ScenarioParser();
        List<Object> parsed = new ArrayList<>();
        for (Path file : files) {
            try {
                parsed.add(parser.parse(file));
            } catch (ScenarioException invalid) {
                parsed.add(invalid);
            }
        }
        ReplayOptions options = new ReplayOptions(policy, point == null ? null : point.atStep,
                point == null ? null : point.atEvent);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode documents = mapper.createArrayNode();
        StringBuilder text = new StringBuilder();
        List<FileReport> reports = new ArrayList<>();
        int exit = 0;
        boolean anyValid = parsed.stream().anyMatch(p -> p instanceof Scenario);
        if (anyValid && db != null && !Cli.isDatabaseUrl(db) && Files.exists(Path.of(db)) && !Files.isDirectory(Path.of(db))) {
            throw new ParameterException(spec.commandLine(), "--db: " + db + " is not a directory");
        }
        ConfigurableApplicationContext opened = null;
        String storeProblem = null;
        if (anyValid) {
            try {
                opened = Cli.startWithoutWeb(db);
            } catch (RuntimeException e) {
                // Not a failed expectation (1): no file could be replayed at all.
                storeProblem = "cannot open the event store " + (db == null ? "in memory" : "under " + db) + ": "
                        + rootCause(e);
                err.println("replay: " + storeProblem);
                exit = 2;
            }
        }
        try (ConfigurableApplicationContext context = opened) {
            ScenarioRunner runner = context == null ? null : context.getBean(ScenarioRunner.class);
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                Object p = parsed.get(i);
                try {
                    if (p instanceof ScenarioException invalid) {
                        throw invalid;
                    }
                    if (runner == null) {
                        documents.addObject().put("file", file.toString()).putObject("error")
                                .put("message", file + ": not replayed: " + storeProblem);
                        reports.add(new NotReplayed(file.toString(), JUnitXmlReport.NOT_REPLAYED, "not-replayed",
                                file + ": not replayed: " + storeProblem));
                        continue;
                    }
                    Scenario scenario = (Scenario) p;
                    long started = System.nanoTime();
                    ReplayResult result = runner.replay(scenario, options);
                    err.printf("%s: %d steps replayed as %s in %d ms, %d expectations held, %d failed%n", file,
                            scenario.steps().size(), result.system(), (System.nanoTime() - started) / 1_000_000,
                            result.state().expectations().size() - result.failures(), result.failures());
                    if (!result.passed()) {
                        exit = Math.max(exit, 1);
                        result.state().expectations().stream().filter(e -> !e.passed())
                                .forEach(e -> err.println("  FAILED " + e.message()));
                    }
                    documents.add(mapper.valueToTree(result.state()));
                    reports.add(new Replayed(file.toString(), result));
                    text.append(StateText.render(result.state(), file.toString(), System.console() != null)).append('\n');
                } catch (ScenarioException invalid) {
                    exit = 2;
                    err.println("invalid scenario: " + invalid.getMessage());
                    ObjectNode error = documents.addObject();
                    error.put("file", file.toString());
                    error.putObject("error").put("line", invalid.line()).put("key", invalid.key())
                            .put("message", invalid.getMessage());
                    reports.add(new NotReplayed(file.toString(), JUnitXmlReport.INVALID, "invalid-scenario",
                            invalid.getMessage()));
                } catch (IllegalArgumentException badPoint) {
                    // --at-step / --at-event outside this file's history
                    exit = 2;
                    err.println(file + ": " + badPoint.getMessage());
                    documents.addObject().put("file", file.toString()).putObject("error").put("message", badPoint.getMessage());
                    reports.add(new NotReplayed(file.toString(), JUnitXmlReport.NOT_REPLAYED, "bad-option",
                            file + ": " + badPoint.getMessage()));
                }
            }
        }
        if (junitXml != null) {
            try {
                JUnitXmlReport.write(reports, junitXml);
            } catch (IOException e) {
                // The report a CI relies on is missing: as wrong as a bad option.
                err.println("replay: --junit-xml: cannot write " + junitXml + ": " + e.getMessage());
                exit = 2;
            }
        }
        System.out.print(json ? mapper.writeValueAsString(documents) + "\n" : text);
        System.out.flush();
        return exit;
    }

    /** The innermost cause's message: what actually went wrong under Spring's wrapping. */
    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
