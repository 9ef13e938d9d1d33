package org.example;

import dev.pcitimeline.scenarios.runner.ScenarioTests;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

/** Every scenario file of src/test/scenarios: one container per file, one test per expect entry. */
class ScenariosTest {

    @TestFactory
    Stream<DynamicContainer> scenarios() {
        return ScenarioTests.inFolder(Path.of("src/test/scenarios"));
    }
}
