package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.value.Bdf;

import java.util.List;
import java.util.Map;

/**
 * What an {@code lspci -v}/{@code -vv}/{@code -vvv}/{@code -vn} listing tells about each
 * function, read by {@link LspciVerboseParser}.
 *
 * @param functions by address, in listing order
 * @param skipped   lines that belong to no function (prompts, headings, unreadable records)
 */
public record LspciVerbose(String source, Map<Bdf, Function> functions, List<SkippedLine> skipped) {

    public LspciVerbose {
        functions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(functions));
        skipped = List.copyOf(skipped);
    }

    /** The PCI Express capability's device/port type, as lspci spells it after "Express (v2)". */
    public enum ExpressType {
        ENDPOINT("Endpoint"),
        LEGACY_ENDPOINT("Legacy Endpoint"),
        ROOT_PORT("Root Port"),
        UPSTREAM_PORT("Upstream Port"),
        DOWNSTREAM_PORT("Downstream Port"),
        PCIE_TO_PCI_BRIDGE("PCI-Express to PCI/PCI-X Bridge"),
        PCI_TO_PCIE_BRIDGE("PCI/PCI-X to PCI-Express Bridge"),
        ROOT_COMPLEX_INTEGRATED_ENDPOINT("Root Complex Integrated Endpoint"),
        ROOT_COMPLEX_EVENT_COLLECTOR("Root Complex Event Collector"),
        /** A type lspci names otherwise ("Unknown type 9"): still a PCIe capability. */
        OTHER("other");

        private final String text;

        ExpressType(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** The type named at the start of {@code text}, longest name first ("Legacy Endpoint" before "Endpoint"). */
        static ExpressType of(String text) {
            ExpressType best = OTHER;
            for (ExpressType t : values()) {
                if (t != OTHER && text.startsWith(t.text) && (best == OTHER || t.text.length() > best.text.length())) {
                    best = t;
                }
            }
            return best;
        }
    }

    /**
     * SR-IOV capability of a PF ({@code -vv} and more print it).
     *
     * @param enabled IOVCtl's Enable bit, or null when the listing did not show it
     */
    public record Sriov(int totalVfs, int numVfs, Boolean enabled, int vfOffset, int vfStride) {

        /** VFs that exist now: Number of VFs while VF Enable is set. */
        public int liveVfs() {
            return Boolean.FALSE.equals(enabled) ? 0 : numVfs;
        }
    }

    /**
     * One function's record.
     *
     * @param line            the header line
     * @param className       the class as printed ("PCI bridge"), or null with -n
     * @param classCode       16-bit class code (0604), or null when the listing names a class we do not map
     * @param name            vendor and device as printed (ids with -n)
     * @param subtractive     prog-if 01: a subtractive-decode (legacy PCI) bridge
     * @param buses           a bridge's "Bus: primary=.., secondary=.., subordinate=.." or null
     * @param express         the Express capability's type, or null when it has none (or none was readable)
     * @param capabilitiesHidden lspci printed "Capabilities: &lt;access denied&gt;" (run without root)
     * @param sriov           the SR-IOV block, or null
     * @param sriovShown      an SR-IOV capability header was listed (its details need -vv)
     * @param virtualRegions  its BARs print as [virtual]: lspci's mark of a VF
     * @param bar2            the BAR2 register as the Region lines give it (0 when none is listed)
     */
    public record Function(int line, Bdf bdf, String className, Integer classCode, String name, boolean subtractive,
                           BridgeBuses buses, ExpressType express, boolean capabilitiesHidden, Sriov sriov,
                           boolean sriovShown, boolean virtualRegions, long bar2) {

        public boolean isBridgeClass() {
            return classCode != null && (classCode == 0x0604 || classCode == 0x0607);
        }

        public boolean isHostBridgeClass() {
            return classCode != null && classCode == 0x0600;
        }
    }
}
