package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The JUnit 5 entry point: any project runs a folder of scenario files as dynamic tests, with nothing to wire.
 * <pre>
 * {@literal @}TestFactory
 * Stream&lt;DynamicContainer&gt; scenarios() { return ScenarioTests.inFolder(Path.of("src/test/scenarios")); }
 * </pre>
 * One container per file and one test per {@code expect} entry, e.g.
 * {@code step 4 dom0-boot: bus2bridge (fix-remember-range)}, whose test source is the file and the entry's line
 * (an IDE jumps there). A failure says file:line, the step's text, the key, the policy, expected and actual. An
 * invalid file is one failing test with the validator's message (file, line, key). Each file is replayed when its
 * container runs, on the JVM's {@link EmbeddedEngine} (started by the first file, shared by every test class).
 */
public final class ScenarioTests {
    private ScenarioTests() {
    }

    /** Every {@code *.yaml}, {@code *.yml} and {@code *.json} file of {@code folder} (not its subfolders), by name. */
    public static Stream<DynamicContainer> inFolder(Path folder) {
        return containers(scenarioFiles(folder), EmbeddedEngine::runner);
    }

    /** These scenario files, in this order. */
    public static Stream<DynamicContainer> of(Path... files) {
        if (files.length == 0) {
            throw new IllegalArgumentException("no scenario files given");
        }
        return containers(Arrays.asList(files), EmbeddedEngine::runner);
    }

    /**
     * The folder's files on {@code runner} (e.g. a Spring test's {@code @Autowired ScenarioRunner}), as a flat list:
     * one test per {@code expect} entry, named after the file and the entry, e.g.
     * {@code seed.yaml: step 4 dom0-boot: bus2bridge (fix-remember-range)}.
     */
    public static Stream<DynamicTest> inFolder(Path folder, ScenarioRunner runner) {
        return scenarioFiles(folder).stream().flatMap(file -> tests(file, () -> runner, file.getFileName() + ": "));
    }

    private static Stream<DynamicContainer> containers(List<Path> files, Supplier<ScenarioRunner> runner) {
        // The container's stream is consumed when it runs: that is when its file is read and replayed.
        return files.stream().map(file -> DynamicContainer.dynamicContainer(String.valueOf(file.getFileName()),
                file.toUri(), Stream.of(file).flatMap(f -> tests(f, runner, ""))));
    }

    /** The tests of one file: replays it, then one test per expect entry reports that entry's result. */
    private static Stream<DynamicTest> tests(Path file, Supplier<ScenarioRunner> runner, String prefix) {
        ReplayResult result;
        try {
            result = runner.get().replay(new ScenarioParser().parse(file), ReplayOptions.DEFAULT);
        } catch (ScenarioException invalid) {
            return Stream.of(DynamicTest.dynamicTest(prefix + JUnitXmlReport.INVALID, at(file, invalid.line()), () -> {
                throw new AssertionFailedError(invalid.getMessage(), invalid);
            }));
        } catch (RuntimeException broken) {
            // The engine did not start, or the views did not catch up: no expectation could be checked.
            return Stream.of(DynamicTest.dynamicTest(prefix + JUnitXmlReport.NOT_REPLAYED, file.toUri(), () -> {
                throw broken;
            }));
        }
        return result.checks().stream().map(check -> DynamicTest.dynamicTest(prefix + check.name(),
                at(file, check.line()), () -> {
                    if (!check.passed()) {
                        throw new AssertionFailedError(check.failureMessage());
                    }
                }));
    }

    /** The file's URI with the line as JUnit reads it ({@code ?line=N}: a FileSource with a FilePosition). */
    static URI at(Path file, int line) {
        URI uri = file.toAbsolutePath().normalize().toUri();
        return line > 0 ? URI.create(uri + "?line=" + line) : uri;
    }

    static List<Path> scenarioFiles(Path folder) {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")
                    || p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list scenario folder " + folder.toAbsolutePath(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no scenario files (*.yaml, *.yml, *.json) in " + folder.toAbsolutePath());
        }
        return files;
    }
}
