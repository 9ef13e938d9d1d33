package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import dev.pcitimeline.scenarios.runner.ReplayOptions;
import dev.pcitimeline.scenarios.runner.ReplayResult;
import dev.pcitimeline.scenarios.runner.ScenarioRunner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: imported real captures replayed through the command side, the event store and
 * the projections, as {@code pci-timeline replay} does; the projected hardware view holds the
 * dump's BDFs.
 */
@SpringBootTest(classes = ImportedScenarioReplayTest.Application.class, properties = "pcitimeline.db=mem")
class ImportedScenarioReplayTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
        // the ScenarioRunner comes from ScenarioRunnerAutoConfiguration
    }

    @Autowired
    ScenarioRunner runner;

    @Test
    void theThreadripperDump_replaysThroughTheStore() {
        LspciImport imported = LspciImporter.importDump(
                TextInput.read(RealWorldImportTest.DIR.resolve("lspci-tv-01.txt")), null, LspciImporter.Options.DEFAULT);
        ReplayResult result = runner.replay(new ScenarioParser().parse("lspci-tv-01.yaml", imported.yaml()),
                ReplayOptions.DEFAULT);
        StateDocument state = result.state();
        assertThat(state.hung()).isFalse();
        Set<Bdf> hardware = new TreeSet<>();
        state.hardware().forEach(f -> hardware.add(Bdf.parse(f.bdf())));
        assertThat(hardware).isEqualTo(new TreeSet<>(imported.dumpBdfs())).hasSize(RealWorldImportTest.TV01_FUNCTIONS);
    }

    @Test
    void theXeonDLog_replaysThroughTheStore() {
        XlDmesgImport imported = XlDmesgImporter.importLog(TextInput.read(RealWorldImportTest.DIR.resolve("xl-dmesg-04.txt")),
                XlDmesgImporter.readTopology(RealWorldImportTest.DIR.resolve("xl-dmesg-04.topology.yaml")), null);
        ReplayResult result = runner.replay(imported.scenario(), ReplayOptions.DEFAULT);
        assertThat(result.state().step()).isEqualTo(RealWorldImportTest.XL04_ADD_REMOVE);
        assertThat(result.state().pdevs()).hasSize(RealWorldImportTest.XL04_ADD_REMOVE);
    }
}
