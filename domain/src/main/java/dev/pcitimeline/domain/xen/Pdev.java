package dev.pcitimeline.domain.xen;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.XenDeviceType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A pdev in Xen's list. Immutable: Xen replaces it when its owner changes.
 *
 * @param type            classified when it was allocated, never re-read
 * @param owner           owning domain, or null
 * @param virtfnOf        the PF of a virtual function (the report's info), or null
 * @param allocatedFor    the function that answered at {@code bdf} when it was allocated (null: nothing)
 * @param rememberedRange fix-remember-range: {secondary, subordinate} alloc_pdev filled, else null
 * @param linkedPf        xen-4.20 on (§4b f): the PF whose VF list this pdev joined at its first VF report, or null
 * @param vfs             xen-4.20 on (§4b f): the VFs on this PF's list, in the order they joined
 * @param broken          xen-4.20 on (§4b f): marked broken by a refused PF removal; assign to a domU is EBADF
 */
public record Pdev(Bdf bdf, XenDeviceType type, DomainId owner, Bdf virtfnOf, String allocatedFor,
                   int[] rememberedRange, Bdf linkedPf, List<Bdf> vfs, boolean broken) {

    /** Snapshots from before the releases lack the last three fields: no link, no VFs, not broken. */
    @JsonCreator
    public Pdev(@JsonProperty("bdf") Bdf bdf, @JsonProperty("type") XenDeviceType type,
                @JsonProperty("owner") DomainId owner, @JsonProperty("virtfnOf") Bdf virtfnOf,
                @JsonProperty("allocatedFor") String allocatedFor, @JsonProperty("rememberedRange") int[] rememberedRange,
                @JsonProperty("linkedPf") Bdf linkedPf, @JsonProperty("vfs") List<Bdf> vfs,
                @JsonProperty("broken") boolean broken) {
        this.bdf = bdf;
        this.type = type;
        this.owner = owner;
        this.virtfnOf = virtfnOf;
        this.allocatedFor = allocatedFor;
        this.rememberedRange = rememberedRange;
        this.linkedPf = linkedPf;
        this.vfs = vfs == null ? List.of() : List.copyOf(vfs);
        this.broken = broken;
    }

    /** A pdev as alloc_pdev makes it: on no PF's list, with none of its own, not broken. */
    public Pdev(Bdf bdf, XenDeviceType type, DomainId owner, Bdf virtfnOf, String allocatedFor, int[] rememberedRange) {
        this(bdf, type, owner, virtfnOf, allocatedFor, rememberedRange, null, List.of(), false);
    }

    public Pdev withOwner(DomainId newOwner) {
        return new Pdev(bdf, type, newOwner, virtfnOf, allocatedFor, rememberedRange, linkedPf, vfs, broken);
    }

    /** The same pdev re-labelled by a report's info (type, owner and range unchanged); null: not a VF. */
    public Pdev withVirtfnOf(Bdf pf) {
        return new Pdev(bdf, type, owner, pf, allocatedFor, rememberedRange, linkedPf, vfs, broken);
    }

    /** This VF joined {@code pf}'s list. */
    public Pdev linkedTo(Bdf pf) {
        return new Pdev(bdf, type, owner, virtfnOf, allocatedFor, rememberedRange, pf, vfs, broken);
    }

    /** This PF's list with {@code vf} added ({@code joined}) or taken out. */
    public Pdev withVf(Bdf vf, boolean joined) {
        List<Bdf> list = new ArrayList<>(vfs);
        list.remove(vf);
        if (joined) {
            list.add(vf);
        }
        return new Pdev(bdf, type, owner, virtfnOf, allocatedFor, rememberedRange, linkedPf, list, broken);
    }

    public Pdev markedBroken() {
        return new Pdev(bdf, type, owner, virtfnOf, allocatedFor, rememberedRange, linkedPf, vfs, true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pdev p && bdf.equals(p.bdf) && type == p.type && Objects.equals(owner, p.owner)
                && Objects.equals(virtfnOf, p.virtfnOf) && Objects.equals(allocatedFor, p.allocatedFor)
                && Arrays.equals(rememberedRange, p.rememberedRange) && Objects.equals(linkedPf, p.linkedPf)
                && vfs.equals(p.vfs) && broken == p.broken;
    }

    @Override
    public int hashCode() {
        return (Objects.hash(bdf, type, owner, virtfnOf, allocatedFor, linkedPf, vfs, broken) * 31)
                + Arrays.hashCode(rememberedRange);
    }

    /** The record's own would print the range array's identity ([I@1b6d3586), not its numbers. */
    @Override
    public String toString() {
        return "Pdev[bdf=" + bdf + ", type=" + type + ", owner=" + owner + ", virtfnOf=" + virtfnOf + ", allocatedFor="
                + allocatedFor + ", rememberedRange=" + Arrays.toString(rememberedRange) + ", linkedPf=" + linkedPf
                + ", vfs=" + vfs + ", broken=" + broken + "]";
    }
}
