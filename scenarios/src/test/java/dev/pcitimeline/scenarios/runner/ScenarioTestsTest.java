package dev.pcitimeline.scenarios.runner;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * {@link ScenarioTests} as a user's IDE or build sees it: the fixture classes below (not run by Surefire itself,
 * being nested) run through the JUnit Platform, and the tests, names, sources and failures they produce are checked
 * against {@code junit/report.yaml} and {@code junit/invalid-pf.yaml}, worked out by hand from SCENARIOS.md.
 */
class ScenarioTestsTest {
    static final Path DIR = Path.of("src/test/resources/junit");

    /** A user's test class: no Spring, one line. */
    static class OneFile {
        @TestFactory
        Stream<DynamicContainer> scenarios() {
            return ScenarioTests.of(DIR.resolve("report.yaml"), DIR.resolve("invalid-pf.yaml"));
        }
    }

    /** A second class of the same JVM: it must find the engine running. */
    static class SecondClass {
        @TestFactory
        Stream<DynamicContainer> scenarios() {
            return ScenarioTests.of(DIR.resolve("report.yaml"));
        }
    }

    /** The two-argument form, on a runner given (a Spring test would pass its {@code @Autowired} one). */
    static class WithRunner {
        @TestFactory
        Stream<DynamicTest> scenarios() {
            return ScenarioTests.inFolder(DIR, EmbeddedEngine.runner());
        }
    }

    record Finished(TestIdentifier test, TestExecutionResult result) {
        String message() {
            return result.getThrowable().map(Throwable::getMessage).orElse(null);
        }

        Integer line() {
            return test.getSource().filter(FileSource.class::isInstance).map(FileSource.class::cast)
                    .flatMap(FileSource::getPosition).map(p -> p.getLine()).orElse(null);
        }

        Optional<String> file() {
            return test.getSource().filter(FileSource.class::isInstance).map(FileSource.class::cast)
                    .map(s -> s.getFile().getName());
        }
    }

    static List<Finished> run(Class<?>... classes) {
        List<Finished> finished = new ArrayList<>();
        Launcher launcher = LauncherFactory.create();
        var builder = request();
        for (Class<?> c : classes) {
            builder.selectors(selectClass(c));
        }
        launcher.execute(builder.build(), new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                finished.add(new Finished(test, result));
            }
        });
        return finished;
    }

    static Finished named(List<Finished> finished, String name) {
        List<Finished> matching = finished.stream().filter(f -> f.test().getDisplayName().equals(name)).toList();
        assertThat(matching).as("tests named '%s' among %s", name,
                finished.stream().map(f -> f.test().getDisplayName()).toList()).hasSize(1);
        return matching.get(0);
    }

    @Test
    void one_container_per_file_and_one_test_per_expect_entry_with_its_line() {
        List<Finished> finished = run(OneFile.class);
        List<Finished> tests = finished.stream().filter(f -> f.test().isTest()).toList();
        assertThat(tests).as("3 expect entries in report.yaml, 1 invalid file").hasSize(4);

        Finished container = named(finished, "report.yaml");
        assertThat(container.test().isContainer()).isTrue();
        assertThat(container.file()).contains("report.yaml");

        Finished first = named(finished, "step 0 xen-boot: pdevs (xen-4.4)");
        assertThat(first.result().getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(first.file()).contains("report.yaml");
        assertThat(first.line()).isEqualTo(8);

        Finished failed = named(finished, "step 1 remove: outcome, pdevs (xen-4.4)");
        assertThat(failed.result().getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(failed.line()).isEqualTo(10);
        // only outcome fails: remove of a known pdev is ok, and pdevs [] holds
        assertThat(failed.message()).isEqualTo(
                "report.yaml:10: step 1 (remove: \"0000:00:02.0\"): outcome (policy xen-4.4): expected ENODEV, actual ok");

        Finished whatIf = named(finished, "step 1 remove: pdevs (fix-remember-range)");
        assertThat(whatIf.result().getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(whatIf.line()).isEqualTo(11);
    }

    @Test
    void an_invalid_file_is_one_failing_test_with_the_validators_message() {
        List<Finished> finished = run(OneFile.class);
        Finished invalid = named(finished, JUnitXmlReport.INVALID);
        assertThat(invalid.result().getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(invalid.file()).contains("invalid-pf.yaml");
        assertThat(invalid.line()).isEqualTo(7);
        // steps[1]: xen-boot is item 0 of the list; the rule about a named device is about the pf field
        assertThat(invalid.message()).startsWith("invalid-pf.yaml:7: steps[1].enable-sriov.pf: ");
    }

    @Test
    void test_classes_of_one_jvm_share_one_engine() {
        List<Finished> finished = run(OneFile.class, SecondClass.class);
        assertThat(finished.stream().filter(f -> f.test().isTest())).hasSize(4 + 3);
        assertThat(EmbeddedEngine.starts()).isEqualTo(1);
    }

    @Test
    void the_two_argument_form_names_each_test_after_its_file() {
        List<Finished> finished = run(WithRunner.class);
        assertThat(finished.stream().filter(f -> f.test().isTest()).map(f -> f.test().getDisplayName()))
                .containsExactlyInAnyOrder("invalid-pf.yaml: invalid scenario",
                        "report.yaml: step 0 xen-boot: pdevs (xen-4.4)",
                        "report.yaml: step 1 remove: outcome, pdevs (xen-4.4)",
                        "report.yaml: step 1 remove: pdevs (fix-remember-range)");
        assertThat(named(finished, "report.yaml: step 1 remove: outcome, pdevs (xen-4.4)").line()).isEqualTo(10);
    }
}
