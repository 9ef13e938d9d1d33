package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.value.Devfn;

import java.util.ArrayList;
import java.util.List;

/**
 * What an {@code lspci -t} (or {@code -tv}, {@code -tvnn}, {@code -t -v -PP}) dump shows: the
 * buses lspci listed, each with its functions, bridges with their bus range and the buses
 * listed below them. Built by {@link LspciTreeParser}; also built from a verbose listing alone
 * by {@link LspciImporter}, so both inputs feed the same conversion.
 *
 * @param source  the file name, for messages
 * @param roots   the buses listed at top level (lspci's host bridge), in dump order
 * @param skipped lines outside the tree
 */
public record LspciTree(String source, List<Bus> roots, List<SkippedLine> skipped) {

    public LspciTree {
        roots = List.copyOf(roots);
        skipped = List.copyOf(skipped);
    }

    /**
     * A bus as listed: at top level {@code -[0000:20]-}, or below a bridge (its secondary bus,
     * shown without a number, or {@code +-[0000:05]-} when lspci put several buses there).
     *
     * @param line  where it was listed
     * @param shown whether the dump printed its number (false: a bridge's only bus, its secondary)
     */
    public record Bus(int segment, int number, int line, boolean shown, List<Node> functions) {
        public Bus(int segment, int number, int line, boolean shown) {
            this(segment, number, line, shown, new ArrayList<>());
        }
    }

    /**
     * One function of the dump.
     *
     * @param name        what {@code -v} printed after the number (vendor and device), or null
     * @param bridge      lspci printed a bus range: a bridge
     * @param secondary   the range's first bus (0 when lspci printed no range: secondary 0)
     * @param subordinate the range's last bus
     * @param below       buses lspci listed below this bridge (empty for an empty bridge)
     */
    public record Node(int line, int segment, int bus, Devfn devfn, String name, boolean bridge, int secondary,
                       int subordinate, List<Bus> below) {

        static Node function(int line, int segment, int bus, Devfn devfn, String name) {
            return new Node(line, segment, bus, devfn, name, false, 0, 0, List.of());
        }

        static Node bridge(int line, int segment, int bus, Devfn devfn, int secondary, int subordinate) {
            return new Node(line, segment, bus, devfn, null, true, secondary, subordinate, new ArrayList<>());
        }

        /** {@code BB:DD.F}, as lspci prints it. */
        public String shortBdf() {
            return String.format("%02x:%s", bus, devfn);
        }
    }

    /** Every function, depth first, in dump order. */
    public List<Node> allFunctions() {
        List<Node> out = new ArrayList<>();
        for (Bus bus : roots) {
            collect(bus, out);
        }
        return out;
    }

    private static void collect(Bus bus, List<Node> out) {
        for (Node n : bus.functions()) {
            out.add(n);
            for (Bus b : n.below()) {
                collect(b, out);
            }
        }
    }
}
