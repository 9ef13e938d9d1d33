package dev.pcitimeline.scenarios.synthetic;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.machine.StepRecording;
import dev.pcitimeline.domain.machine.StepRule;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.DeviceKind;
import dev.pcitimeline.domain.xen.XenTrace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's history generator: deterministic, realistic, and every step a valid one. */
class SyntheticHistoryGeneratorTest {

    @Test
    void the_same_seed_gives_the_same_history_and_another_seed_another() {
        SyntheticHistory a = SyntheticHistoryGenerator.generate("s", 7, 3_000, true);
        SyntheticHistory b = SyntheticHistoryGenerator.generate("s", 7, 3_000, true);
        SyntheticHistory c = SyntheticHistoryGenerator.generate("s", 8, 3_000, true);
        assertThat(b.topology()).isEqualTo(a.topology());
        assertThat(b.steps()).isEqualTo(a.steps());
        assertThat(b.events()).isEqualTo(a.events());
        assertThat(c.steps()).isNotEqualTo(a.steps());
    }

    @Test
    void every_step_keeps_every_rule_and_the_events_are_what_the_aggregate_would_record() {
        for (long seed : new long[]{1, 2, 3}) {
            SyntheticHistory h = SyntheticHistoryGenerator.generate("s", seed, 5_000, true);
            Machine machine = Machine.created(h.created());
            List<SegmentEvent> events = new ArrayList<>(List.of(h.created()));
            for (Step step : h.steps()) {
                for (StepRule rule : StepRule.ALL) {
                    assertThat(rule.check(machine, step)).as("seed %d, step %s", seed, step).isEmpty();
                }
                StepRecording recording = machine.record(step);
                for (SegmentEvent e : recording.events()) {
                    machine.apply(e, XenTrace.NONE);
                }
                events.addAll(recording.events());
            }
            assertThat(events).isEqualTo(h.events());
            assertThat(machine.eventCount()).isEqualTo(h.eventCount()).isGreaterThanOrEqualTo(5_000);
            assertThat(h.events()).hasSize((int) h.eventCount());
        }
    }

    @Test
    void the_history_is_a_realistic_mix_on_a_realistic_machine() {
        SyntheticHistory h = SyntheticHistoryGenerator.generate("s", 1, 20_000, false);
        assertThat(h.events()).as("not kept when not asked for").isEmpty();
        Set<String> keywords = new HashSet<>();
        h.steps().forEach(s -> keywords.add(s.keyword()));
        assertThat(keywords).containsExactlyInAnyOrder("xen-boot", "reboot", "dom0-boot", "dom0-remove",
                "dom0-rescan", "linux-assign-busses", "write-bridge-buses", "enable-sriov", "disable-sriov", "add",
                "remove", "dom0-report-all", "assign", "deassign", "unplug", "plug");
        assertThat(h.steps()).anyMatch(s -> s instanceof Step.Dom0Boot b && b.assignBusses())
                .anyMatch(s -> s instanceof Step.Dom0Boot b && !b.assignBusses());
        Set<DeviceKind> kinds = new HashSet<>();
        Machine machine = Machine.created(h.created());
        machine.hardware().allFunctions().forEach(f -> kinds.add(f.kind()));
        assertThat(kinds).contains(DeviceKind.HOST_BRIDGE, DeviceKind.ROOT_PORT, DeviceKind.UPSTREAM_PORT,
                DeviceKind.DOWNSTREAM_PORT, DeviceKind.PCIE_TO_PCI_BRIDGE, DeviceKind.PCI_BRIDGE,
                DeviceKind.PCIE_ENDPOINT, DeviceKind.PCI_ENDPOINT);
        assertThat(machine.hardware().allFunctions()).hasSizeGreaterThan(40)
                .anyMatch(f -> f.isPhysicalFunction());
        // macro steps carry many events: far fewer commands than events
        assertThat(h.steps().size()).isLessThan((int) h.eventCount() / 4);
    }
}
