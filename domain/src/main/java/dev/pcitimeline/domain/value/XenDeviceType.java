package dev.pcitimeline.domain.value;

/** Xen's {@code DEV_TYPE_*}, named without the prefix as the state JSON prints them. */
public enum XenDeviceType {
    PCI_UNKNOWN,
    PCIe_ENDPOINT,
    PCIe_BRIDGE,
    PCIe2PCI_BRIDGE,
    PCI2PCIe_BRIDGE,
    LEGACY_PCI_BRIDGE,
    PCI_HOST_BRIDGE,
    PCI;

    /** Host bridges and every kind of PCI/PCIe bridge: domain_context_mapping maps none of them. */
    public boolean isBridge() {
        return this != PCI_UNKNOWN && this != PCIe_ENDPOINT && this != PCI;
    }

    /** The two types whose alloc_pdev/free_pdev touch bus2bridge in Xen 4.4. */
    public boolean fillsBus2Bridge() {
        return this == PCIe2PCI_BRIDGE || this == LEGACY_PCI_BRIDGE;
    }
}
