package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.scenarios.importer.LspciTree.Bus;
import dev.pcitimeline.scenarios.importer.LspciTree.Node;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each form ls-tree.c draws, and trees that are cut, edited or out of range. */
class LspciTreeParserTest {

    static LspciTree parse(String text) {
        return LspciTreeParser.parse(TextInput.of("t.txt", text));
    }

    static List<String> bdfs(LspciTree tree) {
        return tree.allFunctions().stream().map(n -> String.format("%04x:%s", n.segment(), n.shortBdf())).toList();
    }

    @Test
    void oneRootBusWithOneFunction_tripleDash() {
        LspciTree tree = parse("-[0000:00]---00.0  Intel Corporation Host Bridge\n");
        assertThat(tree.roots()).singleElement().satisfies(b -> assertThat(b.number()).isZero());
        Node n = tree.allFunctions().get(0);
        assertThat(n.name()).isEqualTo("Intel Corporation Host Bridge");
        assertThat(n.bridge()).isFalse();
    }

    @Test
    void severalRootBuses_plusBackslashAndPipe() {
        LspciTree tree = parse("""
                -+-[0000:00]-+-00.0
                 |           \\-01.0-[01]----00.0
                 +-[0000:7b]---00.0
                 \\-[0000:bc]---00.0-[bd]--
                """);
        assertThat(tree.roots()).extracting(Bus::number).containsExactly(0x00, 0x7b, 0xbc);
        assertThat(bdfs(tree)).containsExactly("0000:00:00.0", "0000:00:01.0", "0000:01:00.0", "0000:7b:00.0",
                "0000:bc:00.0");
        Node empty = tree.roots().get(2).functions().get(0);
        assertThat(empty.bridge()).isTrue();
        assertThat(empty.secondary()).isEqualTo(0xbd);
        assertThat(empty.below()).isEmpty();
    }

    @Test
    void plainDashT_nestedRangesAndBothEmptyBridgeStyles() {
        LspciTree tree = parse("""
                -[0000:00]-+-00.0
                           +-1c.0-[02-05]--+-00.0-[03]--
                           |               \\-01.0-[04-05]----00.0-[05]-
                           \\-1d.0-[06]--
                """);
        assertThat(bdfs(tree)).containsExactly("0000:00:00.0", "0000:00:1c.0", "0000:02:00.0", "0000:02:01.0",
                "0000:04:00.0", "0000:00:1d.0");
        Node rp = tree.roots().get(0).functions().get(1);
        assertThat(rp.secondary()).isEqualTo(2);
        assertThat(rp.subordinate()).isEqualTo(5);
        assertThat(rp.below()).singleElement().satisfies(b -> {
            assertThat(b.number()).isEqualTo(2);
            assertThat(b.shown()).isFalse();
        });
        Node oldStyleEmpty = tree.allFunctions().get(4);
        assertThat(oldStyleEmpty.secondary()).isEqualTo(5);
        assertThat(oldStyleEmpty.below()).isEmpty();
        assertThat(tree.allFunctions()).allMatch(n -> n.name() == null);
    }

    @Test
    void multiFunctionDevicesWithTvnnNames() {
        LspciTree tree = parse("""
                -[0000:00]-+-00.0  Intel Corporation 8th Gen Core Processor Host Bridge/DRAM Registers [8086:3e0f]
                           +-1f.0  Intel Corporation Cannon Point-LP LPC Controller [8086:9d84]
                           +-1f.3  Intel Corporation Cannon Point-LP High Definition Audio Controller [8086:9dc8]
                           \\-1f.4  Intel Corporation Cannon Point-LP SMBus Controller [8086:9da3]
                """);
        assertThat(bdfs(tree)).containsExactly("0000:00:00.0", "0000:00:1f.0", "0000:00:1f.3", "0000:00:1f.4");
        assertThat(tree.allFunctions().get(3).name()).endsWith("[8086:9da3]");
    }

    @Test
    void aBridgeWithSeveralBuses_listsEachWithItsNumber() {
        LspciTree tree = parse("""
                -[0000:00]-+-00.0
                           \\-01.0-[04-05]--+-[0000:04]---00.0  Intel Corporation I350 Gigabit Network Connection
                                           \\-[0000:05]---10.0  Intel Corporation I350 Ethernet Controller Virtual Function
                """);
        Node bridge = tree.roots().get(0).functions().get(1);
        assertThat(bridge.below()).extracting(Bus::number).containsExactly(4, 5);
        assertThat(bridge.below()).allMatch(Bus::shown);
        assertThat(bdfs(tree)).containsExactly("0000:00:00.0", "0000:00:01.0", "0000:04:00.0", "0000:05:10.0");
    }

    @Test
    void dashTvv_barLinesBelowFunctionsArePassedOver() {
        LspciTree tree = parse("""
                -[0000:00]-+-1f.3  Intel Corporation Sunrise Point-LP HD Audio
                           |         Memory at f1240000 (64-bit, non-prefetchable) [size=16K]
                           |         Memory at f1230000 (64-bit, non-prefetchable) [size=64K]
                           \\-1f.6  Intel Corporation Ethernet Connection (4) I219-V
                                     Region 0: Memory at f1200000 (32-bit, non-prefetchable) [size=128K]
                """);
        assertThat(bdfs(tree)).containsExactly("0000:00:1f.3", "0000:00:1f.6");
        assertThat(tree.skipped()).isEmpty();
    }

