package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.Hardware;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Devfn;
import dev.pcitimeline.domain.value.DeviceKind;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import dev.pcitimeline.scenarios.importer.LspciTree.Bus;
import dev.pcitimeline.scenarios.importer.LspciTree.Node;
import dev.pcitimeline.scenarios.importer.LspciVerbose.ExpressType;
import dev.pcitimeline.scenarios.runner.ScenarioValidator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns an {@code lspci -t} tree, optionally with an {@code lspci -v[vv]} listing of the same
 * machine (or such a listing alone), into a scenario whose {@code xen-boot} sees the machine as
 * firmware left it: every function of the dump at the same BDF, bridge registers set to the
 * dump's bus numbers (primary = the bus the bridge sits on, secondary/subordinate = its range).
 * <p>
 * A kind comes from the listing when it has the function (class code, Express capability
 * type); otherwise it is inferred from the tree's shape and the function's name, and every such
 * guess is written as a comment on its kind line and returned for stderr. Virtual functions in
 * the dump become the {@code enabled} count of their PF when the listing gives the PF's
 * SR-IOV data; without it they stay plain endpoints at their BDF, with a warning.
 */
public final class LspciImporter {

    /** Bridges known to be PCIe-to-PCI (Tundra Tsi38x, PLX PEX 811x, TI XIO2000/2001, ASPEED AST1150, ...). */
    private static final Pattern PCIE_TO_PCI_NAME = Pattern.compile("(?i).*(pci[ -]?e(xpress)?[ -]?to[ -]?pci\\b(?![ -]?e)"
            + "|tundra|tsi ?3[0-9]{2}|pex ?811[0-9]|xio ?[23][0-9]{3}|ast ?1150|pi7c9x1[0-9]{2}|it ?889[0-9]).*");
    private static final Pattern HOST_BRIDGE_NAME = Pattern.compile("(?i).*(host bridge|root complex|host-bridge).*");
    private static final Pattern VF_NAME = Pattern.compile("(?i).*virtual function.*");

    /** Options: {@code segment} picks one segment of a multi-segment dump; {@code scenarioName} null = from the file. */
    public record Options(Integer segment, String scenarioName) {
        public static final Options DEFAULT = new Options(null, null);
    }

    private LspciImporter() {
    }

    /**
     * @param main   an lspci tree, or a verbose listing when there is no tree
     * @param detail a verbose listing of the same machine, or null
     * @throws ImportException malformed input, or a dump that cannot make a scenario
     */
    public static LspciImport importDump(TextInput main, TextInput detail, Options options) {
        LspciTree tree;
        LspciVerbose verbose;
        List<SkippedLine> skipped = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (isTree(main)) {
            tree = LspciTreeParser.parse(main);
            verbose = detail == null ? null : LspciVerboseParser.parse(detail);
        } else if (detail != null && isTree(detail)) {
            tree = LspciTreeParser.parse(detail);
            verbose = LspciVerboseParser.parse(main);
        } else if (detail != null) {
            throw new ImportException(main.source(), 0, "neither " + main.source() + " nor " + detail.source()
                    + " is an lspci tree (lspci -t): give the tree first and the lspci -v listing with --detail");
        } else {
            verbose = LspciVerboseParser.parse(main);
            tree = treeFromListing(verbose, warnings);
        }
        skipped.addAll(tree.skipped());
        if (verbose != null) {
            // lines of the listing name their file when the tree came from another one
            boolean separate = !verbose.source().equals(tree.source());
            for (SkippedLine s : verbose.skipped()) {
                skipped.add(separate ? new SkippedLine(s.line(), verbose.source() + ": " + s.reason(), s.text()) : s);
            }
        }
        Conversion c = new Conversion(tree, verbose, options, warnings);
        return c.run(main.source(), detail == null ? null : detail.source(), skipped);
    }

    /** Whether the text holds an lspci tree before any verbose record. */
    private static boolean isTree(TextInput input) {
        for (String line : input.lines()) {
            if (LspciTreeParser.startsTree(line)) {
                return true;
            }
            if (LspciVerboseParser.isHeader(line)) {
                return false;
            }
        }
        return true; // neither: the tree parser explains what it expected
    }

    // ------------------------------------------------------------------ a tree from a verbose listing

