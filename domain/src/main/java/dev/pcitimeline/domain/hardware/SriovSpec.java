package dev.pcitimeline.domain.hardware;

import com.fasterxml.jackson.annotation.JsonProperty;

/** SR-IOV capability of a physical function; {@code enabled} VFs are live at power-on. */
public record SriovSpec(
        @JsonProperty("total-vfs") int totalVfs,
        @JsonProperty("vf-offset") int vfOffset,
        @JsonProperty("vf-stride") int vfStride,
        @JsonProperty("enabled") int enabled) {

    public SriovSpec {
        if (totalVfs < 0 || totalVfs > 0xffff) {
            throw new IllegalArgumentException("total-vfs " + totalVfs + " is out of range 0..65535");
        }
        if (vfOffset < 0 || vfOffset > 0xffff) {
            throw new IllegalArgumentException("vf-offset " + vfOffset + " is out of range 0..65535");
        }
        if (vfStride < 0 || vfStride > 0xffff) {
            throw new IllegalArgumentException("vf-stride " + vfStride + " is out of range 0..65535");
        }
        if (enabled < 0 || enabled > totalVfs) {
            throw new IllegalArgumentException("enabled " + enabled + " is out of range 0..total-vfs (" + totalVfs + ")");
        }
    }

    /**
     * Requester ID of VF {@code index} (0-based) of a PF at {@code pfRid}: PF RID + offset + stride*index (XEN-MODEL.md
     * §1). In long arithmetic: offset and stride go up to 0xffff, so the product overflows an int, and a RID beyond
     * 0xffff (no such VF can exist) must not wrap to one that fits.
     */
    public long vfRid(long pfRid, int index) {
        return pfRid + vfOffset + (long) vfStride * index;
    }

    public SriovSpec withEnabled(int n) {
        return new SriovSpec(totalVfs, vfOffset, vfStride, n);
    }
}
