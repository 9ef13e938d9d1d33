package dev.pcitimeline.projections.it;

import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.Seed;
import dev.pcitimeline.projections.query.StateDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reset of the views truncates the tables in transactions of its own, after committing a pending flag, and
 * clears the flag with the new tokens (ViewsReset). A process that stops in between finds the tables empty (or
 * half emptied) and its tokens where they were: at its next start it must rebuild the very same rows, not carry on
 * from the old tokens over empty tables. A store an older build made gets the same flag from the V5 migration.
 */
class InterruptedResetTest {
    private static final String ID = "interrupted";

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(TestApplication.class)
                .properties("pcitimeline.db=" + dir.toAbsolutePath(), "spring.main.banner-mode=off",
                        "pcitimeline.views.checkpoint-interval=6")
                .run();
    }

    @Test
    void a_restart_in_the_middle_of_a_reset_resets_again() {
        long events;
        List<String> rows;
        StateDocument now;
        try (ConfigurableApplicationContext first = start()) {
            Driver driver = new Driver(first);
            events = driver.seed(ID, Policy.XEN_4_4, Seed.XEN_BOOT, Seed.DOM0_BOOT_ASSIGN_BUSSES,
                    Seed.REPORT_ALL_REMOVE_FIRST, Seed.REPORT_ALL_REMOVE_FIRST, Seed.REMOVE_OLD_TUNDRA);
            driver.awaitProjection(ID, events);
            driver.awaitCaughtUp();
            rows = driver.dumpViews();
            now = driver.queries.state(ID, null, null, null);
            // What a reset does before the token update, then the process stops: the flag committed, some of the
            // tables truncated (each TRUNCATE commits on H2), the processor's tokens untouched.
            driver.views().shutDown();
            driver.jdbc.update("INSERT INTO view_reset_pending (id, requested_at) VALUES (1, CURRENT_TIMESTAMP)");
            driver.jdbc.update("TRUNCATE TABLE view_checkpoints");
            driver.jdbc.update("TRUNCATE TABLE view_finding_kinds");
            driver.jdbc.update("TRUNCATE TABLE view_systems");
        }
        try (ConfigurableApplicationContext second = start()) {
            Driver driver = new Driver(second);
            driver.awaitProjection(ID, events);
            driver.awaitCaughtUp();
            assertThat(driver.jdbc.queryForObject("SELECT COUNT(*) FROM view_reset_pending", Long.class)).isZero();
            assertThat(driver.dumpViews()).containsExactlyElementsOf(rows);
            assertThat(driver.queries.state(ID, null, null, null)).isEqualTo(now);
            driver.foldEveryEvent(ID, null, (n, folded) -> assertThat(
                    driver.queries.state(ID, Math.toIntExact(n), null, null)).as("event %d", n).isEqualTo(folded));
        }
    }

    @Test
    void a_reset_clears_its_flag_with_the_tokens() {
        try (ConfigurableApplicationContext context = start()) {
            Driver driver = new Driver(context);
            long events = driver.seed(ID, Policy.XEN_4_4, Seed.XEN_BOOT, Seed.DOM0_BOOT_ASSIGN_BUSSES,
                    Seed.REPORT_ALL_REMOVE_FIRST);
            driver.awaitProjection(ID, events);
            assertThat(driver.checkpoints(ID)).isPositive();
            driver.views().shutDown();
            driver.views().resetTokens();
            assertThat(driver.jdbc.queryForObject("SELECT COUNT(*) FROM view_reset_pending", Long.class)).isZero();
            assertThat(driver.jdbc.queryForObject("SELECT COUNT(*) FROM view_checkpoints", Long.class)).isZero();
            driver.views().start();
            driver.awaitProjection(ID, events);
            driver.foldEveryEvent(ID, null, (n, folded) -> assertThat(
                    driver.queries.state(ID, Math.toIntExact(n), null, null)).as("event %d", n).isEqualTo(folded));
        }
    }
}