    /**
     * Rebuilds the tree lspci -t would draw from the listing's bridge registers: a function sits
     * below the bridge whose secondary bus is its bus; one on a bus that only lies inside a
     * bridge's range goes below the narrowest such bridge (lspci lists that bus separately);
     * the rest sit on root buses.
     */
    static LspciTree treeFromListing(LspciVerbose v, List<String> warnings) {
        List<LspciVerbose.Function> all = new ArrayList<>(v.functions().values());
        all.sort(Comparator.comparing(LspciVerbose.Function::bdf));
        Map<Bdf, Node> nodes = new LinkedHashMap<>();
        for (LspciVerbose.Function f : all) {
            Bdf b = f.bdf();
            boolean bridgeLike = f.isBridgeClass() || f.express() == ExpressType.ROOT_PORT
                    || f.express() == ExpressType.UPSTREAM_PORT || f.express() == ExpressType.DOWNSTREAM_PORT
                    || f.express() == ExpressType.PCIE_TO_PCI_BRIDGE || f.express() == ExpressType.PCI_TO_PCIE_BRIDGE;
            if (f.buses() != null) {
                nodes.put(b, new Node(f.line(), b.segment(), b.bus(), devfn(b), f.name(), true, f.buses().secondary(),
                        f.buses().subordinate(), new ArrayList<>()));
            } else if (bridgeLike) {
                throw new ImportException(v.source(), f.line(), b + " is a bridge without a 'Bus: primary=.., "
                        + "secondary=.., subordinate=..' line: give the tree (lspci -t) as well");
            } else {
                nodes.put(b, new Node(f.line(), b.segment(), b.bus(), devfn(b), f.name(), false, 0, 0, List.of()));
            }
        }
        Map<Bdf, Node> parent = new HashMap<>();
        for (Node n : nodes.values()) {
            Node p = null;
            Node within = null;
            for (Node br : nodes.values()) {
                if (!br.bridge() || br == n || br.segment() != n.segment()) {
                    continue;
                }
                if (br.secondary() == n.bus()) {
                    if (p == null) {
                        p = br;
                    } else {
                        warnings.add(String.format("bus %02x is the secondary bus of both %s and %s (a decode conflict): "
                                + "%s is placed below %s", n.bus(), p.shortBdf(), br.shortBdf(), n.shortBdf(), p.shortBdf()));
                    }
                } else if (br.secondary() < n.bus() && n.bus() <= br.subordinate()
                        && (within == null || br.subordinate() - br.secondary() < within.subordinate() - within.secondary())) {
                    within = br;
                }
            }
            if (p == null) {
                p = within;
            }
            if (p != null) {
                parent.put(bdf(n), p);
            }
        }
        for (Node n : nodes.values()) {
            Node up = parent.get(bdf(n));
            for (int hops = 0; up != null; hops++) {
                if (hops > nodes.size()) {
                    throw new ImportException(v.source(), n.line(), "the bridges above " + n.shortBdf()
                            + " claim each other's buses (a cycle): the listing cannot be a tree");
                }
                up = parent.get(bdf(up));
            }
        }
        Map<Long, Bus> roots = new TreeMap<>();
        for (Node n : nodes.values()) {
            Node p = parent.get(bdf(n));
            Bus bus;
            if (p == null) {
                bus = roots.computeIfAbsent(((long) n.segment() << 8) | n.bus(),
                        k -> new Bus(n.segment(), n.bus(), n.line(), true));
            } else {
                bus = p.below().stream().filter(b -> b.number() == n.bus()).findFirst().orElse(null);
                if (bus == null) {
                    bus = new Bus(n.segment(), n.bus(), n.line(), n.bus() != p.secondary());
                    p.below().add(bus);
                }
            }
            bus.functions().add(n);
        }
        return new LspciTree(v.source(), new ArrayList<>(roots.values()), List.of());
    }

    static Bdf bdf(Node n) {
        return new Bdf(n.segment(), n.bus(), n.devfn().device(), n.devfn().function());
    }

    private static Devfn devfn(Bdf b) {
        return Devfn.of(b.device(), b.function());
    }

    // ------------------------------------------------------------------ the conversion

    /** A virtual function of the dump tied to its PF: {@code index} is its VF number. */
    private record VfLink(Bdf pf, int index) {
    }

    /** A kind and, when it was not read from the listing, why it was chosen. */
    private record Decision(DeviceKind kind, String guess) {
    }

