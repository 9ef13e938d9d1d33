package dev.pcitimeline.projections.audit;

import dev.pcitimeline.domain.command.CreateSystem;
import dev.pcitimeline.domain.command.RunStep;
import dev.pcitimeline.domain.command.StepResult;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.query.StateQueries;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.ApplicationContext;

import java.time.Duration;
import java.util.List;

import static dev.pcitimeline.domain.hardware.FunctionSpec.bridge;
import static dev.pcitimeline.domain.hardware.FunctionSpec.endpoint;
import static dev.pcitimeline.domain.value.DeviceKind.DOWNSTREAM_PORT;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_TO_PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.ROOT_PORT;
import static dev.pcitimeline.domain.value.DeviceKind.UPSTREAM_PORT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Machines and histories the audit and diff tests share, sent as real commands and projected.
 *
 * <p>{@link #reportExactTable()} is scenarios/library/report-exact-table.yaml (its comments show the
 * arithmetic). Its history, worked out from XEN-MODEL.md §2/§3: 1 SystemCreated; step 0 xen-boot 3..12
 * (2 marker, 3 XenBooted, 4..11 alloc 00:01.0 00:1c.0 01:00.0 02:00.0 02:01.0 03:00.0 05:00.0 06:01.0,
 * 12 to d0); step 1 dom0-boot {assign-busses} 14..51 (13 marker): 19/20 pass 0 of rp1/rp3, rp3 0/6/ff at
 * 40, tundra found and reported at 06:00.0 at 41/42 with its firmware 05/06/07, tundra 0/0/0 at 43 and
 * 06/07/ff at 44, pcibr reported at 07:01.0 at 45/46 with 06/07/07, tundra 06/07/08 at 50, rp3 00/06/08 at
 * 51; step 2 dom0-report-all {remove-first} 53..68 (52 marker): remove/add of 00:01.0 53/54, 00:1c.0 55/56,
 * 01:00.0 57/58, 02:00.0 59/60, 02:01.0 61/62, 03:00.0 63/64, 06:00.0 65/66, 07:01.0 67/68.
 *
 * <p>{@link #seed()} is the seed machine of SCENARIOS.md (rp3 > tundra 05:00.0 > pcibr 06:01.0 > nic-old
 * 07:00.0, igb0 00:02.0 with SR-IOV): step 0 xen-boot 3..9 (alloc 05:00.0 at 6, 06:01.0 at 7, 07:00.0 at 8);
 * step 1 dom0-boot {assign-busses} 11..30: rp3 0/0/0 at 16 and 0/2/ff at 17, tundra reported at 02:00.0 at 19
 * (registers 05/06/07), tundra 2/3/ff at 21, pcibr reported at 03:01.0 at 23, nic-old at 04:00.0 at 27,
 * tundra 02/03/04 at 29, rp3 00/02/04 at 30; step 2 remove 0000:05:00.0 at 32 hangs Xen 4.4 (free_pdev
 * reads ff/ff where nothing answers).
 */
public final class AuditFixtures {
    public static final Step XEN_BOOT = new Step.XenBoot();
    public static final Step DOM0_BOOT_ASSIGN_BUSSES = new Step.Dom0Boot(true, Step.Reporting.DISCOVERY);
    public static final Step REPORT_ALL_REMOVE_FIRST = new Step.Dom0ReportAll(true);

    private AuditFixtures() {
    }

    public static List<FunctionSpec> reportExactTable() {
        return List.of(
                bridge("rp1", "01.0", ROOT_PORT, 0, 1, 4,
                        bridge("usp", "00.0", UPSTREAM_PORT, 1, 2, 4,
                                bridge("dsp1", "00.0", DOWNSTREAM_PORT, 2, 3, 3,
                                        endpoint("igb", "00.0", PCIE_ENDPOINT).withSriov(new SriovSpec(7, 384, 2, 0))),
                                bridge("dsp2", "01.0", DOWNSTREAM_PORT, 2, 4, 4))),
                bridge("rp3", "1c.0", ROOT_PORT, 0, 5, 7,
                        bridge("tundra", "00.0", PCIE_TO_PCI_BRIDGE, 5, 6, 7,
                                bridge("pcibr", "01.0", PCI_BRIDGE, 6, 7, 7))));
    }

    public static List<FunctionSpec> seed() {
        return List.of(
                bridge("rp3", "1c.0", ROOT_PORT, 0, 5, 7,
                        bridge("tundra", "00.0", PCIE_TO_PCI_BRIDGE, 5, 6, 7,
                                bridge("pcibr", "01.0", PCI_BRIDGE, 6, 7, 7,
                                        endpoint("nic-old", "00.0", PCI_ENDPOINT)))),
                endpoint("igb0", "02.0", PCIE_ENDPOINT).withSriov(new SriovSpec(7, 384, 2, 0)));
    }

    /** Creates system {@code id} on {@code topology}, runs {@code steps}, waits for the views; returns its events. */
    public static long run(ApplicationContext context, String id, String scenario, Policy policy,
                           List<FunctionSpec> topology, Step... steps) {
        CommandGateway gateway = context.getBean(CommandGateway.class);
        StateQueries queries = context.getBean(StateQueries.class);
        gateway.sendAndWait(new CreateSystem(id, scenario, scenario, policy, 0, topology));
        long events = 1;
        for (Step step : steps) {
            StepResult result = gateway.sendAndWait(new RunStep(id, step));
            events = result.events();
        }
        assertThat(queries.awaitProcessed(id, events, Duration.ofSeconds(60))).isTrue();
        return events;
    }
}
