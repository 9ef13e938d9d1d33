package dev.pcitimeline.domain.value;

/**
 * The Xen release a policy folds with (XEN-MODEL.md §4b, corrected 2026-12). Releases are
 * cumulative: each one has every row of the releases before it. The methods name what a row
 * changes, so the Xen model asks "does this build undo on mapping errors?" and never which
 * release it is; the fixes of §4 run on {@link #XEN_4_4}.
 */
public enum XenRelease {
    XEN_4_4,
    /** Rows a, b, h, i (4.11-4.14). */
    XEN_4_14,
    /** Rows c, d, i'. */
    XEN_4_16,
    /** Rows k, l, m (XSA-400). */
    XEN_4_17,
    /** Rows e, f. */
    XEN_4_20,
    /** Row g. */
    XEN_4_22;

    private boolean since(XenRelease release) {
        return compareTo(release) >= 0;
    }

    /** (a) pci_add_device copies a plain report's (empty) info too: a plain report clears virtfn-of. */
    public boolean copiesPlainReportInfo() {
        return since(XEN_4_14);
    }

    /** (b) domain_context_mapping maps the upstream bridge's RID and the alias with no pdev. */
    public boolean mapsBridgeRidsWithoutPdev() {
        return since(XEN_4_14);
    }

    /** (h) assign: no pdev is ENODEV, the source is the current owner (dom0 or dom_io). */
    public boolean assignsFromDom0OrDomIo() {
        return since(XEN_4_14);
    }

    /** (i) deassign hands a domU's device to dom_io, and dom_io's back to dom0. */
    public boolean quarantinesOnDeassign() {
        return since(XEN_4_14);
    }

    /** (c) the fill and copy loops count with a wide integer: a range ending at 0xff ends. */
    public boolean wideLoopCounter() {
        return since(XEN_4_16);
    }

    /** (d) domain_context_mapping undoes at the walked devfn on errors; a -1 walk is ENXIO (or crashes a domU). */
    public boolean undoesOnMappingErrors() {
        return since(XEN_4_16);
    }

    /** (i') dom_io has no page table: map_one and unmap_one for dom_io do nothing. */
    public boolean quarantineHasNoContextEntries() {
        return since(XEN_4_16);
    }

    /** (k) map_one checks the owner of an existing entry (until 4.16); from 4.17 it takes the entry over. */
    public boolean mapOneChecksOwners() {
        return !since(XEN_4_17);
    }

    /** (l) reassignment maps the target directly, and a failed mapping undoes or hands the RIDs back. */
    public boolean reassignsByMappingDirectly() {
        return since(XEN_4_17);
    }

    /** (m) domain_context_unmap reports its PCI case's errors (until 4.16). */
    public boolean unmapReportsPciErrors() {
        return !since(XEN_4_17);
    }

    /** (e) a VF report whose PF has no pdev is ENODEV, the PF is not added first. */
    public boolean refusesVfWithoutPf() {
        return since(XEN_4_20);
    }

    /** (f) a PF keeps the list of its VFs; removing a PF with VFs is EBUSY and marks them broken. */
    public boolean linksVfsToPf() {
        return since(XEN_4_20);
    }

    /** (g) alloc_pdev fills and free_pdev copies for a PCI-to-PCIe bridge as well. */
    public boolean fillsBus2Bridge(XenDeviceType type) {
        return type.fillsBus2Bridge() || (type == XenDeviceType.PCI2PCIe_BRIDGE && since(XEN_4_22));
    }
}