    private static final class Conversion {
        final LspciTree tree;
        final LspciVerbose verbose;
        final Options options;
        final List<String> warnings;
        final Map<Bdf, Node> nodes = new LinkedHashMap<>();
        final Map<Bdf, LspciVerbose.Function> info = new HashMap<>();
        final Map<Bdf, VfLink> vfs = new HashMap<>();
        final Map<Bdf, Integer> enabled = new HashMap<>();
        final Map<Bdf, Decision> decisions = new LinkedHashMap<>();
        final List<FunctionSpec> hoisted = new ArrayList<>();
        final Map<String, String> names = new HashMap<>();
        final Map<String, String> kindComments = new HashMap<>();
        int segment;

        Conversion(LspciTree tree, LspciVerbose verbose, Options options, List<String> warnings) {
            this.tree = tree;
            this.verbose = verbose;
            this.options = options == null ? Options.DEFAULT : options;
            this.warnings = warnings;
        }

        LspciImport run(String mainSource, String detailSource, List<SkippedLine> skipped) {
            List<Bus> roots = chooseSegment();
            for (Bus bus : roots) {
                index(bus, null);
            }
            if (nodes.isEmpty()) {
                throw new ImportException(tree.source(), 0, "the tree lists no function");
            }
            if (verbose != null) {
                for (LspciVerbose.Function f : verbose.functions().values()) {
                    if (f.bdf().segment() != segment) {
                        continue;
                    }
                    if (nodes.containsKey(f.bdf())) {
                        info.put(f.bdf(), f);
                    } else {
                        warnings.add(verbose.source() + ":" + f.line() + ": " + f.bdf().shortText()
                                + " is in the lspci -v listing but not in the tree: ignored");
                    }
                }
            }
            linkVirtualFunctions();
            for (Bus bus : roots) {
                for (Node n : bus.functions()) {
                    decide(n, null);
                }
            }
            List<FunctionSpec> topology = new ArrayList<>();
            for (Bus bus : roots) {
                for (Node n : sorted(bus.functions())) {
                    if (!vfs.containsKey(bdf(n))) {
                        topology.add(spec(n, bus.number(), true));
                    }
                }
            }
            topology.addAll(hoisted);
            topology.sort(Comparator.comparing((FunctionSpec f) -> f.rootBusOrDefault()).thenComparing(FunctionSpec::devfn));

            List<String> guesses = new ArrayList<>();
            decisions.forEach((b, d) -> {
                if (d.guess() != null) {
                    guesses.add(b.shortText() + " " + d.kind().text() + ": " + d.guess());
                }
            });
            checkReach(topology);
            String name = scenarioName(mainSource);
            String yaml = write(name, mainSource, detailSource, topology, guesses);
            Scenario scenario = check(name, yaml);
            return new LspciImport(yaml, scenario, nodes.keySet(), vfs.size(), guesses, warnings, skipped);
        }

        /** The roots of the one segment the scenario will model. */
        private List<Bus> chooseSegment() {
            Set<Integer> segments = new TreeSet<>();
            tree.roots().forEach(b -> segments.add(b.segment()));
            if (options.segment() != null) {
                if (!segments.contains(options.segment())) {
                    throw new ImportException(tree.source(), 0, String.format("the dump has no segment %04x (it has %s)",
                            options.segment(), hexList(segments)));
                }
                segment = options.segment();
            } else if (segments.size() > 1) {
                throw new ImportException(tree.source(), 0, "the dump covers segments " + hexList(segments)
                        + " and a scenario models one: choose one with --segment");
            } else {
                segment = segments.isEmpty() ? 0 : segments.iterator().next();
            }
            return tree.roots().stream().filter(b -> b.segment() == segment).toList();
        }

        private static String hexList(Set<Integer> segments) {
            return segments.stream().map(s -> String.format("%04x", s)).collect(Collectors.joining(", "));
        }

        private void index(Bus bus, Node parent) {
            for (Node n : bus.functions()) {
                Node first = nodes.putIfAbsent(bdf(n), n);
                if (first != null) {
                    throw new ImportException(tree.source(), n.line(), bdf(n).shortText()
                            + " is listed twice (first on line " + first.line() + ")");
                }
                for (Bus b : n.below()) {
                    index(b, n);
                }
            }
        }

