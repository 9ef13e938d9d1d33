package org.example;

import dev.pcitimeline.scenarios.runner.ScenarioTests;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Fails on purpose: src/test/wrong-on-purpose holds a scenario with a wrong expectation. Excluded from the normal
 * build (see the pom); this repository's build runs it on its own and checks it fails with exactly that failure.
 */
class WrongOnPurposeTest {

    @TestFactory
    Stream<DynamicContainer> scenarios() {
        return ScenarioTests.inFolder(Path.of("src/test/wrong-on-purpose"));
    }
}
