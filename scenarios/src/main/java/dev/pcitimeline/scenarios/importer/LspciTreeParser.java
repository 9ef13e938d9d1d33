package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.value.Devfn;
import dev.pcitimeline.scenarios.importer.LspciTree.Bus;
import dev.pcitimeline.scenarios.importer.LspciTree.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the tree {@code lspci -t} draws (pciutils' ls-tree.c). A line is a chain: a bus
 * ({@code [SSSS:BB]}) or a function ({@code DD.F}), a bridge's range ({@code -[xx]-},
 * {@code -[xx-yy]-}), then the one function below ({@code --}) or the first of several
 * ({@code +-}). Every later line continues a list whose {@code +-} sits in the same column,
 * with {@code |} in the columns of lists still open and {@code \-} on the list's last entry.
 * The columns are the structure, so the parser checks them: a line that continues no open
 * list, or a list still open at the end, means garbage or a truncated tree and is an error
 * naming the line and column. Lines before the tree (a prompt, a heading) and after it are
 * skipped and reported; a uniform indent (a code block) is removed, and the BAR lines
 * {@code -tvv} prints below each function are passed over.
 */
public final class LspciTreeParser {

    private static final Pattern DEVFN = Pattern.compile("([0-9a-fA-F]{2})\\.([0-9a-fA-F])");
    private static final Pattern BUS = Pattern.compile("\\[(?:([0-9a-fA-F]{4,8}):)?([0-9a-fA-F]{1,3})]");
    /** -[0000:00]-, -+-[0000:00]-, or (pciutils before domains) -+-00.0 / ---00.0 */
    private static final Pattern TREE_START = Pattern.compile(
            " *-(?:[+\\\\]-)?\\[(?:[0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{1,3}]-|\\s*-[+\\\\-]-[0-9a-fA-F]{2}\\.[0-9a-fA-F]");
    /** What lspci -tvv prints below a function: its BARs, one per line, under the tree's '|' columns. */
    private static final Pattern BAR_LINE = Pattern.compile(
            "[ |]*\\s(?:Region \\d+: )?(?:\\[(?:virtual|enhanced)] )?(?:Memory at|I/O ports at) .*");
    private static final Pattern RANGE = Pattern.compile("\\[([0-9a-fA-F]{1,3})(?:-([0-9a-fA-F]{1,3}))?]");

    private final String source;
    /** Lists whose last entry ({@code \-}) has not come yet, by the column of their markers. */
    private final TreeMap<Integer, OpenList> open = new TreeMap<>();
    private final List<Bus> roots = new ArrayList<>();
    private final List<SkippedLine> skipped = new ArrayList<>();
    private int lineNo;
    private String text;
    /** Blanks removed before each line (a tree pasted as an indented code block). */
    private int indent;

    private LspciTreeParser(String source) {
        this.source = source;
    }

    /** A list being continued: functions of a bus, or buses of a bridge (null: of the host). */
    private record OpenList(int column, int line, Bus bus, Node bridge, int segment) {
    }

    public static LspciTree parse(TextInput input) {
        return new LspciTreeParser(input.source()).run(input.lines());
    }

    /** Whether {@code line} (trimmed) starts an lspci tree: {@code -[0000:00]-}, {@code -+-[...}. */
    static boolean startsTree(String line) {
        return TREE_START.matcher(line).lookingAt();
    }

    private LspciTree run(List<String> lines) {
        indent = -1;
        boolean ended = false;
        for (int i = 0; i < lines.size(); i++) {
            lineNo = i + 1;
            String raw = lines.get(i);
            if (raw.isBlank()) {
                continue;
            }
            if (indent < 0) {
                if (!startsTree(raw)) {
                    skipped.add(new SkippedLine(lineNo, "before the tree", raw));
                    continue;
                }
                indent = raw.indexOf('-');
                text = raw.substring(indent);
                firstLine();
                ended = open.isEmpty();
                continue;
            }
            String body = raw.length() >= indent && raw.substring(0, indent).isBlank() ? raw.substring(indent) : null;
            if (body != null && BAR_LINE.matcher(body).matches()) {
                continue; // -tvv: a BAR of the function above, nothing the tree needs
            }
            boolean continuation = body != null && looksLikeContinuation(body);
            if (ended) {
                if (continuation || startsTree(raw)) {
                    throw new ImportException(source, lineNo, continuation
                            ? "this line continues a tree that already ended on an earlier line (edited or pasted twice?)"
                            : "a second tree starts here: give one lspci -t output per file");
                }
                skipped.add(new SkippedLine(lineNo, "after the tree", raw));
                continue;
            }
            if (!continuation) {
                throw new ImportException(source, lineNo, "expected the tree to go on ('+-' or '\\-' under an open list, "
                        + "e.g. \" |  +-1c.0\"), found '" + TextInput.shorten(raw, 60)
                        + "': a garbage line or a truncated tree");
            }
            text = body;
            continuationLine();
            ended = open.isEmpty();
        }
        if (indent < 0) {
            throw new ImportException(source, 0, "no lspci tree found: expected the output of lspci -t or -tv, "
                    + "whose first line starts with -[0000:00]- or -+-[0000:00]-");
        }
        if (!open.isEmpty()) {
            OpenList first = open.firstEntry().getValue();
            throw new ImportException(source, lines.size(), "the tree is truncated: the list opened on line "
                    + first.line() + " (column " + (first.column() + indent + 1) + ") never got its last entry ('\\-')");
        }
        return new LspciTree(source, roots, skipped);
    }