        // ---- SR-IOV

        /** Ties the dump's VFs to PFs whose SR-IOV data the listing gives, and sets each PF's enabled count. */
        private void linkVirtualFunctions() {
            for (LspciVerbose.Function pf : info.values().stream().sorted(Comparator.comparing(LspciVerbose.Function::bdf)).toList()) {
                LspciVerbose.Sriov s = pf.sriov();
                if (s == null) {
                    continue;
                }
                Bdf pfBdf = pf.bdf();
                if (nodes.get(pfBdf).bridge()) {
                    warnings.add(pfBdf.shortText() + " shows SR-IOV but is a bridge: its SR-IOV data is ignored");
                    continue;
                }
                TreeMap<Integer, Bdf> found = new TreeMap<>();
                for (int i = 0; i < s.totalVfs(); i++) {
                    int rid = pfBdf.rid() + s.vfOffset() + s.vfStride() * i;
                    if (rid > 0xffff) {
                        break;
                    }
                    Bdf vf = Bdf.ofRid(segment, rid);
                    Node n = nodes.get(vf);
                    if (n != null && !n.bridge() && !vf.equals(pfBdf) && !vfs.containsKey(vf)) {
                        found.put(i, vf);
                    }
                    if (s.vfStride() == 0) {
                        break;
                    }
                }
                int prefix = 0;
                while (found.containsKey(prefix)) {
                    prefix++;
                }
                for (Map.Entry<Integer, Bdf> e : found.entrySet()) {
                    if (e.getKey() < prefix) {
                        vfs.put(e.getValue(), new VfLink(pfBdf, e.getKey()));
                    } else {
                        warnings.add(String.format("%s sits where VF %d of %s would be, but VF %d is not in the dump: "
                                        + "it stays a plain function (enabled VFs are always numbered from 0)",
                                e.getValue().shortText(), e.getKey(), pfBdf.shortText(), prefix));
                    }
                }
                enabled.put(pfBdf, prefix);
                if (prefix != s.liveVfs()) {
                    warnings.add(String.format("%s: the listing says %d VF(s) enabled (Number of VFs %d, VF Enable%s), "
                                    + "the dump shows %d: enabled: %d, to match the functions of the dump",
                            pfBdf.shortText(), s.liveVfs(), s.numVfs(),
                            s.enabled() == null ? " not shown" : s.enabled() ? "+" : "-", prefix, prefix));
                }
            }
            for (Node n : nodes.values()) {
                Bdf b = bdf(n);
                if (vfs.containsKey(b) || n.bridge()) {
                    continue;
                }
                LspciVerbose.Function f = info.get(b);
                boolean named = nameOf(n) != null && VF_NAME.matcher(nameOf(n)).matches();
                if (named || (f != null && f.virtualRegions())) {
                    warnings.add(b.shortText() + " is a virtual function, but no PF's SR-IOV data (lspci -vv of the PF, "
                            + "given with --detail) covers it: modelled as a plain pcie-endpoint at its BDF");
                }
            }
        }

        // ---- kinds

        private void decide(Node n, DeviceKind parentKind) {
            Bdf b = bdf(n);
            Decision d = vfs.containsKey(b) ? new Decision(DeviceKind.PCIE_ENDPOINT, null) : fromListing(n, parentKind);
            if (d == null) {
                d = infer(n, parentKind);
            }
            decisions.put(b, d);
            for (Bus bus : n.below()) {
                for (Node c : bus.functions()) {
                    decide(c, d.kind());
                }
            }
        }

