package dev.pcitimeline.domain.value;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The BDF's texts are built by hand for speed: exactly what the format strings print, for every address. */
class BdfTextTest {

    @Test
    void every_address_prints_as_the_format_strings_do() {
        for (int segment : new int[]{0, 1, 0x0a, 0xbeef, 0xffff}) {
            for (int bus = 0; bus < 256; bus++) {
                for (int device = 0; device < 32; device++) {
                    for (int function = 0; function < 8; function++) {
                        Bdf bdf = new Bdf(segment, bus, device, function);
                        String text = String.format("%04x:%02x:%02x.%x", segment, bus, device, function);
                        if (!bdf.toString().equals(text)
                                || !bdf.shortText().equals(String.format("%02x:%02x.%x", bus, device, function))) {
                            throw new AssertionError(bdf.toString() + " / " + bdf.shortText() + " is not " + text);
                        }
                        if (segment == 0xbeef && !Bdf.parse(text).equals(bdf)) {
                            throw new AssertionError(text + " does not parse back");
                        }
                    }
                }
            }
        }
        assertThat(new Bdf(0, 6, 0, 0).toString()).isEqualTo("0000:06:00.0");
        assertThat(new Bdf(0, 0xab, 0x1f, 7).shortText()).isEqualTo("ab:1f.7");
    }
}
