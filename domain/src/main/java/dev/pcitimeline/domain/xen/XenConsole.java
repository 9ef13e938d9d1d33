package dev.pcitimeline.domain.xen;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.XenDeviceType;

import java.util.Map;

/**
 * The messages Xen prints on its console ({@code xl dmesg}) for the PCI operations the model makes, in Xen's own
 * format, so the timeline can be read beside a real log and check-log can compare with one. Formats as in
 * xen/drivers/passthrough/pci.c and vtd/iommu.c: the add and remove lines are {@code XENLOG_DEBUG} (shown with
 * {@code loglvl=all}), the VT-d lines need {@code iommu=debug}.
 */
public final class XenConsole {
    /** What {@code xl dmesg} puts before every hypervisor line. */
    public static final String PREFIX = "(XEN) ";
    /** VTDPREFIX of Xen's VT-d driver. */
    public static final String VTD = "[VT-D]";
    /** DOMID_IO, the quarantine owner of the release policies; Xen's {@code %pd} prints it as {@code d[IO]}. */
    public static final int DOM_IO = 0x7FF1;

    /** Linux errno values, as Xen prints a failed domctl's result (negated). */
    private static final Map<String, Integer> ERRNO = Map.of("EPERM", 1, "ENXIO", 6, "EBADF", 9, "EBUSY", 16,
            "ENODEV", 19, "EINVAL", 22);

    private XenConsole() {
    }

    /** {@code PCI add device BDF}, or {@code PCI add virtual function BDF} for a report naming a PF. */
    public static String pciAdd(Bdf bdf, boolean virtualFunction) {
        return "PCI add " + (virtualFunction ? "virtual function " : "device ") + bdf;
    }

    /** {@code PCI remove device BDF}: printed once Xen found and freed the pdev. */
    public static String pciRemove(Bdf bdf) {
        return "PCI remove device " + bdf;
    }

    /** A domain as Xen's {@code %pd} prints it: {@code d0}, {@code d1}, {@code d[IO]}. */
    public static String domain(int id) {
        return id == DOM_IO ? "d[IO]" : "d" + id;
    }

    /**
     * domain_context_mapping/unmap's line for one device, without {@link #VTD}: {@code d0:PCIe: map BDF},
     * {@code d1:PCI: unmap BDF}, {@code d0:Hostbridge: skip BDF map}; null for the types Xen prints nothing for
     * (bridges; unknown types fail with an error line of their own).
     */
    public static String contextCall(String domain, XenDeviceType type, Bdf bdf, boolean map) {
        String op = map ? "map" : "unmap";
        return switch (type) {
            case PCIe_ENDPOINT -> domain + ":PCIe: " + op + " " + bdf;
            case PCI -> domain + ":PCI: " + op + " " + bdf;
            case PCI_HOST_BRIDGE -> domain + ":Hostbridge: skip " + bdf + " " + op;
            default -> null;
        };
    }

    /** XEN_DOMCTL_assign_device's error line (Xen 4.4's wording); {@code errno} an outcome's name. */
    public static String assignFailed(Bdf bdf, int domain, String errno) {
        Integer n = ERRNO.get(errno);
        return "XEN_DOMCTL_assign_device: assign " + bdf + " to dom" + domain + " failed ("
                + (n == null ? errno : "-" + n) + ")";
    }
}
