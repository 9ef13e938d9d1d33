package dev.pcitimeline.domain.xen;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.XenDeviceType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A pdev is a value: its remembered range (an array) counts by its numbers, in equality and in its text. */
class PdevTest {
    private final Bdf bridge = Bdf.parse("0000:00:1e.0");

    @Test
    void rangesWithTheSameNumbersAreTheSamePdev() {
        Pdev a = new Pdev(bridge, XenDeviceType.PCI2PCIe_BRIDGE, null, null, "p2p", new int[]{5, 6});
        Pdev b = new Pdev(bridge, XenDeviceType.PCI2PCIe_BRIDGE, null, null, "p2p", new int[]{5, 6});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Pdev(bridge, XenDeviceType.PCI2PCIe_BRIDGE, null, null, "p2p", new int[]{5, 7}));
    }

    @Test
    void itsTextShowsTheRangesNumbers() {
        Pdev p = new Pdev(bridge, XenDeviceType.PCI2PCIe_BRIDGE, null, null, "p2p", new int[]{5, 6});
        assertThat(p.toString()).contains("rememberedRange=[5, 6]").doesNotContain("[I@");
        assertThat(p).hasToString(new Pdev(bridge, XenDeviceType.PCI2PCIe_BRIDGE, null, null, "p2p",
                new int[]{5, 6}).toString());
    }
}
