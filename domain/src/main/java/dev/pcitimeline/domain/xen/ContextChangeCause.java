package dev.pcitimeline.domain.xen;

/**
 * Why a VT-d context entry was created, removed or taken over: the plain mapping and unmapping
 * of Xen 4.4, or one of the rules of the later releases (XEN-MODEL.md §4b), which the audit names.
 */
public enum ContextChangeCause {
    MAP("domain_context_mapping", null),
    UNMAP("domain_context_unmap", null),
    /** (i, i') reassignment to or from dom_io. */
    QUARANTINE("quarantine (dom_io)", "i"),
    /** (d) the undo after a failed mapping, at (the pdev's bus, the walked devfn). */
    UNDO_AT_WALKED_DEVFN("undo at the walked devfn", "d"),
    /** (l) a failed mapping hands the RIDs back to the pdev's owner. */
    HAND_BACK("hand-back to the owner", "l"),
    /** (k) map_one takes over an entry another domain holds. */
    TAKEOVER("map_one takeover", "k");

    private final String text;
    private final String row;

    ContextChangeCause(String text, String row) {
        this.text = text;
        this.row = row;
    }

    public String text() {
        return text;
    }

    /** The row of §4b this rule comes from, or null for Xen 4.4's own mapping and unmapping. */
    public String row() {
        return row;
    }

    @Override
    public String toString() {
        return text;
    }
}
