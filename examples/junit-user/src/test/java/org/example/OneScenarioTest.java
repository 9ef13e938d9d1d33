package org.example;

import dev.pcitimeline.scenarios.runner.ScenarioTests;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

/** A second test class of the same JVM: it uses the engine ScenariosTest started (no second Spring start-up). */
class OneScenarioTest {

    @TestFactory
    Stream<DynamicContainer> scenario() {
        return ScenarioTests.of(Path.of("src/test/scenarios/endpoint-to-a-guest.yaml"));
    }
}
