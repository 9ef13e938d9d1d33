package dev.pcitimeline.scenarios.format;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile documents (app: HostileInputProperties sends them to the service): error messages quoted a hostile
 * document's values whole; a description could hold NUL, other control characters or unpaired surrogates (YAML
 * escapes spell them), which the first event stores and every listing shows, and PostgreSQL's text columns cannot hold
 * NUL at all; a megabyte of tiny values was read whole into some 60 MB of nodes before anything checked it; and a
 * key that is not plain text was reported with SnakeYAML's event class.
 */
class HostileDocumentTest {
    private final ScenarioParser parser = new ScenarioParser();

    @Test
    void errorsQuoteTheStartOfAHugeValueOnly() {
        String digits = "9".repeat(1_000_000);
        assertThatThrownBy(() -> parser.parse("huge.yaml", "scenario: x\nsegment: " + digits + "\ntopology: []\nsteps: []\n"))
                .isInstanceOfSatisfying(ScenarioException.class, e -> {
                    assertThat(e.key()).isEqualTo("segment");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.reason().length()).isLessThanOrEqualTo(ScenarioException.MAX_REASON_LENGTH + 40);
                    assertThat(e.reason()).contains("more characters)");
                    assertThat(e.getMessage().length()).isLessThan(2_000);
                });
        // An explicit key ("? "): YAML caps implicit keys at 1024 characters itself.
        String key = "k".repeat(300_000);
        assertThatThrownBy(() -> parser.parse("key.yaml", "scenario: x\ntopology: []\nsteps: []\n? " + key + "\n: 1\n"))
                .isInstanceOfSatisfying(ScenarioException.class, e -> {
                    assertThat(e.key()).startsWith("kkkk").hasSizeLessThanOrEqualTo(ScenarioException.MAX_KEY_LENGTH + 40);
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.getMessage().length()).isLessThan(2_000);
                });
    }

    /** Found by HostileInputProperties: a key that is not plain text got SnakeYAML's event class in the message. */
    @Test
    void aKeyThatIsNotPlainTextIsNamedWithoutTheParsersClasses() {
        String[][] cases = {{"*a: 1\n", "a key must be plain text, found an alias (*a)"},
                {"[a]: 1\n", "a key must be plain text, found a list"},
                {"scenario: x\n? {a: 1}\n: 2\n", "a key must be plain text, found a map"}};
        for (String[] c : cases) {
            assertThatThrownBy(() -> parser.parse("keys.yaml", c[0]))
                    .isInstanceOfSatisfying(ScenarioException.class, e -> {
                        assertThat(e.reason()).isEqualTo("malformed YAML: " + c[1]);
                        assertThat(e.getMessage()).doesNotContain("org.yaml").doesNotContain("Event");
                    });
        }
        assertThat(YamlTree.readable("at <com.example.Internal(x)>")).isEqualTo("the document cannot be read as YAML here");
        assertThat(YamlTree.readable("Unexpected end-of-input")).isEqualTo("Unexpected end-of-input");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String text = "x".repeat(9) + "\ud83d\ude00" + "y".repeat(20);
        assertThat(ScenarioException.abbreviate(text, 10)).startsWith("x".repeat(9) + "…");
        assertThat(ScenarioException.abbreviate("short", 10)).isEqualTo("short");
    }

    @Test
    void aDocumentOfTooManyValuesIsRefusedWhileReadingIt() {
        String many = "scenario: x\ntopology: []\nsteps: []\ndescription: [" + "0,".repeat(500_000) + "0]\n";
        // Five values come before the list's first item: the document, scenario, topology, steps and the list itself.
        assertThatThrownBy(() -> parser.parse("many.yaml", many))
                .isInstanceOfSatisfying(ScenarioException.class, e -> {
                    assertThat(e.key()).isEqualTo("description[" + (YamlTree.MAX_VALUES - 5) + "]");
                    assertThat(e.reason()).isEqualTo("the document holds more than " + YamlTree.MAX_VALUES + " values");
                });
    }

    @Test
    void aDescriptionIsBoundedText() {
        description("\"a\\0b\"", "control character U+0000 at offset 1");
        description("\"bell\\a\"", "control character U+0007 at offset 4");
        description("\"\\x7f\"", "control character U+007F");
        description("\"\\u0085\"", "control character U+0085");
        description("\"lone \\ud800 surrogate\"", "unpaired surrogate U+D800 at offset 5");
        description("\"\\udc00\"", "unpaired surrogate U+DC00");
        description("x".repeat(ScenarioParser.MAX_DESCRIPTION_LENGTH + 1), "characters long; at most 10000");
        // Text is fine: line breaks, tabs, any script, emoji, right-to-left marks; up to the limit.
        for (String ok : new String[]{"\"tab\\tand\\nnew line\\r\\n\"", "\"日本語 😀 \\u202e\"", "|\n  two\n  lines",
                "x".repeat(ScenarioParser.MAX_DESCRIPTION_LENGTH)}) {
            assertThat(parser.parse("ok.yaml", "scenario: d\ndescription: " + ok + "\ntopology: []\nsteps: []\n")
                    .description()).isNotEmpty();
        }
    }

    private void description(String yaml, String reason) {
        assertThatThrownBy(() -> parser.parse("d.yaml", "scenario: d\ndescription: " + yaml + "\ntopology: []\nsteps: []\n"))
                .isInstanceOfSatisfying(ScenarioException.class, e -> {
                    assertThat(e.key()).isEqualTo("description");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.reason()).contains(reason);
                });
    }
}
