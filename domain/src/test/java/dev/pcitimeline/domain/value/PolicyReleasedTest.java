package dev.pcitimeline.domain.value;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * XEN-MODEL.md §4b: "None of the three fixes of the original report is in any release". So released() is false for
 * exactly those three, and true for xen-4.4 and every release policy (a new release constant needs nothing more).
 */
class PolicyReleasedTest {

    @Test
    void the_reports_three_fixes_were_never_released() {
        List<Policy> unreleased = Arrays.stream(Policy.values()).filter(p -> !p.released()).toList();
        assertThat(unreleased).containsExactlyInAnyOrder(Policy.FIX_INVALIDATE_LOOP, Policy.FIX_TRAP_BUS_WRITES,
                Policy.FIX_REMEMBER_RANGE);
    }

    @Test
    void every_xen_release_policy_is_released() {
        assertThat(Policy.XEN_4_4.released()).isTrue();
        Arrays.stream(Policy.values()).filter(p -> p.text().startsWith("xen-"))
                .forEach(p -> assertThat(p.released()).as(p.text()).isTrue());
    }
}