    @Test
    void pciutilsBeforeDomains() {
        LspciTree tree = parse("""
                -+-00.0  Host bridge
                 +-1e.0-[01]----00.0  Old NIC
                 \\-1f.0  ISA bridge
                """);
        assertThat(bdfs(tree)).containsExactly("0000:00:00.0", "0000:00:1e.0", "0000:01:00.0", "0000:00:1f.0");
    }

    @Test
    void aPastedCodeBlock_indentAndPromptsAreSkippedAndReported() {
        LspciTree tree = parse("""
                $ sudo lspci -tv
                    -[0000:00]-+-00.0  Host bridge\u00a0thing
                               \\-02.0  VGA
                $
                """.replace("\u00a0", " "));
        assertThat(bdfs(tree)).containsExactly("0000:00:00.0", "0000:00:02.0");
        assertThat(tree.skipped()).extracting(SkippedLine::line).containsExactly(1, 4);
        assertThat(tree.skipped().get(0).reason()).isEqualTo("before the tree");
    }

    @Test
    void segmentsOtherThanZero() {
        LspciTree tree = parse("""
                -+-[0000:00]---00.0
                 \\-[0001:00]-+-00.0
                             \\-01.0-[01]----00.0
                """);
        assertThat(bdfs(tree)).containsExactly("0000:00:00.0", "0001:00:00.0", "0001:00:01.0", "0001:01:00.0");
    }

    // ---- malformed

    @Test
    void aTruncatedTree_isAnErrorNamingTheOpenList() {
        assertThatThrownBy(() -> parse("-[0000:00]-+-00.0\n           +-01.0\n"))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("t.txt:2: the tree is truncated: the list opened on line 1 (column 12)");
    }

    @Test
    void aCutLineInsideARange() {
        assertThatThrownBy(() -> parse("-[0000:00]-+-00.0\n           \\-01.0-[02-0"))
                .isInstanceOf(ImportException.class).hasMessageContaining("t.txt:2: column 19: expected a bus range");
    }

    @Test
    void aGarbageLineInsideTheTree() {
        assertThatThrownBy(() -> parse("-[0000:00]-+-00.0\nhello world\n           \\-01.0\n"))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("t.txt:2: expected the tree to go on")
                .hasMessageContaining("'hello world'");
    }

    @Test
    void aDeviceOutOfRange() {
        assertThatThrownBy(() -> parse("-[0000:00]-+-00.0\n           \\-20.0\n"))
                .isInstanceOf(ImportException.class)
                .hasMessage("t.txt:2: column 14: 00:20.0 is out of range: a device is 00-1f and a function 0-7");
    }

    @Test
    void aFunctionOutOfRange() {
        assertThatThrownBy(() -> parse("-[0000:00]---00.8\n"))
                .isInstanceOf(ImportException.class).hasMessageContaining("00:00.8 is out of range");
    }

    @Test
    void aBusOutOfRange() {
        assertThatThrownBy(() -> parse("-[0000:1ff]---00.0\n"))
                .isInstanceOf(ImportException.class).hasMessage("t.txt:1: column 2: bus 1ff is out of range 0..ff");
    }

    @Test
    void aNewEntryWhileADeeperListIsStillOpen() {
        assertThatThrownBy(() -> parse("-[0000:00]-+-01.0-[01]--+-00.0\n           \\-02.0\n"))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("t.txt:2: column 12: a new entry while the list opened on line 1 (column 25)");
    }

    @Test
    void anEntryInAColumnWithoutAList() {
        assertThatThrownBy(() -> parse("-[0000:00]-+-00.0\n            \\-01.0\n"))
                .isInstanceOf(ImportException.class).hasMessageContaining("continues no list");
    }

    @Test
    void aMissingPipe() {
        assertThatThrownBy(() -> parse("-+-[0000:00]-+-00.0\n             \\-01.0\n \\-[0000:80]---00.0\n"))
                .isInstanceOf(ImportException.class).hasMessageContaining("t.txt:2: column 2: expected '|' here");
    }

    @Test
    void aDevfnListedTwice() {
        assertThatThrownBy(() -> parse("-[0000:00]-+-00.0\n           \\-00.0\n"))
                .isInstanceOf(ImportException.class).hasMessageContaining("00:00.0 is listed twice on bus 00 (first on line 1)");
    }

    @Test
    void aSecondTree() {
        assertThatThrownBy(() -> parse("-[0000:00]---00.0\n-[0000:00]---00.0\n"))
                .isInstanceOf(ImportException.class).hasMessageContaining("t.txt:2: a second tree starts here");
    }

    @Test
    void noTreeAtAll() {
        assertThatThrownBy(() -> parse("lspci: Unable to load libkmod resources\n"))
                .isInstanceOf(ImportException.class).hasMessageStartingWith("t.txt: no lspci tree found");
    }
}
