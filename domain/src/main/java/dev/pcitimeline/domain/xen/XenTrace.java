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

    /** A pdev's other bookkeeping changed: re-labelled by a report's info, joined or left a VF list, marked broken. */
    default void pdevUpdated(Pdev before, Pdev after) {
    }

    /** A context entry was created for {@code domain} at {@code rid} (or, {@link ContextChangeCause#TAKEOVER}, taken over). */
    default void contextMapped(int rid, DomainId domain, ContextChangeCause cause) {
    }

    /** The context entry at {@code rid}, held by {@code domain}, was removed. */
    default void contextUnmapped(int rid, DomainId domain, ContextChangeCause cause) {
    }

    /**
     * A later release (XEN-MODEL.md §4b) took a branch where it does not do what Xen 4.4 does: {@code row}
     * is the row ("a".."m", "i'"). Until a fold reports one, its state is exactly the 4.4 state.
     */
    default void releaseRuleApplied(String row) {
    }

    /** Xen crashed {@code domain} (XEN-MODEL.md §4b d: a -1 walk while unmapping a domU's device). */
    default void domainCrashed(DomainId domain) {
    }

    /** Xen entered a loop that never ends, in {@code where} (e.g. "alloc_pdev fill 05:00.0"). */
    default void hung(String where) {
    }
}
