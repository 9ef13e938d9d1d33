package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.value.Bdf;

import java.util.List;

/**
 * The PCI story an {@code xl dmesg} capture tells, in log order: what {@link XenLogParser}
 * found, with the line each message came from (two messages glued on one line share it).
 *
 * @param lines   lines read
 * @param skipped lines that look like a PCI or VT-d message but could not be used, with why
 * @param other   lines without any PCI add/remove, VT-d context or DMA fault message
 */
public record XenLog(String source, int lines, List<Entry> entries, List<SkippedLine> skipped, int other) {

    public XenLog {
        entries = List.copyOf(entries);
        skipped = List.copyOf(skipped);
    }

    /** One message of the log. {@code text} is the message itself, without console prefixes. */
    public sealed interface Entry permits DeviceAdded, DeviceRemoved, XenBanner, ContextLine, DmaFault, FaultReason {
        int line();

        String text();
    }

    /** What {@code PCI add ...} reported. */
    public enum AddKind {
        DEVICE("device"), VIRTUAL_FUNCTION("virtual function"), EXTENDED_FUNCTION("extended function");

        private final String text;

        AddKind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** {@code PCI add device|virtual function|extended function BDF}; {@code physfn} when the log names the PF. */
    public record DeviceAdded(int line, String text, AddKind kind, Bdf bdf, Bdf physfn) implements Entry {
    }

    /** {@code PCI remove device BDF}. */
    public record DeviceRemoved(int line, String text, Bdf bdf) implements Entry {
    }

    /** A second {@code Xen version ...} banner: the machine booted again inside the capture. */
    public record XenBanner(int line, String text) implements Entry {
    }

    /** {@code map} or {@code unmap}. */
    public enum Op {
        MAP, UNMAP;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * {@code [VT-D]dN:PCIe: map BDF}, {@code dN:PCI: unmap BDF}, {@code dN:Hostbridge: skip BDF map}:
     * Xen's domain_context_mapping/unmap for one device, printed with iommu=debug.
     *
     * @param domain     the domain as printed ("0", "[IO]")
     * @param domainId   that domain when the model has it (0..32751), else null (dom_io, quarantine)
     * @param deviceType "PCIe", "PCI" or "Hostbridge", as Xen printed it
     */
    public record ContextLine(int line, String text, String domain, Integer domainId, String deviceType, Op op, Bdf bdf)
            implements Entry {
    }

    /** {@code DMAR:[DMA Read|Write] Request device [BDF] fault addr ...}; {@code reason} from the line after, if any. */
    public record DmaFault(int line, String text, boolean write, Bdf bdf) implements Entry {
    }

    /** {@code DMAR:[fault reason 02h] Present bit in context entry is clear} (or {@code DMAR: reason 02 - ...}). */
    public record FaultReason(int line, String text, int reason, String description) implements Entry {
    }
}