        /** The kind the listing's class code and Express capability give, or null to infer it. */
        private Decision fromListing(Node n, DeviceKind parentKind) {
            LspciVerbose.Function f = info.get(bdf(n));
            if (f == null) {
                return null;
            }
            if (f.capabilitiesHidden() && f.express() == null && !f.isHostBridgeClass()) {
                Decision d = infer(n, parentKind);
                return new Decision(d.kind(), d.guess() + "; the listing hides its capabilities (lspci run without root)");
            }
            DeviceKind kind;
            if (f.isHostBridgeClass()) {
                kind = DeviceKind.HOST_BRIDGE;
            } else if (f.isBridgeClass() || (f.express() != null && f.buses() != null)) {
                if (f.classCode() != null && f.classCode() == 0x0607) {
                    warnings.add(bdf(n).shortText() + " is a CardBus bridge (class 0607): Xen 4.4 classifies it as a "
                            + "plain device; modelled as a pci-bridge so that its bus range and children stay");
                    kind = DeviceKind.PCI_BRIDGE;
                } else if (f.express() == null) {
                    kind = DeviceKind.PCI_BRIDGE;
                } else {
                    kind = switch (f.express()) {
                        case ROOT_PORT -> DeviceKind.ROOT_PORT;
                        case UPSTREAM_PORT -> DeviceKind.UPSTREAM_PORT;
                        case DOWNSTREAM_PORT -> DeviceKind.DOWNSTREAM_PORT;
                        case PCIE_TO_PCI_BRIDGE -> DeviceKind.PCIE_TO_PCI_BRIDGE;
                        case PCI_TO_PCIE_BRIDGE -> DeviceKind.PCI_TO_PCIE_BRIDGE;
                        default -> null;
                    };
                    if (kind == null) {
                        // Xen calls any other bridge with a PCIe capability a PCIe bridge; pick the port by position.
                        Decision d = infer(n, parentKind);
                        DeviceKind port = d.kind() == DeviceKind.UPSTREAM_PORT || parentKind == DeviceKind.UPSTREAM_PORT
                                ? DeviceKind.DOWNSTREAM_PORT : DeviceKind.ROOT_PORT;
                        return new Decision(port, "a bridge whose Express type is '" + f.express().text()
                                + "': Xen sees a PCIe bridge, the port kind follows its position");
                    }
                }
            } else {
                kind = f.express() != null ? DeviceKind.PCIE_ENDPOINT : DeviceKind.PCI_ENDPOINT;
            }
            if (kind.isBridge() != n.bridge()) {
                warnings.add(bdf(n).shortText() + ": the listing (line " + f.line() + ") makes it a " + kind.text()
                        + " but the tree " + (n.bridge() ? "shows a bus range" : "shows no bus range")
                        + ": the tree wins, the kind is inferred");
                return null;
            }
            return new Decision(kind, null);
        }

        /** A kind from the tree's shape and the dump's name alone: always a guess. */
        private Decision infer(Node n, DeviceKind parentKind) {
            String name = nameOf(n) == null ? "" : nameOf(n);
            if (n.bridge()) {
                if (PCIE_TO_PCI_NAME.matcher(name).matches()) {
                    return new Decision(DeviceKind.PCIE_TO_PCI_BRIDGE, "named like a PCIe-to-PCI bridge");
                }
                if (name.matches("(?i).*root port.*")) {
                    return new Decision(DeviceKind.ROOT_PORT, "named like a root port");
                }
                if (name.matches("(?i).*upstream.*")) {
                    return new Decision(DeviceKind.UPSTREAM_PORT, "named like a switch's upstream port");
                }
                if (name.matches("(?i).*downstream.*")) {
                    return new Decision(DeviceKind.DOWNSTREAM_PORT, "named like a switch's downstream port");
                }
                if (parentKind == null) {
                    return new Decision(DeviceKind.ROOT_PORT, "a bridge on a root bus: a root port");
                }
                switch (parentKind) {
                    case UPSTREAM_PORT:
                        return new Decision(DeviceKind.DOWNSTREAM_PORT, "below a switch's upstream port: a downstream port");
                    case PCIE_TO_PCI_BRIDGE:
                    case PCI_BRIDGE:
                        return new Decision(DeviceKind.PCI_BRIDGE, "on a conventional PCI bus: a PCI-to-PCI bridge");
                    default:
                        if (hasEndpointBelow(n)) {
                            return new Decision(DeviceKind.PCIE_TO_PCI_BRIDGE, "below a PCIe port with endpoints on its "
                                    + "secondary bus (a switch's upstream port has only bridges there): a PCIe-to-PCI bridge");
                        }
                        return new Decision(DeviceKind.UPSTREAM_PORT, "below a PCIe port with "
                                + (n.below().isEmpty() ? "nothing" : "only bridges") + " below it: a switch's upstream port");
                }
            }
            if (vfs.containsKey(bdf(n)) || VF_NAME.matcher(name).matches() || (info.get(bdf(n)) != null
                    && info.get(bdf(n)).virtualRegions())) {
                return new Decision(DeviceKind.PCIE_ENDPOINT, "a virtual function (always PCIe)");
            }
            if (parentKind == null) {
                if (HOST_BRIDGE_NAME.matcher(name).matches()) {
                    return new Decision(DeviceKind.HOST_BRIDGE, "on a root bus and named like a host bridge");
                }
                return new Decision(DeviceKind.PCIE_ENDPOINT, "on a root bus: a root-complex integrated endpoint");
            }
            if (parentKind == DeviceKind.PCIE_TO_PCI_BRIDGE || parentKind == DeviceKind.PCI_BRIDGE) {
                return new Decision(DeviceKind.PCI_ENDPOINT, "on a conventional PCI bus");
            }
            return new Decision(DeviceKind.PCIE_ENDPOINT, "below a PCIe port");
        }