    private static boolean looksLikeContinuation(String body) {
        int c = 0;
        while (c < body.length() && (body.charAt(c) == ' ' || body.charAt(c) == '|')) {
            c++;
        }
        return c > 0 && c + 1 < body.length() && (body.charAt(c) == '+' || body.charAt(c) == '\\')
                && body.charAt(c + 1) == '-';
    }

    // ---- the first line: lspci's host bridge and its bus(es)

    private void firstLine() {
        int p = 1; // after the host bridge's '-'
        if (at(p) == '[') {
            hostBus(p);
        } else if ((at(p) == '+' || at(p) == '\\') && at(p + 1) == '-' && at(p + 2) == '[') {
            if (at(p) == '+') {
                open.put(p, new OpenList(p, lineNo, null, null, 0));
            }
            hostBus(p + 2);
        } else if ((at(p) == '+' || at(p) == '\\' || at(p) == '-') && at(p + 1) == '-') {
            // pciutils before domains: the functions of bus 00 straight after the host bridge
            Bus bus = new Bus(0, 0, lineNo, false);
            roots.add(bus);
            busBody(bus, p);
        } else {
            throw error(p, "expected [SSSS:BB] or '+-[' after the tree's first '-'");
        }
    }

    private void hostBus(int p) {
        int[] end = new int[1];
        Bus bus = busHeader(p, 0, end);
        roots.add(bus);
        afterBusHeader(bus, end[0]);
    }

    /** {@code [SSSS:BB]} at p; {@code end[0]} is the index after {@code ]}. */
    private Bus busHeader(int p, int defaultSegment, int[] end) {
        Matcher m = BUS.matcher(text).region(p, text.length());
        if (!m.lookingAt()) {
            throw error(p, "expected a bus as [SSSS:BB], found '" + rest(p) + "'");
        }
        int segment = m.group(1) == null ? defaultSegment : hex(m.group(1), 0xffff, "segment", p);
        int bus = hex(m.group(2), 0xff, "bus", p);
        end[0] = m.end();
        return new Bus(segment, bus, lineNo, true);
    }

    private void afterBusHeader(Bus bus, int p) {
        if (at(p) != '-') {
            throw error(p, "expected '-' after the bus [" + String.format("%04x:%02x", bus.segment(), bus.number()) + "]");
        }
        busBody(bus, p + 1);
    }

    /** What follows a bus: nothing, {@code --} and its only function, or {@code +-} and the first of several. */
    private void busBody(Bus bus, int p) {
        if (p >= text.length()) {
            return;
        }
        if (at(p) == '-' && at(p + 1) == '-') {
            function(bus, p + 2);
        } else if ((at(p) == '+' || at(p) == '\\') && at(p + 1) == '-') {
            if (at(p) == '+') {
                open.put(p, new OpenList(p, lineNo, bus, null, bus.segment()));
            }
            function(bus, p + 2);
        } else {
            throw error(p, "expected '--' or '+-' and a function (DD.F), found '" + rest(p) + "'");
        }
    }

    /** {@code DD.F}, then a name, a bridge's range, or nothing. */
    private void function(Bus bus, int p) {
        Matcher m = DEVFN.matcher(text).region(p, text.length());
        if (!m.lookingAt()) {
            throw error(p, "expected a function as DD.F (device 00-1f, function 0-7), found '" + rest(p) + "'");
        }
        int device = Integer.parseInt(m.group(1), 16);
        int fn = Integer.parseInt(m.group(2), 16);
        if (device > 0x1f || fn > 7) {
            throw error(p, String.format("%02x:%s is out of range: a device is 00-1f and a function 0-7",
                    bus.number(), m.group()));
        }
        Devfn devfn = Devfn.of(device, fn);
        checkUnique(bus, devfn, p);
        int q = m.end();
        if (q >= text.length()) {
            bus.functions().add(Node.function(lineNo, bus.segment(), bus.number(), devfn, null));
        } else if (at(q) == ' ') {
            bus.functions().add(Node.function(lineNo, bus.segment(), bus.number(), devfn, text.substring(q).strip()));
        } else if (at(q) == '-') {
            bridge(bus, devfn, q);
        } else {
            throw error(q, "expected a name, a bus range -[xx-yy]- or the end of the line after "
                    + m.group() + ", found '" + rest(q) + "'");
        }
    }

