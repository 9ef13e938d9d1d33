package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.projections.query.StateDocument.ExpectationEntry;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The JUnit 5 entry point: any project can run a folder of scenario files as dynamic tests.
 * <pre>
 * {@literal @}TestFactory
 * Stream&lt;DynamicTest&gt; library() { return ScenarioTests.inFolder(Path.of("library"), runner); }
 * </pre>
 * Each file is one test; it fails with every failed expectation's message.
 */
public final class ScenarioTests {
    private ScenarioTests() {
    }

    public static Stream<DynamicTest> inFolder(Path folder, ScenarioRunner runner) {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")
                    || p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list scenario folder " + folder, e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no scenario files (*.yaml, *.yml, *.json) in " + folder.toAbsolutePath());
        }
        ScenarioParser parser = new ScenarioParser();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(), () -> {
            Scenario scenario = parser.parse(file);
            ReplayResult result = runner.replay(scenario, ReplayOptions.DEFAULT);
            if (!result.passed()) {
                fail(result.failures() + " expectation(s) failed in " + file.getFileName() + ":\n" + result.state()
                        .expectations().stream().filter(e -> !e.passed()).map(ExpectationEntry::message)
                        .collect(Collectors.joining("\n")));
            }
        }));
    }
}
