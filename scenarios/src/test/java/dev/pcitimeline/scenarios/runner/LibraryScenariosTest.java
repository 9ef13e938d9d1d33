package dev.pcitimeline.scenarios.runner;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.nio.file.Path;
import java.util.stream.Stream;

/** End to end: every scenario of the library, replayed through commands, store and projections. */
@SpringBootTest(classes = ScenarioTestApplication.class, properties = "pcitimeline.db=mem")
class LibraryScenariosTest {

    @Autowired
    ScenarioRunner runner;

    @TestFactory
    Stream<DynamicTest> library() {
        return ScenarioTests.inFolder(Path.of("library"), runner);
    }
}