    private void checkUnique(Bus bus, Devfn devfn, int p) {
        for (Node n : bus.functions()) {
            if (n.devfn().equals(devfn)) {
                throw error(p, String.format("%02x:%s is listed twice on bus %02x (first on line %d)",
                        bus.number(), devfn, bus.number(), n.line()));
            }
        }
    }

    /** A bridge: {@code -[xx]-} or {@code -[xx-yy]-} (or a bare {@code -}: secondary 0), then its bus(es). */
    private void bridge(Bus bus, Devfn devfn, int q) {
        int secondary = 0;
        int subordinate = 0;
        int r;
        if (at(q + 1) == '[') {
            Matcher m = RANGE.matcher(text).region(q + 1, text.length());
            if (!m.lookingAt()) {
                throw error(q + 1, "expected a bus range as [xx] or [xx-yy], found '" + rest(q + 1) + "'");
            }
            secondary = hex(m.group(1), 0xff, "secondary bus", q + 1);
            subordinate = m.group(2) == null ? secondary : hex(m.group(2), 0xff, "subordinate bus", q + 1);
            if (at(m.end()) != '-') {
                if (m.end() >= text.length()) {
                    throw error(m.end(), "the line ends inside the bridge's range: expected '-' after "
                            + m.group() + " (a cut line?)");
                }
                throw error(m.end(), "expected '-' after the bus range " + m.group());
            }
            r = m.end() + 1;
        } else {
            r = q + 1; // lspci prints no range when secondary is 0
        }
        Node node = Node.bridge(lineNo, bus.segment(), bus.number(), devfn, secondary, subordinate);
        bus.functions().add(node);
        if (r >= text.length()) {
            return; // an empty bridge (older pciutils)
        }
        if (at(r) != '-') {
            throw error(r, "expected '-' or the end of the line after the bridge's range, found '" + rest(r) + "'");
        }
        int t = r + 1;
        if (t >= text.length()) {
            return; // an empty bridge: -[12]--
        }
        if ((at(t) == '+' || at(t) == '\\') && at(t + 1) == '-' && at(t + 2) == '[') {
            // several buses below the bridge, each with its number
            if (at(t) == '+') {
                open.put(t, new OpenList(t, lineNo, null, node, bus.segment()));
            }
            bridgeBus(node, t + 2);
        } else {
            Bus secondaryBus = new Bus(bus.segment(), secondary, lineNo, false);
            node.below().add(secondaryBus);
            busBody(secondaryBus, t);
        }
    }

    private void bridgeBus(Node bridge, int p) {
        int[] end = new int[1];
        Bus bus = busHeader(p, bridge.segment(), end);
        for (Bus b : bridge.below()) {
            if (b.number() == bus.number()) {
                throw error(p, String.format("bus %02x is listed twice below %s", bus.number(), bridge.shortBdf()));
            }
        }
        bridge.below().add(bus);
        afterBusHeader(bus, end[0]);
    }

    // ---- continuation lines

    private void continuationLine() {
        int c = 0;
        while (at(c) == ' ' || at(c) == '|') {
            c++;
        }
        // Lists deeper than this entry must have ended with their '\-' entry.
        Map.Entry<Integer, OpenList> deeper = open.higherEntry(c);
        if (deeper != null) {
            throw new ImportException(source, lineNo, "column " + (c + indent + 1) + ": a new entry while the list opened on line "
                    + deeper.getValue().line() + " (column " + (deeper.getKey() + 1)
                    + ") has not had its last entry ('\\-'): lines are missing or were edited");
        }
        OpenList list = open.get(c);
        if (list == null) {
            throw error(c, "'" + at(c) + "-' continues no list: no open list has its entries in this column");
        }
        for (int col = 0; col < c; col++) {
            boolean isOpen = open.containsKey(col);
            if (at(col) == '|' && !isOpen) {
                throw error(col, "'|' where no list is open");
            }
            if (at(col) == ' ' && isOpen) {
                throw error(col, "expected '|' here: the list opened on line " + open.get(col).line()
                        + " is still open");
            }
        }
        if (at(c) == '\\') {
            open.remove(c);
        }
        if (list.bus() != null) {
            function(list.bus(), c + 2);
        } else if (list.bridge() != null) {
            bridgeBus(list.bridge(), c + 2);
        } else {
            hostBus(c + 2);
        }
    }

    // ---- helpers

    private char at(int i) {
        return i >= 0 && i < text.length() ? text.charAt(i) : '\0';
    }

    private String rest(int p) {
        return p >= text.length() ? "end of line" : TextInput.shorten(text.substring(p), 30);
    }

    private int hex(String digits, int max, String what, int column) {
        int value = Integer.parseInt(digits, 16);
        if (value > max) {
            throw error(column, what + " " + digits + " is out of range 0.." + Integer.toHexString(max));
        }
        return value;
    }

    private ImportException error(int column, String reason) {
        return new ImportException(source, lineNo, "column " + (column + indent + 1) + ": " + reason);
    }
}
