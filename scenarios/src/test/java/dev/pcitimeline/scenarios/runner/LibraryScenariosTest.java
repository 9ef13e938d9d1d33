package dev.pcitimeline.scenarios.runner;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

/** End to end: every scenario of the library, replayed through commands, store and projections, as a user would. */
class LibraryScenariosTest {

    @TestFactory
    Stream<DynamicContainer> library() {
        return ScenarioTests.inFolder(Path.of("library"));
    }
}
