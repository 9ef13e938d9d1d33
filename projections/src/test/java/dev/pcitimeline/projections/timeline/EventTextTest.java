package dev.pcitimeline.projections.timeline;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.XenDeviceType;
import dev.pcitimeline.domain.view.MachineView;
import dev.pcitimeline.domain.view.MachineView.PdevRow;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeline's Xen lines are Xen's own console messages (xen/drivers/passthrough/pci.c, vtd/iommu.c), as
 * {@code xl dmesg} shows them with loglvl=all iommu=debug; what Xen does silently is in the model's words under
 * {@code [xen]}, never {@code (XEN)}.
 */
class EventTextTest {
    static final Bdf NIC = Bdf.parse("0000:06:00.0");
    static final Bdf VF = Bdf.parse("0000:02:10.0");
    static final Bdf PF = Bdf.parse("0000:01:00.0");

    static MachineView owning(Bdf bdf, XenDeviceType type, Integer domain) {
        return new MachineView(10, 1, false, List.of(new PdevRow(bdf, type, domain, null, "nic")), List.of(), List.of(),
                List.of(), List.of(), List.of());
    }

    @Test
    void pci_add_and_remove_are_xens_own_lines() {
        assertThat(EventText.of(new SegmentEvent.PciDeviceAddCalled("s", NIC, null, "dom0", null, List.of()), Outcome.OK))
                .isEqualTo("(XEN) PCI add device 0000:06:00.0");
        assertThat(EventText.of(new SegmentEvent.PciDeviceAddCalled("s", VF, PF, "dom0", null, List.of()), Outcome.OK))
                .isEqualTo("(XEN) PCI add virtual function 0000:02:10.0");
        assertThat(EventText.of(new SegmentEvent.PciDeviceRemoveCalled("s", NIC, "dom0", null, List.of()), Outcome.OK))
                .isEqualTo("(XEN) PCI remove device 0000:06:00.0");
    }

    @Test
    void a_result_xen_does_not_print_is_set_apart_from_its_line() {
        // remove of an unowned pdev: Xen frees it and prints the line; the call returns EINVAL
        assertThat(EventText.of(new SegmentEvent.PciDeviceRemoveCalled("s", NIC, "dom0", null, List.of()),
                Outcome.EINVAL)).isEqualTo("(XEN) PCI remove device 0000:06:00.0  [-> EINVAL]");
    }

    @Test
    void what_xen_does_silently_is_not_a_xen_line() {
        String noPdev = EventText.of(new SegmentEvent.PciDeviceRemoveCalled("s", NIC, "dom0", null, List.of()),
                Outcome.ENODEV);
        assertThat(noPdev).startsWith("[xen] PHYSDEVOP_pci_device_remove 0000:06:00.0").contains("ENODEV")
                .doesNotContain("(XEN)");
        String hung = EventText.of(new SegmentEvent.PciDeviceAddCalled("s", NIC, null, "dom0", null, List.of()),
                Outcome.HUNG);
        assertThat(hung).startsWith("[xen] ").contains("HUNG").doesNotContain("(XEN)");
        assertThat(EventText.of(new SegmentEvent.XenBooted("s"), Outcome.OK)).startsWith("[xen] ");
        assertThat(EventText.of(new SegmentEvent.PdevAllocatedAtBoot("s", NIC, null, List.of()), Outcome.OK))
                .startsWith("[xen] PCI scan: alloc_pdev 0000:06:00.0");
    }

    @Test
    void a_successful_assign_is_the_vtd_map_line_for_the_new_owner() {
        SegmentEvent.AssignDeviceCalled assign = new SegmentEvent.AssignDeviceCalled("s", NIC, DomainId.of(1), null,
                List.of());
        assertThat(EventText.of(assign, Outcome.OK, owning(NIC, XenDeviceType.PCI, 1)))
                .isEqualTo("(XEN) [VT-D]d1:PCI: map 0000:06:00.0");
        assertThat(EventText.of(assign, Outcome.OK, owning(NIC, XenDeviceType.PCIe_ENDPOINT, 1)))
                .isEqualTo("(XEN) [VT-D]d1:PCIe: map 0000:06:00.0");
        // a bridge: domain_context_mapping prints nothing for it
        assertThat(EventText.of(assign, Outcome.OK, owning(NIC, XenDeviceType.PCIe2PCI_BRIDGE, 1)))
                .isEqualTo("[xen] XEN_DOMCTL_assign_device 0000:06:00.0 to d1");
        SegmentEvent.DeassignDeviceCalled back = new SegmentEvent.DeassignDeviceCalled("s", NIC, null, List.of());
        assertThat(EventText.of(back, Outcome.OK, owning(NIC, XenDeviceType.PCI, 0)))
                .isEqualTo("(XEN) [VT-D]d0:PCI: map 0000:06:00.0");
    }

    @Test
    void a_refused_assign_is_xens_error_line_with_the_negated_errno() {
        SegmentEvent.AssignDeviceCalled assign = new SegmentEvent.AssignDeviceCalled("s", NIC, DomainId.of(2), null,
                List.of());
        assertThat(EventText.of(assign, Outcome.EBUSY, owning(NIC, XenDeviceType.PCI, 1)))
                .isEqualTo("(XEN) XEN_DOMCTL_assign_device: assign 0000:06:00.0 to dom2 failed (-16)");
        assertThat(EventText.of(assign, Outcome.EINVAL))
                .isEqualTo("(XEN) XEN_DOMCTL_assign_device: assign 0000:06:00.0 to dom2 failed (-22)");
    }
}
