package dev.pcitimeline.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code minimize} and {@code fuzz} through the command line; their results replayed through the real
 * {@code replay} path (Spring, the event store, the projections), which must pass the file's own expect.
 */
class MinimizeAndFuzzCommandTest {
    static final Path LIBRARY = Path.of("..", "scenarios", "library");
    /** The minimized counterexamples of the fixes the README quotes. */
    static final Path FINDINGS = Path.of("..", "scenarios", "findings");

    @Test
    void the_reports_exact_table_minimizes_to_a_file_that_replays_with_exit_0(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("min.yaml");
        CliRun min = CliRun.of("minimize", LIBRARY.resolve("report-exact-table.yaml").toString(),
                "--finding", "BUS2BRIDGE_LOOP:6", "-o", out.toString());
        assertThat(min.exit()).as(min.err()).isZero();
        assertThat(min.err()).contains("functions left", "tries", "3 steps, 8 functions -> 2 steps");
        String yaml = Files.readString(out);
        assertThat(yaml).contains("# original: 3 steps, 8 functions; minimized: 2 steps",
                "findings: [{kind: BUS2BRIDGE_LOOP, bus: 6}]", "policy: xen-4.4");

        CliRun replay = CliRun.of("replay", out.toString());
        assertThat(replay.exit()).as(replay.err() + replay.out()).isZero();
        assertThat(replay.out()).contains("1 held, 0 failed");
    }

    @Test
    void minimize_says_what_is_wrong() {
        String exact = LIBRARY.resolve("report-exact-table.yaml").toString();
        CliRun badKind = CliRun.of("minimize", exact, "--finding", "BUS2BRIDGE_LOOPS");
        assertThat(badKind.exit()).isEqualTo(2);
        assertThat(badKind.err()).contains("--finding", "unknown finding kind 'BUS2BRIDGE_LOOPS'");
        CliRun badBus = CliRun.of("minimize", exact, "--finding", "BUS2BRIDGE_LOOP:300");
        assertThat(badBus.exit()).isEqualTo(2);
        assertThat(badBus.err()).contains("bus 300 is out of range");
        // under fix-invalidate-loop the report-all clears entry 6: no loop at the end, only after dom0-boot
        CliRun gone = CliRun.of("minimize", exact, "--finding", "BUS2BRIDGE_LOOP:6", "--policy", "fix-invalidate-loop");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("does not hold after the last step", "--anywhere");
        CliRun anywhere = CliRun.of("minimize", exact, "--finding", "BUS2BRIDGE_LOOP:6", "--policy",
                "fix-invalidate-loop", "--anywhere");
        assertThat(anywhere.exit()).as(anywhere.err()).isZero();
        assertThat(anywhere.out()).contains("policy: fix-invalidate-loop", "dom0-boot: {assign-busses: true");
    }

    @Test
    void fuzz_gives_the_same_table_twice_for_a_seed_as_text_and_as_json(@TempDir Path out) throws IOException {
        String[] args = {"fuzz", "--histories", "8", "--steps", "12", "--seed", "5"};
        CliRun a = CliRun.of(args);
        CliRun b = CliRun.of(args);
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(b.out()).isEqualTo(a.out());
        assertThat(a.out()).contains("fuzz: 8 histories of 12 steps (seed 5", "BUS2BRIDGE_LOOP", "hangs",
                "errno != xen-4.4", "fix-trap-bus-writes");
        assertThat(a.err()).contains("histories folded");

        CliRun json = CliRun.of("fuzz", "--histories", "8", "--steps", "12", "--seed", "5", "--json",
                "--policies", "xen-4.4,fix-trap-bus-writes", "--out", out.toString());
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.get("histories").asInt()).isEqualTo(8);
        assertThat(report.get("policies")).hasSize(2);
        assertThat(report.get("policies").get(1).get("policy").asText()).isEqualTo("fix-trap-bus-writes");
        assertThat(report.get("policies").get(0).get("atEnd").has("BUS2BRIDGE_LOOP")).isTrue();
        assertThat(report.get("counterexamples")).isNotEmpty();
        List<Path> written;
        try (Stream<Path> files = Files.list(out)) {
            written = files.sorted().toList();
        }
        assertThat(written).isNotEmpty().hasSize(report.get("counterexamples").size());
        CliRun replay = CliRun.of(Stream.concat(Stream.of("replay"), written.stream().map(Path::toString))
                .toArray(String[]::new));
        assertThat(replay.exit()).as(replay.err() + replay.out()).isZero();

        CliRun bad = CliRun.of("fuzz", "--histories", "0");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--histories 0 must be at least 1");
    }

    @Test
    void every_counterexample_under_scenarios_findings_replays_with_exit_0() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(FINDINGS)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        CliRun replay = CliRun.of(Stream.concat(Stream.of("replay"), files.stream().map(Path::toString))
                .toArray(String[]::new));
        assertThat(replay.exit()).as(replay.err() + replay.out()).isZero();
        assertThat(replay.out()).doesNotContain(" 0 held");
    }
}
