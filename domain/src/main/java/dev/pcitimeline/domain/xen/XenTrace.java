package dev.pcitimeline.domain.xen;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;

/**
 * A listener for what the Xen model does inside one operation: the audit trail and the
 * observed fields of events come from here. Every method defaults to doing nothing.
 */
public interface XenTrace {

    XenTrace NONE = new XenTrace() {
    };

    /** Xen read a config register; {@code answeredBy} null when nothing answered (all ones). */
    default void configRead(Bdf at, String register, int value, String answeredBy) {
    }

    /** bus2bridge[bus] changed from {@code before} to {@code after}, for {@code cause} (the rule and its pdev). */
    default void bus2bridgeWritten(int bus, Bus2BridgeEntry before, Bus2BridgeEntry after, Bus2BridgeWriteCause cause) {
    }

    default void pdevAdded(Pdev pdev) {
    }

    default void pdevRemoved(Pdev pdev) {
    }

    default void pdevOwnerChanged(Pdev before, Pdev after) {
    }

    default void contextMapped(int rid, DomainId domain) {
    }

    default void contextUnmapped(int rid, DomainId domain) {
    }

    /** Xen entered a loop that never ends, in {@code where} (e.g. "alloc_pdev fill 05:00.0"). */
    default void hung(String where) {
    }
}
