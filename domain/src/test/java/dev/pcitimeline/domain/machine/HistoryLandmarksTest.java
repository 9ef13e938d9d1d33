package dev.pcitimeline.domain.machine;

import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.xen.Bus2BridgeRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryLandmarksTest {

    /**
     * The seed machine's xen-boot, by hand: SystemCreated 1, marker 2, XenBooted 3, then alloc_pdev of
     * 00:02.0 (4), 00:1c.0 (5), tundra 05:00.0 (6: fills 6..7), pcibr 06:01.0 (7: fills 7), nic-old (8) and
     * the hand-over to dom0 (9). A dom0-remove of an address Linux does not know produces nothing: marker 10.
     */
    private final HistoryLandmarks landmarks = HistoryLandmarks.record(
            new SystemCreated("s", "seed", null, Policy.XEN_4_4, 0, SeedReportTest.seed()),
            List.of(new Step.XenBoot(), new Step.Dom0Remove(Bdf.parse("0000:0a:00.0"))));

    @Test
    void a_step_spans_its_marker_and_the_events_it_produced() {
        assertThat(landmarks.step(0)).isEqualTo(new HistoryLandmarks.StepSpan(0, 2, 9));
        assertThat(landmarks.endOfStep(0)).isEqualTo(9);
        assertThat(landmarks.step(1)).isEqualTo(new HistoryLandmarks.StepSpan(1, 10, 10));
        assertThat(landmarks.lastEvent()).isEqualTo(10);
        assertThatThrownBy(() -> landmarks.step(2)).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("no step 2");
    }

    @Test
    void bus2bridge_writes_are_found_by_bus_rule_and_step() {
        assertThat(landmarks.writes(6, Bus2BridgeRule.ALLOC_FILL)).extracting(HistoryLandmarks.Bus2BridgeWrite::event)
                .containsExactly(6L);
        assertThat(landmarks.writes(7, Bus2BridgeRule.ALLOC_FILL)).extracting(HistoryLandmarks.Bus2BridgeWrite::event)
                .containsExactly(6L, 7L);
        assertThat(landmarks.write(7, Bus2BridgeRule.ALLOC_FILL, 0)).isEqualTo(6);
        assertThat(landmarks.writes(6, Bus2BridgeRule.FREE_COPY)).isEmpty();
        assertThatThrownBy(() -> landmarks.write(6, Bus2BridgeRule.ALLOC_FILL, 1))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("step 1");
    }
}