        /** The dump's name for a function: the tree's (-tv), else the listing's. */
        private String nameOf(Node n) {
            if (n.name() != null) {
                return n.name();
            }
            LspciVerbose.Function f = info.get(bdf(n));
            return f == null ? null : f.name();
        }

        private boolean hasEndpointBelow(Node bridge) {
            for (Bus bus : bridge.below()) {
                for (Node c : bus.functions()) {
                    if (!c.bridge() && !vfs.containsKey(bdf(c))) {
                        return true;
                    }
                }
            }
            return false;
        }

        // ---- specs

        /** The scenario node for {@code n}; {@code bus} is the bus it sits on. */
        private FunctionSpec spec(Node n, int bus, boolean topLevel) {
            Bdf b = bdf(n);
            Decision d = decisions.get(b);
            LspciVerbose.Function f = info.get(b);
            String id = id(d.kind(), b);
            if (nameOf(n) != null) {
                names.put(id, nameOf(n));
            }
            if (d.guess() != null) {
                kindComments.put(id, "guess: " + d.guess());
            }
            BridgeBuses buses = null;
            List<FunctionSpec> children = new ArrayList<>();
            if (d.kind().isBridge()) {
                int primary = bus;
                if (f != null && f.buses() != null) {
                    primary = f.buses().primary();
                    if (f.buses().secondary() != n.secondary() || f.buses().subordinate() != n.subordinate()) {
                        warnings.add(String.format("%s: the listing's Bus line says secondary %02x, subordinate %02x, "
                                        + "the tree [%02x-%02x]: the tree's numbers are used", b.shortText(),
                                f.buses().secondary(), f.buses().subordinate(), n.secondary(), n.subordinate()));
                    }
                    if (primary != bus) {
                        warnings.add(String.format("%s: primary register %02x, although it sits on bus %02x",
                                b.shortText(), primary, bus));
                    }
                }
                buses = new BridgeBuses(primary, n.secondary(), n.subordinate());
                for (Bus below : n.below()) {
                    for (Node c : sorted(below.functions())) {
                        if (vfs.containsKey(bdf(c))) {
                            continue;
                        }
                        if (below.number() == n.secondary()) {
                            children.add(spec(c, below.number(), false));
                        } else {
                            // Format 1 places a function on its parent's secondary bus or on a root bus.
                            warnings.add(String.format("%s is on bus %02x, inside %s's range but not its secondary bus: "
                                    + "it is placed on a root bus %02x so that it keeps its BDF",
                                    bdf(c).shortText(), below.number(), b.shortText(), below.number()));
                            hoisted.add(spec(c, below.number(), true));
                        }
                    }
                }
            }
            SriovSpec sriov = null;
            long bar2 = 0;
            if (d.kind().isEndpoint() && f != null) {
                bar2 = f.bar2();
                if (f.sriov() != null) {
                    sriov = new SriovSpec(f.sriov().totalVfs(), f.sriov().vfOffset(), f.sriov().vfStride(),
                            enabled.getOrDefault(b, 0));
                }
            } else if (f != null && f.sriov() != null && !d.kind().isBridge()) {
                warnings.add(b.shortText() + " shows SR-IOV but is a " + d.kind().text() + ": its SR-IOV data is ignored");
            }
            if (f != null && f.sriovShown() && f.sriov() == null) {
                warnings.add(b.shortText() + " has an SR-IOV capability whose details the listing does not show "
                        + "(they need lspci -vv): no sriov written");
            }
            return new FunctionSpec(id, n.devfn(), topLevel ? bus : null, d.kind(), buses, bar2, sriov, children);
        }

