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

    /** What parse accepted with a regular expression before it was written by hand: the reference it must match. */
    private static final java.util.regex.Pattern FORMAT =
            java.util.regex.Pattern.compile("([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-9a-fA-F])");

    @Test
    void parse_accepts_what_the_format_pattern_matches_and_says_why_not_otherwise() {
        String[] texts = {"0000:06:00.0", "BEEF:Ab:1F.7", " 0000:06:00.0\t", "0000:06:20.0", "0000:06:00.8",
            "0000:06:00.f", "000:06:00.0", "00000:06:00.0", "0000-06:00.0", "0000:06:00:0", "0000:6:00.0",
            "0000:06:00.", "0000:0g:00.0", "0000:06:00.0 x", "", "  ", "\uff10000:06:00.0", "0000:06:0\u0663.0",
            "ffff:ff:1f.7", "0000:06:1f.10"};
        for (String text : texts) {
            String expected;
            java.util.regex.Matcher m = FORMAT.matcher(text.trim());
            if (!m.matches()) {
                expected = "'" + text + "' is not a BDF: expected SSSS:BB:DD.F in hex, e.g. 0000:06:00.0";
            } else if (Integer.parseInt(m.group(3), 16) > 0x1f) {
                expected = "'" + text + "': device " + m.group(3) + " is out of range 00..1f";
            } else if (Integer.parseInt(m.group(4), 16) > 7) {
                expected = "'" + text + "': function " + m.group(4) + " is out of range 0..7";
            } else {
                expected = new Bdf(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16),
                        Integer.parseInt(m.group(3), 16), Integer.parseInt(m.group(4), 16)).toString();
            }
            String actual;
            try {
                actual = Bdf.parse(text).toString();
            } catch (IllegalArgumentException e) {
                actual = e.getMessage();
            }
            assertThat(actual).as("'%s'", text).isEqualTo(expected);
        }
    }
}
