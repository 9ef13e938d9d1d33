package dev.pcitimeline.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import dev.pcitimeline.scenarios.runner.ReplayOptions;
import dev.pcitimeline.scenarios.runner.ReplayResult;
import dev.pcitimeline.scenarios.runner.ScenarioRunner;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What the commands that report on one scenario file share ({@code audit}, {@code versions}): parse and replay it
 * like {@code replay} on a private in-memory store, report invalid input as {@code replay} does (exit 2, the message
 * naming file, line and key; with {@code --json} also {@code {file, error: {line, key, message}}} on stdout; nothing
 * stored), summarise the replay and its failed expectations on stderr, then hand the replayed system over.
 */
final class SingleReplay {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a command does with the replayed system; its result is the exit status. */
    interface Report {
        int on(ConfigurableApplicationContext context, ReplayResult result) throws Exception;
    }

    private SingleReplay() {
    }

    static int run(Path file, boolean json, Report report) throws Exception {
        PrintStream err = System.err;
        Scenario scenario;
        try {
            scenario = new ScenarioParser().parse(file);
        } catch (ScenarioException invalid) {
            return invalid(file, json, invalid);
        }
        try (ConfigurableApplicationContext context = Cli.startInMemory()) {
            ReplayResult result;
            try {
                result = context.getBean(ScenarioRunner.class).replay(scenario, ReplayOptions.DEFAULT);
            } catch (ScenarioException invalid) {
                // rules the model checks while replaying (nothing of the file is stored)
                return invalid(file, json, invalid);
            }
            err.printf("%s: %d steps replayed as %s, %d expectations held, %d failed%n", file,
                    scenario.steps().size(), result.system(),
                    result.state().expectations().size() - result.failures(), result.failures());
            result.state().expectations().stream().filter(e -> !e.passed())
                    .forEach(e -> err.println("  FAILED " + e.message()));
            return report.on(context, result);
        }
    }

    private static int invalid(Path file, boolean json, ScenarioException invalid) throws Exception {
        System.err.println("invalid scenario: " + invalid.getMessage());
        if (json) {
            ObjectNode error = JSON.createObjectNode().put("file", file.toString());
            error.putObject("error").put("line", invalid.line()).put("key", invalid.key())
                    .put("message", invalid.getMessage());
            print(JSON.writeValueAsString(error) + "\n");
        }
        return 2;
    }

    static void print(String text) {
        System.out.print(text);
        System.out.flush();
    }

    /**
     * Rows of cells as text columns padded to their widest cell, each line indented by two spaces; the first row is
     * the header. A header alone prints {@code (none)}.
     */
    static void table(StringBuilder out, java.util.List<String[]> rows) {
        if (rows.size() == 1) {
            out.append("  (none)\n");
            return;
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < r.length; i++) {
                line.append(' ').append(r[i]).append(" ".repeat(width[i] - r[i].length()));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
