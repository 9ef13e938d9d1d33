package dev.pcitimeline.domain.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a function is in hardware (XEN-MODEL.md §1), with the scenario file's spelling. */
public enum DeviceKind {
    HOST_BRIDGE("host-bridge", false, false, XenDeviceType.PCI_HOST_BRIDGE),
    ROOT_PORT("root-port", true, true, XenDeviceType.PCIe_BRIDGE),
    UPSTREAM_PORT("upstream-port", true, true, XenDeviceType.PCIe_BRIDGE),
    DOWNSTREAM_PORT("downstream-port", true, true, XenDeviceType.PCIe_BRIDGE),
    PCIE_TO_PCI_BRIDGE("pcie-to-pci-bridge", true, true, XenDeviceType.PCIe2PCI_BRIDGE),
    PCI_TO_PCIE_BRIDGE("pci-to-pcie-bridge", true, true, XenDeviceType.PCI2PCIe_BRIDGE),
    PCI_BRIDGE("pci-bridge", true, false, XenDeviceType.LEGACY_PCI_BRIDGE),
    PCIE_ENDPOINT("pcie-endpoint", false, true, XenDeviceType.PCIe_ENDPOINT),
    PCI_ENDPOINT("pci-endpoint", false, false, XenDeviceType.PCI);

    private final String text;
    private final boolean bridge;
    private final boolean pcie;
    private final XenDeviceType xenType;

    DeviceKind(String text, boolean bridge, boolean pcie, XenDeviceType xenType) {
        this.text = text;
        this.bridge = bridge;
        this.pcie = pcie;
        this.xenType = xenType;
    }

    /** Type 1 header: holds primary/secondary/subordinate and has children. */
    public boolean isBridge() {
        return bridge;
    }

    public boolean hasPcieCapability() {
        return pcie;
    }

    /** An endpoint (type 0, not a host bridge): may carry BAR2 and SR-IOV. */
    public boolean isEndpoint() {
        return this == PCIE_ENDPOINT || this == PCI_ENDPOINT;
    }

    /** How Xen's pdev_type classifies a function of this kind. */
    public XenDeviceType xenType() {
        return xenType;
    }

    @JsonValue
    public String text() {
        return text;
    }

    @JsonCreator
    public static DeviceKind parse(String text) {
        for (DeviceKind k : values()) {
            if (k.text.equals(text)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + text + "': expected one of "
                + Arrays.stream(values()).map(DeviceKind::text).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return text;
    }
}
