package dev.pcitimeline.domain.xen;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.XenDeviceType;

/**
 * A pdev in Xen's list. Immutable: Xen replaces it when its owner changes.
 *
 * @param type            classified when it was allocated, never re-read
 * @param owner           owning domain, or null
 * @param virtfnOf        the PF of a virtual function, or null
 * @param allocatedFor    the function that answered at {@code bdf} when it was allocated (null: nothing)
 * @param rememberedRange fix-remember-range: {secondary, subordinate} alloc_pdev filled, else null
 */
public record Pdev(Bdf bdf, XenDeviceType type, DomainId owner, Bdf virtfnOf, String allocatedFor,
                   int[] rememberedRange) {

    public Pdev withOwner(DomainId newOwner) {
        return new Pdev(bdf, type, newOwner, virtfnOf, allocatedFor, rememberedRange);
    }

    /** The same pdev re-labelled by a report's info (type, owner and range unchanged). */
    public Pdev withVirtfnOf(Bdf pf) {
        return new Pdev(bdf, type, owner, pf, allocatedFor, rememberedRange);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pdev p && bdf.equals(p.bdf) && type == p.type && java.util.Objects.equals(owner, p.owner)
                && java.util.Objects.equals(virtfnOf, p.virtfnOf) && java.util.Objects.equals(allocatedFor, p.allocatedFor)
                && java.util.Arrays.equals(rememberedRange, p.rememberedRange);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(bdf, type, owner, virtfnOf, allocatedFor) * 31
                + java.util.Arrays.hashCode(rememberedRange);
    }
}
