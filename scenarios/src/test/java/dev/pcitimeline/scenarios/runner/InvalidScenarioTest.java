package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.projections.views.ViewProjection;
import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Broken scenario files (src/test/resources/invalid) that the runner must reject as a whole:
 * file-level mistakes from the parser and steps the hardware model refuses at the moment they
 * run. Each file says in a comment what is broken ({@code # broken:}), which key the error must
 * name ({@code # key:}) and marks the line it must name ({@code # <- error}). The error names
 * file, line and key, and nothing of the file reaches the event store or the views.
 */
@SpringBootTest(classes = ScenarioTestApplication.class, properties = "pcitimeline.db=mem")
class InvalidScenarioTest {
    private static final Pattern KEY = Pattern.compile("^# key: (\\S+)$", Pattern.MULTILINE);
    private static final String MARK = "# <- error";

    private final ScenarioParser parser = new ScenarioParser();

    @Autowired
    ScenarioRunner runner;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventProcessingConfiguration processing;

    @TestFactory
    Stream<DynamicTest> every_invalid_file_is_rejected_whole() throws IOException {
        List<Path> files = files("invalid");
        assertThat(files).as("broken files").hasSizeGreaterThanOrEqualTo(20);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String text = Files.readString(file);
            assertThat(text).as("%s says what is broken", file.getFileName()).startsWith("# broken: ");
            Matcher key = KEY.matcher(text);
            assertThat(key.find()).as("%s has a '# key:' comment", file.getFileName()).isTrue();
            List<String> lines = text.lines().toList();
            List<Integer> marked = IntStream.range(0, lines.size()).filter(i -> lines.get(i).endsWith(MARK))
                    .mapToObj(i -> i + 1).toList();
            assertThat(marked).as("%s marks exactly one line with '%s'", file.getFileName(), MARK).hasSize(1);
            String name = file.getFileName().toString();
            int line = marked.get(0);

            Map<String, Long> before = stored();
            ScenarioException e = catchThrowableOfType(() -> runner.replay(parser.parse(file), ReplayOptions.DEFAULT),
                    ScenarioException.class);

            assertThat(e).as("%s is rejected with a ScenarioException", name).isNotNull();
            assertThat(e.file()).as("file of: %s", e.getMessage()).isEqualTo(name);
            assertThat(e.line()).as("line of: %s", e.getMessage()).isEqualTo(line);
            assertThat(e.key()).as("key of: %s", e.getMessage()).isEqualTo(key.group(1));
            assertThat(e.getMessage()).startsWith(name + ":" + line + ": " + key.group(1) + ": ");
            assertThat(e.reason()).as("reason of: %s", e.getMessage()).isNotBlank();
            assertThat(stored()).as("rows stored after rejecting %s", name).isEqualTo(before);
        }));
    }

    /** The counts above can move: a valid file with the same topology and similar steps is stored. */
    @Test
    void a_valid_file_with_the_same_topology_is_stored() throws IOException {
        Path control = files("valid").stream().filter(p -> p.getFileName().toString().equals("control.yaml"))
                .findFirst().orElseThrow();
        Map<String, Long> before = stored();
        ReplayResult result = runner.replay(parser.parse(control), ReplayOptions.DEFAULT);
        assertThat(result.passed()).as("%s", result.state().expectations()).isTrue();
        Map<String, Long> after = stored();
        assertThat(after.get("DomainEventEntry")).isGreaterThan(before.get("DomainEventEntry"));
        assertThat(after.get("view_systems")).isEqualTo(before.get("view_systems") + 1);
    }

    /** Events in the store and systems in the views, once the views have caught up. */
    private Map<String, Long> stored() {
        TrackingEventProcessor views = processing.eventProcessor(ViewProjection.PROCESSING_GROUP,
                TrackingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                !views.processingStatus().isEmpty()
                        && views.processingStatus().values().stream().allMatch(EventTrackerStatus::isCaughtUp));
        return Map.of("DomainEventEntry", jdbc.queryForObject("SELECT COUNT(*) FROM DomainEventEntry", Long.class),
                "view_systems", jdbc.queryForObject("SELECT COUNT(*) FROM view_systems", Long.class));
    }

    private static List<Path> files(String folder) throws IOException {
        Path dir;
        try {
            dir = Path.of(InvalidScenarioTest.class.getResource("/" + folder).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
