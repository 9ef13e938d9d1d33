package dev.pcitimeline.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pcitimeline.app.cli.PciTimelineCommand;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CI's proof that {@code bench} works: 5,000 events, every field present and sane. No speed is
 * asserted (figures depend on the machine); targets are reported, met or not.
 */
class BenchCommandTest {

    @Test
    void bench_with_5000_events_reports_every_figure_as_json() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            // one warm-up round (of 5,000 events: rounds are at most N) and its rebuilds keep CI's run short
            exit = PciTimelineCommand.commandLine().execute("bench", "--events", "5000", "--samples", "50",
                    "--warm-up-rounds", "1", "--json");
        } finally {
            System.setOut(out);
        }
        assertThat(exit).isZero();
        JsonNode report = new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8));

        assertThat(report.get("events").asLong()).isBetween(5_000L, 6_000L);
        assertThat(report.get("steps").asInt()).isPositive().isLessThan(report.get("events").asInt());
        assertThat(report.get("cores").asInt()).isPositive();
        assertThat(report.get("jvm").asText()).isNotBlank();
        assertThat(report.get("maxHeapMiB").asLong()).isPositive();
        assertThat(report.get("peakHeapMiB").asLong()).isPositive();
        for (String rate : List.of("rawInsertPerSec", "rawPerCommitInsertPerSec", "ingestEventsPerSec",
                "ingestWithViewsEventsPerSec", "rebuildEventsPerSec", "foldEventsPerSec")) {
            assertThat(report.get(rate).asDouble()).as(rate).isPositive().isFinite();
        }
        assertThat(report.get("ingestRatio").asDouble()).isPositive()
                .isCloseTo(report.get("ingestEventsPerSec").asDouble() / report.get("rawInsertPerSec").asDouble(),
                        org.assertj.core.data.Offset.offset(0.01));
        assertThat(report.get("ingestRatioPerCommit").asDouble()).isPositive()
                .isCloseTo(report.get("ingestEventsPerSec").asDouble()
                        / report.get("rawPerCommitInsertPerSec").asDouble(), org.assertj.core.data.Offset.offset(0.01));
        assertThat(report.get("viewsLagAfterIngestMs").asDouble()).isNotNegative();
        // the warm-up ran on its own store: one round of 5,000 events, then 1 to 6 rebuilds of its views
        assertThat(report.get("warmupRounds").asInt()).isEqualTo(1);
        assertThat(report.get("ingestWarmupEvents").asLong()).isBetween(5_000L, 6_000L);
        assertThat(report.get("warmupRebuilds").asInt()).isBetween(1, 6);
        assertThat(report.get("warmupSeconds").asDouble()).isPositive();
        assertThat(report.get("warmupJitShare").asDouble()).isNotNegative();
        assertThat(report.get("ingestJitSeconds").asDouble()).isNotNegative();
        assertThat(report.get("rebuildJitSeconds").asDouble()).isNotNegative();
        assertThat(report.get("commandThreadProfile")).isNotEmpty();
        assertThat(report.get("commandThreadProfile").get(0).asText()).startsWith("Axon unit of work commit");
        assertThat(report.get("rebuildResetMs").asDouble()).isNotNegative();
        // three rebuilds by default, slowest first; the figure is the middle one
        JsonNode rebuilds = report.get("rebuildRunsEventsPerSec");
        assertThat(rebuilds).hasSize(3);
        assertThat(rebuilds.get(0).asLong()).isLessThanOrEqualTo(rebuilds.get(1).asLong());
        assertThat(rebuilds.get(1).asLong()).isLessThanOrEqualTo(rebuilds.get(2).asLong());
        assertThat(report.get("rebuildEventsPerSec").asLong()).isEqualTo(rebuilds.get(1).asLong());
        assertThat(report.get("asOfSamples").asInt()).isEqualTo(50);
        assertThat(report.get("asOfP50Ms").asDouble()).isPositive()
                .isLessThanOrEqualTo(report.get("asOfP99Ms").asDouble());
        assertThat(report.get("asOfP99Ms").asDouble()).isLessThanOrEqualTo(report.get("asOfMaxMs").asDouble());
        assertThat(report.get("asOfStateRows").asDouble()).isPositive();
        assertThat(report.get("asOfReadsWithCollection").asInt()).isBetween(0, 50);
        // the reads' warm-up: whole rounds, at least its minimum time (or stopped at its maximum)
        assertThat(report.get("asOfWarmupReads").asInt()).isPositive()
                .matches(n -> n % Bench.READS_WARMUP_ROUND == 0);
        assertThat(report.get("asOfWarmupSeconds").asDouble())
                .isGreaterThanOrEqualTo(Bench.READS_MIN_WARMUP_MS / 1e3 - 0.05);

        // the library replay runs when the jar is built, else it says why it was skipped
        JsonNode replaySeconds = report.get("replayLibrarySeconds");
        if (replaySeconds.isNull()) {
            assertThat(report.get("replayLibraryNote").asText()).isNotBlank();
        } else {
            assertThat(replaySeconds.asDouble()).isPositive();
            assertThat(report.get("replayLibraryScenarios").asInt()).isPositive();
            assertThat(report.get("replayLibraryExit").isInt()).isTrue();
        }

        // nine, and the library's replay time when it ran
        assertThat(report.get("targets")).hasSize(replaySeconds.isNull() ? 9 : 10);
        for (JsonNode target : report.get("targets")) {
            assertThat(target.get("name").asText()).isNotBlank();
            assertThat(target.get("bound").asText()).isNotBlank();
            assertThat(target.get("met").isBoolean()).isTrue();
        }
        assertThat(report.get("totalSeconds").asDouble()).isPositive();
    }

    @Test
    void too_few_events_is_a_usage_error() {
        assertThat(PciTimelineCommand.commandLine().execute("bench", "--events", "10")).isEqualTo(2);
    }

    @Test
    void negative_warm_up_rounds_is_a_usage_error() {
        assertThat(PciTimelineCommand.commandLine().execute("bench", "--warm-up-rounds", "-1")).isEqualTo(2);
    }
}
