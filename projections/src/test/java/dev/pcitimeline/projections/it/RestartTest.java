package dev.pcitimeline.projections.it;

import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.Seed;
import dev.pcitimeline.projections.query.TimelineEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An H2 file store across two application runs: the second run finds the views where the first
 * left them (nothing replayed, nothing duplicated), loads the aggregate from its snapshot, and
 * carries on folding with a cursor rebuilt from the stored events.
 */
class RestartTest {
    private static final String ID = "restarted";
    private static final int SNAPSHOT_EVERY = 100;

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(TestApplication.class)
                .properties("pcitimeline.db=" + dir.toAbsolutePath(), "spring.main.banner-mode=off",
                        // checkpoints every few steps: the second run resumes the cursor from one
                        "pcitimeline.views.checkpoint-interval=16",
                        // a snapshot on this short history: the second run loads the aggregate from it
                        "pcitimeline.snapshot-every=" + SNAPSHOT_EVERY)
                .run();
    }

    @Test
    void a_restart_resumes_without_duplicating_rows() {
        long events;
        List<String> rows;
        try (ConfigurableApplicationContext first = start()) {
            Driver driver = new Driver(first);
            events = driver.seed(ID, Policy.XEN_4_4, Seed.XEN_BOOT, Seed.REPORT_ALL_REMOVE_FIRST,
                    Seed.REPORT_ALL_REMOVE_FIRST, Seed.REPORT_ALL_REMOVE_FIRST, Seed.REPORT_ALL_REMOVE_FIRST,
                    Seed.REPORT_ALL_REMOVE_FIRST, Seed.REPORT_ALL_REMOVE_FIRST, Seed.REPORT_ALL_REMOVE_FIRST,
                    Seed.REPORT_ALL_REMOVE_FIRST);
            assertThat(events).isGreaterThan(SNAPSHOT_EVERY);
            driver.awaitProjection(ID, events);
            driver.awaitCaughtUp();
            rows = driver.dumpViews();
        }
        try (ConfigurableApplicationContext second = start()) {
            Driver driver = new Driver(second);
            driver.awaitCaughtUp();
            assertThat(driver.dumpViews()).containsExactlyElementsOf(rows);
            assertThat(driver.jdbc.queryForObject("SELECT COUNT(*) FROM SnapshotEventEntry", Long.class)).isPositive();

            long more = driver.run(ID, Seed.DOM0_BOOT_ASSIGN_BUSSES).events();
            more = driver.run(ID, new Step.Dom0Rescan(6)).events();
            more = driver.run(ID, Seed.REMOVE_OLD_TUNDRA).events();
            assertThat(more).isGreaterThan(events);
            driver.awaitProjection(ID, more);

            assertThat(driver.queries.timeline(ID, null, null)).extracting(TimelineEntry::event)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, more).boxed().toList());
            assertThat(driver.queries.system(ID).orElseThrow().steps()).isEqualTo(12);
            assertThat(driver.checkpoints(ID)).isGreaterThan(1);
            assertThat(driver.keysWithTwoOpenVersions()).isEmpty();
            driver.foldEveryEvent(ID, null, (n, folded) -> assertThat(
                    driver.queries.state(ID, Math.toIntExact(n), null, null)).as("event %d", n).isEqualTo(folded));
        }
    }
}
