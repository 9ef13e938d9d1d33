package dev.pcitimeline.domain.hardware;

import dev.pcitimeline.domain.value.DeviceKind;
import dev.pcitimeline.domain.value.XenDeviceType;

/**
 * What software sees of the hardware: config reads routed as XEN-MODEL.md §1 says. Xen and
 * dom0 only ever look at the machine through this (Xen never sees the tree itself).
 */
public interface ConfigSpace {

    int segment();

    /** The function a config read at (bus, devfn) reaches now, or null when nothing answers. */
    Answer answerAt(int bus, int devfn);

    /**
     * False only when nothing answers at any devfn of {@code bus}, so that a scan of every address can pass the bus by
     * (Xen's boot scan reads 8192 of them, most on buses nothing decodes). True unless the implementation knows.
     */
    default boolean mayAnswerOn(int bus) {
        return true;
    }

    /** The vendor/device dword is not all ones. */
    default boolean present(int bus, int devfn) {
        return answerAt(bus, devfn) != null;
    }

    /** The header's multi-function bit of whatever answers at (bus, devfn) (false if nothing). */
    default boolean multiFunction(int bus, int devfn) {
        Answer a = answerAt(bus, devfn);
        return a != null && a.multiFunction();
    }

    /** Xen's pdev_type of whatever answers now at (bus, devfn): PCI_UNKNOWN when nothing does. */
    default XenDeviceType classify(int bus, int devfn) {
        Answer a = answerAt(bus, devfn);
        return a == null ? XenDeviceType.PCI_UNKNOWN : a.kind().xenType();
    }

    /** Byte 0x19: a bridge's secondary, BAR2 byte 1 of a type 0 function, 0xff if nothing answers. */
    default int readSecondary(int bus, int devfn) {
        Answer a = answerAt(bus, devfn);
        if (a == null) {
            return 0xff;
        }
        return a.kind().isBridge() ? a.buses().secondary() : (int) ((a.bar2() >> 8) & 0xff);
    }

    /** Byte 0x1a: a bridge's subordinate, BAR2 byte 2 of a type 0 function, 0xff if nothing answers. */
    default int readSubordinate(int bus, int devfn) {
        Answer a = answerAt(bus, devfn);
        if (a == null) {
            return 0xff;
        }
        return a.kind().isBridge() ? a.buses().subordinate() : (int) ((a.bar2() >> 16) & 0xff);
    }

    /**
     * The function that answered a read, as config space shows it at that moment.
     *
     * @param id            stable identity ({@code pf.vfN} for a virtual function)
     * @param buses         current registers (bridges only, else null)
     * @param multiFunction header type bit 7 (never set on a virtual function)
     */
    record Answer(String id, DeviceKind kind, BridgeBuses buses, long bar2, boolean multiFunction, boolean virtual) {
    }
}
