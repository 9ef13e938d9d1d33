package dev.pcitimeline.scenarios.evidence;

import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.view.Finding;
import dev.pcitimeline.scenarios.format.ExpectedFinding;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import dev.pcitimeline.scenarios.runner.ScenarioValidator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Delta debugging of the report's exact-table scenario, and what the minimized file says. */
class MinimizerTest {
    static final Path LIBRARY = Path.of("library");
    private final ScenarioParser parser = new ScenarioParser();

    private History reportExactTable(Policy policy) {
        return History.of(parser.parse(LIBRARY.resolve("report-exact-table.yaml")), policy);
    }

    /**
     * By hand from XEN-MODEL.md: after xen-boot alone bus2bridge is {6: 05:00.0, 7: 06:01.0} and every walk ends
     * (the library file's first expect), so the loop needs the dom0 boot; with pci=assign-busses the SR-IOV PF
     * pushes the Tundra bridge to 06:00.0, reported at discovery with its firmware registers 5/6/7, so alloc_pdev
     * maps bus 6 to 06:00.0 itself: the walk from bus 6 never ends. The remove-first report-all only adds loops on
     * buses 7 and 8. So two steps are all it takes, and nothing of what dom0-boot needs can go.
     */
    @Test
    void the_reports_exact_table_minimizes_to_xen_boot_and_an_assign_busses_dom0_boot() {
        ExpectedFinding loop6 = ExpectedFinding.parse("BUS2BRIDGE_LOOP:6");
        Minimizer.Result r = Minimizer.minimize(reportExactTable(null), loop6, false, null);

        assertThat(r.minimized().steps()).containsExactly(new Step.XenBoot(),
                new Step.Dom0Boot(true, Step.Reporting.DISCOVERY));
        assertThat(r.holding()).isEqualTo(new ExpectedFinding(ExpectedFinding.Kind.BUS2BRIDGE_LOOP, 6, null));
        assertThat(r.minimized().functions()).isLessThanOrEqualTo(r.original().functions());
        List<List<Finding>> after = r.minimized().findingsAfterEachStep(false);
        assertThat(after.get(after.size() - 1)).anyMatch(f -> f.kind() == Finding.Kind.BUS2BRIDGE_LOOP && f.bus() == 6);
        // the Tundra bridge is what loops: it cannot go
        assertThat(r.minimized().functionIds()).contains("tundra", "igb");
    }

    @Test
    void the_same_input_gives_the_same_file_and_it_is_a_valid_scenario_asserting_the_finding() {
        ExpectedFinding loop = ExpectedFinding.parse("BUS2BRIDGE_LOOP");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Minimizer.Result a = Minimizer.minimize(reportExactTable(null), loop, false,
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        Minimizer.Result b = Minimizer.minimize(reportExactTable(null), loop, false, null);
        String yaml = Minimizer.toYaml(a, "exact-min", "minimized", "report-exact-table.yaml");
        assertThat(Minimizer.toYaml(b, "exact-min", "minimized", "report-exact-table.yaml")).isEqualTo(yaml);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("steps", "functions left", "tries");

        Scenario written = parser.parse("exact-min.yaml", yaml);
        ScenarioValidator.validate(written);
        assertThat(yaml).contains("original: 3 steps, 8 functions");
        assertThat(written.steps()).hasSize(2);
        assertThat(written.steps().get(1).expectations()).singleElement()
                .satisfies(e -> assertThat(e.findings()).containsExactly(a.holding()));
    }

    @Test
    void with_anywhere_a_finding_that_goes_away_later_is_cut_where_it_holds() {
        // under fix-invalidate-loop the report-all repairs the table: the loop holds only after dom0-boot (step 1)
        History h = reportExactTable(Policy.FIX_INVALIDATE_LOOP);
        ExpectedFinding loop6 = ExpectedFinding.parse("BUS2BRIDGE_LOOP:6");
        assertThatThrownBy(() -> Minimizer.minimize(h, loop6, false, null))
                .hasMessageContaining("does not hold after the last step").hasMessageContaining("--anywhere");
        Minimizer.Result r = Minimizer.minimize(h, loop6, true, null);
        assertThat(r.minimized().steps()).hasSize(2);
        assertThat(r.minimized().policy()).isEqualTo(Policy.FIX_INVALIDATE_LOOP);
    }

    @Test
    void a_history_that_does_not_start_with_xen_boot_is_refused() {
        History h = reportExactTable(null);
        History noBoot = h.withSteps(h.steps().subList(1, h.steps().size()));
        assertThatThrownBy(() -> Minimizer.minimize(noBoot, ExpectedFinding.parse("BUS2BRIDGE_LOOP"), false, null))
                .hasMessageContaining("xen-boot");
    }
}
