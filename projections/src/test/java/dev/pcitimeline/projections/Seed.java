package dev.pcitimeline.projections;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.SystemCreated;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.machine.Machine;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.domain.xen.XenTrace;

import java.util.ArrayList;
import java.util.List;

import static dev.pcitimeline.domain.hardware.FunctionSpec.bridge;
import static dev.pcitimeline.domain.hardware.FunctionSpec.endpoint;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.PCIE_TO_PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_BRIDGE;
import static dev.pcitimeline.domain.value.DeviceKind.PCI_ENDPOINT;
import static dev.pcitimeline.domain.value.DeviceKind.ROOT_PORT;

/** The seed machine of SCENARIOS.md and histories recorded on it the way the aggregate records them. */
public final class Seed {
    public static final Step XEN_BOOT = new Step.XenBoot();
    public static final Step DOM0_BOOT_ASSIGN_BUSSES = new Step.Dom0Boot(true, Step.Reporting.DISCOVERY);
    /** Under xen-4.4 free_pdev reads 0xff/0xff where tundra used to answer and hangs; fix-remember-range does not. */
    public static final Step REMOVE_OLD_TUNDRA = new Step.Remove(Bdf.parse("0000:05:00.0"));
    public static final Step REPORT_ALL_REMOVE_FIRST = new Step.Dom0ReportAll(true);

    private Seed() {
    }

    /**
     * rp3 00:1c.0 root-port [0,5,7] > tundra 00.0 pcie-to-pci-bridge [5,6,7] > pcibr 01.0 pci-bridge [6,7,7] >
     * nic-old 00.0 pci-endpoint; igb0 02.0 pcie-endpoint, SR-IOV total 7, offset 384, stride 2.
     */
    public static List<FunctionSpec> topology() {
        return List.of(
                bridge("rp3", "1c.0", ROOT_PORT, 0, 5, 7,
                        bridge("tundra", "00.0", PCIE_TO_PCI_BRIDGE, 5, 6, 7,
                                bridge("pcibr", "01.0", PCI_BRIDGE, 6, 7, 7,
                                        endpoint("nic-old", "00.0", PCI_ENDPOINT)))),
                endpoint("igb0", "02.0", PCIE_ENDPOINT).withSriov(new SriovSpec(7, 384, 2, 0)));
    }

    public static SystemCreated created(String systemId, Policy policy) {
        return new SystemCreated(systemId, "seed", "the seed topology of SCENARIOS.md", policy, 0, topology());
    }

    /** SystemCreated then every event of {@code steps}, recorded as PciSegment does. */
    public static List<SegmentEvent> history(String systemId, Policy policy, Step... steps) {
        SystemCreated created = created(systemId, policy);
        Machine machine = Machine.created(created);
        List<SegmentEvent> events = new ArrayList<>(List.of(created));
        for (Step step : steps) {
            for (SegmentEvent e : machine.record(step).events()) {
                machine.apply(e, XenTrace.NONE);
                events.add(e);
            }
        }
        return events;
    }
}
