package dev.pcitimeline.projections.it;

import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.Seed;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.views.Views;
import dev.pcitimeline.projections.views.ViewsRebuild;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two systems whose commands alternate, with a cursor cache of one: nearly every batch misses
 * and rebuilds its cursor from the event store. The tables must still equal the in-memory fold,
 * and resetting the processor (delete everything, replay from the first event) must give the
 * very same rows.
 */
@SpringBootTest(classes = TestApplication.class,
        properties = {"pcitimeline.db=mem", "pcitimeline.views.cursor-cache-size=1",
                "pcitimeline.views.checkpoint-interval=16",
                // a snapshot on this short history, so the rebuild meets one in the store
                "pcitimeline.snapshot-every=" + RebuildTest.SNAPSHOT_EVERY})
class RebuildTest {
    static final int SNAPSHOT_EVERY = 100;

    @Autowired
    ApplicationContext context;

    @Test
    void cache_misses_and_a_full_rebuild_give_the_same_rows() {
        Driver driver = new Driver(context);
        long a = driver.seed("rebuild-a", Policy.XEN_4_4);
        long b = driver.seed("rebuild-b", Policy.FIX_INVALIDATE_LOOP);
        List<Step> steps = List.of(Seed.XEN_BOOT, Seed.DOM0_BOOT_ASSIGN_BUSSES, Seed.REPORT_ALL_REMOVE_FIRST,
                Seed.REPORT_ALL_REMOVE_FIRST, Seed.REPORT_ALL_REMOVE_FIRST, Seed.REPORT_ALL_REMOVE_FIRST,
                Seed.REPORT_ALL_REMOVE_FIRST, new Step.XenBoot(), Seed.REPORT_ALL_REMOVE_FIRST,
                Seed.REPORT_ALL_REMOVE_FIRST, Seed.REMOVE_OLD_TUNDRA);
        for (Step step : steps) {
            a = driver.run("rebuild-a", step).events();
            b = driver.run("rebuild-b", step).events();
        }
        assertThat(a).isGreaterThan(SNAPSHOT_EVERY);
        driver.awaitProjection("rebuild-a", a);
        driver.awaitProjection("rebuild-b", b);

        for (String id : List.of("rebuild-a", "rebuild-b")) {
            driver.foldEveryEvent(id, null, (n, folded) -> assertThat(
                    driver.queries.state(id, Math.toIntExact(n), null, null)).as("%s event %d", id, n)
                    .isEqualTo(folded));
        }
        assertThat(driver.keysWithTwoOpenVersions()).isEmpty();
        assertThat(driver.checkpoints("rebuild-a")).as("checkpoints").isGreaterThan(3);
        // the aggregate took a snapshot on the way (every 100 events)
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.jdbc.queryForObject(
                "SELECT COUNT(*) FROM SnapshotEventEntry WHERE aggregateIdentifier = 'rebuild-a'", Long.class) > 0);

        List<String> before = driver.dumpViews();
        StateDocument nowBefore = driver.queries.state("rebuild-a", null, null, null);

        driver.views().shutDown();
        driver.views().resetTokens();
        assertThat(driver.queries.systems()).isEmpty();
        driver.views().start();
        driver.awaitProjection("rebuild-a", a);
        driver.awaitProjection("rebuild-b", b);
        driver.awaitCaughtUp();

        assertThat(driver.dumpViews()).containsExactlyElementsOf(before);
        assertThat(driver.queries.state("rebuild-a", null, null, null)).isEqualTo(nowBefore);

        // the bulk rebuild (no processor: the storage engine's stream, then the tokens) gives them too
        driver.views().shutDown();
        ViewsRebuild.Result result = context.getBean(Views.class).rebuild().rebuild(n -> {
        });
        assertThat(result.events()).isEqualTo(a + b);
        assertThat(driver.dumpViews()).containsExactlyElementsOf(before);
        driver.views().start();
        // the processor carries on from the rebuild's tokens: nothing replayed, new events folded
        long more = driver.run("rebuild-a", Seed.REPORT_ALL_REMOVE_FIRST).events();
        driver.awaitProjection("rebuild-a", more);
        driver.foldEveryEvent("rebuild-a", null, (n, folded) -> assertThat(
                driver.queries.state("rebuild-a", Math.toIntExact(n), null, null)).as("event %d", n)
                .isEqualTo(folded));
        assertThat(driver.keysWithTwoOpenVersions()).isEmpty();
    }
}