        private static List<Node> sorted(List<Node> list) {
            return list.stream().sorted(Comparator.comparing(Node::devfn)).toList();
        }

        private static String id(DeviceKind kind, Bdf b) {
            String prefix = switch (kind) {
                case HOST_BRIDGE -> "hb";
                case ROOT_PORT -> "rp";
                case UPSTREAM_PORT -> "up";
                case DOWNSTREAM_PORT -> "dp";
                case PCIE_TO_PCI_BRIDGE -> "pcie2pci";
                case PCI_TO_PCIE_BRIDGE -> "pci2pcie";
                case PCI_BRIDGE -> "pcibr";
                case PCIE_ENDPOINT -> "ep";
                case PCI_ENDPOINT -> "pci";
            };
            return String.format("%s-%02x-%02x.%x", prefix, b.bus(), b.device(), b.function());
        }

        // ---- output

        private String scenarioName(String mainSource) {
            if (options.scenarioName() != null) {
                return options.scenarioName();
            }
            return nameFrom(mainSource);
        }

        private String write(String name, String mainSource, String detailSource, List<FunctionSpec> topology,
                             List<String> guesses) {
            ScenarioWriter w = new ScenarioWriter();
            long bridges = decisions.values().stream().filter(d -> d.kind().isBridge()).count();
            w.comment(0, "Imported by `pci-timeline import lspci` from " + mainSource
                    + (detailSource == null ? "" : " with the lspci -v listing " + detailSource) + ".");
            w.comment(0, nodes.size() + " functions at the dump's BDFs: " + bridges + " bridges, " + vfs.size()
                    + " virtual functions (enabled on their PF), " + (nodes.size() - bridges - vfs.size()) + " others.");
            w.comment(0, "Bridge registers are the dump's bus numbers: primary = the bus the bridge sits on,");
            w.comment(0, "secondary/subordinate = the range lspci printed.");
            if (!guesses.isEmpty()) {
                w.comment(0, guesses.size() + " kind(s) are guesses (no lspci -v data for them): see \"guess:\" on their kind lines.");
            }
            if (!warnings.isEmpty()) {
                w.comment(0, "Warnings:");
                for (String warning : warnings) {
                    w.comment(0, "  " + warning);
                }
            }
            w.header(name, "Imported from " + mainSource + (detailSource == null ? "" : " and " + detailSource)
                    + " by pci-timeline import lspci", null, segment);
            w.topology(topology, names, kindComments);
            w.steps().step("xen-boot", null);
            return w.text();
        }

        /** Config space of the scenario must reach exactly the dump's functions; a warning says where not. */
        private void checkReach(List<FunctionSpec> topology) {
            Set<Bdf> reached = new TreeSet<>();
            try {
                Hardware.fromTopology(segment, topology).reachableFunctions().forEach(r -> reached.add(r.bdf()));
            } catch (IllegalArgumentException e) {
                throw new ImportException(tree.source(), 0, "the dump cannot be a machine: " + e.getMessage());
            }
            Set<Bdf> dumped = new TreeSet<>(nodes.keySet());
            if (!reached.equals(dumped)) {
                Set<Bdf> missing = new TreeSet<>(dumped);
                missing.removeAll(reached);
                Set<Bdf> extra = new TreeSet<>(reached);
                extra.removeAll(dumped);
                warnings.add("config space of the scenario does not reach exactly the dump's functions (a decode "
                        + "conflict?):" + (missing.isEmpty() ? "" : " not reached " + missing)
                        + (extra.isEmpty() ? "" : " reached but not in the dump " + extra));
            }
        }

        /** The output must be a valid scenario that replays. */
        private Scenario check(String name, String yaml) {
            Scenario scenario;
            try {
                scenario = new ScenarioParser().parse(name + ".yaml", yaml);
                ScenarioValidator.validate(scenario);
            } catch (ScenarioException e) {
                throw new ImportException(tree.source(), 0, "the scenario made from this dump is not valid: " + e.getMessage());
            }
            return scenario;
        }
    }

    /** A scenario name from a file name: lower case, [a-z0-9._-], without the extension. */
    static String nameFrom(String fileName) {
        String base = fileName;
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        String name = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (name.length() > 80) {
            name = name.substring(0, 80);
        }
        return name.isEmpty() ? "imported" : name;
    }
}
