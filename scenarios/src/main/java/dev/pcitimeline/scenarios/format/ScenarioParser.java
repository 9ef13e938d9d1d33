package dev.pcitimeline.scenarios.format;

import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.step.StepArguments;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.BusNumber;
import dev.pcitimeline.domain.value.Devfn;
import dev.pcitimeline.domain.value.DeviceKind;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.value.Outcome;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.scenarios.format.YamlTree.Entry;
import dev.pcitimeline.scenarios.format.YamlTree.ListNode;
import dev.pcitimeline.scenarios.format.YamlTree.MapNode;
import dev.pcitimeline.scenarios.format.YamlTree.Node;
import dev.pcitimeline.scenarios.format.YamlTree.ScalarNode;
import dev.pcitimeline.scenarios.format.YamlTree.ScalarType;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static dev.pcitimeline.scenarios.format.YamlTree.child;
import static dev.pcitimeline.scenarios.format.YamlTree.index;

/**
 * The strict reader of scenario files (SCENARIOS.md, format 1), YAML or JSON. Everything the
 * file alone decides is checked here, and any problem is a {@link ScenarioException} naming
 * file, line and key; what needs the hardware model (unknown device ids, VF counts, occupied
 * slots) is left to the model. Stateless and thread-safe.
 */
public final class ScenarioParser {

    /** The source name of a scenario or step that came in a request body. */
    public static final String REQUEST = "<request>";

    /** Longest description accepted, in UTF-16 characters (the library's longest is under 1,000). */
    public static final int MAX_DESCRIPTION_LENGTH = 10_000;

    private static final Set<String> TOP_KEYS = Set.of("scenario", "description", "policy", "segment", "topology", "steps");
    private static final Pattern BUS_KEY = Pattern.compile("[0-9]{1,9}|0[xX][0-9a-fA-F]{1,7}");

    /** How an {@code expect} entry is written, for error messages (the steps' usages are in {@link Step.Kind}). */
    private static final String EXPECT_USAGE = "expect: {outcome: ok, pdevs: [...], ...}";

    /** Parses a scenario file; the file's name (without directories) is the source in messages. */
    public Scenario parse(Path file) {
        Path fileName = file.getFileName();
        String source = fileName == null ? file.toString() : fileName.toString();
        String text;
        try {
            // Checked before reading so a huge file never reaches memory (bytes >= code points).
            if (Files.size(file) > YamlTree.MAX_CODE_POINTS) {
                throw new ScenarioException(source, 0, "", "the file is larger than 4 MiB");
            }
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new ScenarioException(source, 0, "", "not UTF-8 text", e);
        } catch (IOException e) {
            throw new ScenarioException(source, 0, "", "cannot read the file: " + e, e);
        }
        return parse(source, text);
    }

    /** Parses a scenario from text; {@code sourceName} (null: {@value #REQUEST}) names it in messages. */
    public Scenario parse(String sourceName, String text) {
        String source = sourceName == null ? REQUEST : sourceName;
        Node root = YamlTree.read(source, text == null ? "" : text);
        if (root == null) {
            throw new ScenarioException(source, 1, "",
                    "the file is empty: a scenario needs at least the keys scenario, topology and steps");
        }
        return new Reader(source).scenario(root);
    }

    /**
     * Parses one step in scenario syntax, as the REST API receives it ({@code "xen-boot"},
     * {@code {"add": "0000:06:00.0"}}). Its BDFs must be in {@code segment}. The result has
     * index 0 and no expectations: the caller numbers it; {@code expect} is not a step and is refused.
     */
    public ScenarioStep parseStep(String sourceName, String text, int segment) {
        if (segment < 0 || segment > Scenario.MAX_SEGMENT) {
            throw new IllegalArgumentException("segment " + segment + " is out of range 0..65535");
        }
        String source = sourceName == null ? REQUEST : sourceName;
        Node root = YamlTree.read(source, text == null ? "" : text);
        if (root == null) {
            throw new ScenarioException(source, 1, "", "empty: expected one step, e.g. \"xen-boot\" or {\"add\": \"0000:06:00.0\"}");
        }
        Reader reader = new Reader(source);
        reader.segment = segment;
        return new ScenarioStep(0, reader.step(root, ""), root.line(), List.of());
    }

    /** One parse: the source for messages and the segment BDFs must be in. */
    private static final class Reader {
        private final String source;
        private int segment;

        Reader(String source) {
            this.source = source;
        }

        // ---- the scenario ----

        Scenario scenario(Node root) {
            Fields top = fields(root, "", "a scenario (a map with the keys scenario, topology and steps)", TOP_KEYS);
            // Read first: every BDF of the file is checked against it.
            if (top.has("segment")) {
                segment = (int) integer(top.get("segment"), top.path("segment"), 0, Scenario.MAX_SEGMENT);
            }
            Node nameNode = top.require("scenario");
            String name = text(nameNode, top.path("scenario"));
            if (!Scenario.NAME.matcher(name).matches()) {
                throw error(nameNode.line(), top.path("scenario"),
                        "'" + name + "' is not a scenario name: it must match [a-z0-9._-]{1,80}");
            }
            Node descriptionNode = top.get("description");
            String description = descriptionNode == null || isNull(descriptionNode)
                    ? null : description(descriptionNode, top.path("description"));
            Policy policy = top.has("policy")
                    ? check(top.get("policy"), top.path("policy"), () -> Policy.parse(text(top.get("policy"), top.path("policy"))))
                    : Scenario.DEFAULT_POLICY;
            List<FunctionSpec> topology = topology(top.require("topology"), top.path("topology"));
            Node stepsNode = top.require("steps");
            ListNode stepList = list(stepsNode, top.path("steps"), "a list of steps");

            List<Expectation> initial = new ArrayList<>();
            List<PendingStep> steps = new ArrayList<>();
            for (int i = 0; i < stepList.items().size(); i++) {
                Node item = stepList.items().get(i);
                String path = index(top.path("steps"), i);
                Entry expect = expectEntry(item);
                if (expect != null) {
                    List<Expectation> target = steps.isEmpty() ? initial : steps.get(steps.size() - 1).expectations;
                    target.add(expectation(expect, child(path, "expect"), steps.isEmpty()));
                } else {
                    steps.add(new PendingStep(steps.size(), step(item, path), item.line()));
                }
            }
            return new Scenario(name, description, policy, segment, topology, initial,
                    steps.stream().map(PendingStep::toStep).toList(), source);
        }

        /** A step whose {@code expect} entries are still being collected. */
        private record PendingStep(int index, Step step, int line, List<Expectation> expectations) {
            PendingStep(int index, Step step, int line) {
                this(index, step, line, new ArrayList<>());
            }

            ScenarioStep toStep() {
                return new ScenarioStep(index, step, line, expectations);
            }
        }

        /** The entry of a {@code - expect: ...} item, or null for any other item (a step or an error). */
        private static Entry expectEntry(Node item) {
            if (item instanceof MapNode map && map.entries().size() == 1) {
                return map.entries().get("expect");
            }
            return null;
        }

        // ---- topology ----

        private List<FunctionSpec> topology(Node node, String path) {
            ListNode list = list(node, path, "a list of functions");
            Map<String, Integer> ids = new HashMap<>();
            Map<Integer, Slot> slots = new HashMap<>();
            List<FunctionSpec> functions = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                functions.add(function(list.items().get(i), index(path, i), true, ids, slots));
            }
            return functions;
        }

        /** Who took a devfn among siblings, for the duplicate-devfn message. */
        private record Slot(String id, int line) {
        }

        /**
         * One topology node (also a plugged function).
         *
         * @param onRootBus whether it sits on a root bus: only then may it have {@code bus}
         * @param ids       ids seen so far in this tree: ids are unique in it
         * @param siblings  devfns taken on the same bus, keyed by root bus * 256 + devfn
         */
        private FunctionSpec function(Node node, String path, boolean onRootBus, Map<String, Integer> ids,
                                      Map<Integer, Slot> siblings) {
            Fields f = fields(node, path, "a function (a map with id, devfn, kind, ...)",
                    Set.of("id", "devfn", "bus", "kind", "buses", "children", "bar2", "sriov"));

            Node idNode = f.require("id");
            String id = id(idNode, f.path("id"));
            if (Step.Plug.ROOT.equals(id)) {
                throw error(idNode.line(), f.path("id"), "'root' is reserved: plug uses it for the root bus");
            }
            Integer firstLine = ids.putIfAbsent(id, idNode.line());
            if (firstLine != null) {
                throw error(idNode.line(), f.path("id"), "duplicate id '" + id + "' (first on line " + firstLine + ")");
            }

            Node devfnNode = f.require("devfn");
            Devfn devfn = check(devfnNode, f.path("devfn"), () -> Devfn.parse(text(devfnNode, f.path("devfn"))));
            Node kindNode = f.require("kind");
            DeviceKind kind = check(kindNode, f.path("kind"), () -> DeviceKind.parse(text(kindNode, f.path("kind"))));

            Integer rootBus = f.has("bus") ? rootBus(f, onRootBus) : null;
            int slotKey = (rootBus == null ? 0 : rootBus) * 256 + devfn.value();
            Slot taken = siblings.putIfAbsent(slotKey, new Slot(id, devfnNode.line()));
            if (taken != null) {
                throw error(devfnNode.line(), f.path("devfn"), "devfn " + devfn + " on this bus is already taken by '"
                        + taken.id() + "' (line " + taken.line() + ")");
            }
            BridgeBuses buses = bridgeBuses(f, kind);
            List<FunctionSpec> children = f.has("children") ? children(f, kind, ids) : List.of();
            long bar2 = f.has("bar2") ? bar2(f, kind) : 0;
            SriovSpec sriov = f.has("sriov") ? sriov(f, kind) : null;
            return check(f.map, path, () -> new FunctionSpec(id, devfn, rootBus, kind, buses, bar2, sriov, children));
        }

        private int rootBus(Fields f, boolean onRootBus) {
            if (!onRootBus) {
                throw error(f.keyLine("bus"), f.path("bus"),
                        "bus is only for a function on a root bus (top level, or plugged under root); "
                                + "this one sits on its parent's secondary bus");
            }
            return bus(f.get("bus"), f.path("bus"), "bus");
        }

        /** Required for bridges, forbidden for the rest; null for the rest. */
        private BridgeBuses bridgeBuses(Fields f, DeviceKind kind) {
            if (!kind.isBridge()) {
                if (f.has("buses")) {
                    throw error(f.keyLine("buses"), f.path("buses"), "buses are for bridges only, not a " + kind);
                }
                return null;
            }
            if (!f.has("buses")) {
                throw error(f.map.line(), f.path("buses"),
                        "missing required key: a " + kind + " needs buses [primary, secondary, subordinate]");
            }
            return buses(f.get("buses"), f.path("buses"));
        }

        private List<FunctionSpec> children(Fields f, DeviceKind kind, Map<String, Integer> ids) {
            if (!kind.isBridge()) {
                throw error(f.keyLine("children"), f.path("children"), "children are for bridges only, not a " + kind);
            }
            ListNode list = list(f.get("children"), f.path("children"), "a list of functions");
            Map<Integer, Slot> slots = new HashMap<>();
            List<FunctionSpec> children = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                children.add(function(list.items().get(i), index(f.path("children"), i), false, ids, slots));
            }
            return children;
        }

        private long bar2(Fields f, DeviceKind kind) {
            if (!kind.isEndpoint()) {
                throw error(f.keyLine("bar2"), f.path("bar2"), "bar2 is for endpoints only, not a " + kind);
            }
            return integer(f.get("bar2"), f.path("bar2"), 0, 0xffff_ffffL);
        }

        private BridgeBuses buses(Node node, String path) {
            ListNode list = list(node, path, "[primary, secondary, subordinate]");
            if (list.items().size() != 3) {
                throw error(list.line(), path, "expected [primary, secondary, subordinate], got " + list.items().size()
                        + (list.items().size() == 1 ? " number" : " numbers"));
            }
            return new BridgeBuses(
                    bus(list.items().get(0), index(path, 0), "primary"),
                    bus(list.items().get(1), index(path, 1), "secondary"),
                    bus(list.items().get(2), index(path, 2), "subordinate"));
        }

        private SriovSpec sriov(Fields function, DeviceKind kind) {
            if (!kind.isEndpoint()) {
                throw error(function.keyLine("sriov"), function.path("sriov"),
                        "sriov is for physical functions (endpoints) only, not a " + kind);
            }
            Node node = function.get("sriov");
            String path = function.path("sriov");
            Fields f = fields(node, path, "a map {total-vfs, vf-offset, vf-stride, enabled}",
                    Set.of("total-vfs", "vf-offset", "vf-stride", "enabled"));
            int total = intValue(f.require("total-vfs"), f.path("total-vfs"));
            int offset = intValue(f.require("vf-offset"), f.path("vf-offset"));
            int stride = intValue(f.require("vf-stride"), f.path("vf-stride"));
            int enabled = f.has("enabled") ? intValue(f.get("enabled"), f.path("enabled")) : 0;
            return check(node, path, () -> new SriovSpec(total, offset, stride, enabled));
        }

        // ---- steps ----

        Step step(Node node, String path) {
            if (node instanceof ScalarNode s && s.type() == ScalarType.STRING) {
                return bareStep(s.text(), s.line(), path);
            }
            if (node instanceof MapNode map) {
                Iterator<Entry> entries = map.entries().values().iterator();
                if (!entries.hasNext()) {
                    throw error(map.line(), path, "a step is a name or a map with exactly one key (the step), got an empty map");
                }
                Entry first = entries.next();
                if (entries.hasNext()) {
                    Entry second = entries.next();
                    throw error(second.line(), child(path, second.key()), "a step map has exactly one key, the step: '"
                            + second.key() + "' follows '" + first.key() + "' (one step per list item; check the indentation)");
                }
                return stepWithArguments(first, child(path, first.key()));
            }
            throw typeError(node, path, "a step (a name such as xen-boot, or a map with one key such as add: ...)");
        }

        private Step bareStep(String name, int line, String path) {
            if ("expect".equals(name)) {
                throw error(line, path, "step 'expect' needs arguments: " + EXPECT_USAGE);
            }
            if (!Step.Kind.exists(name)) {
                throw unknownStep(line, path, name);
            }
            Step.Kind kind = Step.Kind.of(name);
            if (!kind.bare()) {
                throw error(line, path, "step '" + name + "' needs arguments: " + kind.usage());
            }
            return kind.parse(new MapArguments(null));
        }

        private Step stepWithArguments(Entry entry, String path) {
            String keyword = entry.key();
            Node args = entry.value();
            if ("expect".equals(keyword)) {
                throw error(entry.line(), path, "expect is not a step: it checks the state inside a scenario file");
            }
            if (!Step.Kind.exists(keyword)) {
                throw unknownStep(entry.line(), path, keyword);
            }
            Step.Kind kind = Step.Kind.of(keyword);
            if (kind.scalarKey() != null && (kind.keys().isEmpty() || !(args instanceof MapNode))) {
                return kind.parse(new ScalarArgument(kind.scalarKey(), args, path));
            }
            if (kind.keys().isEmpty()) {
                throw error(entry.line(), path, keyword + " takes no arguments: write '- " + keyword + "'");
            }
            return kind.parse(new MapArguments(fields(args, path, "a map of arguments (usage: " + kind.usage() + ")",
                    kind.keys())));
        }

        /** A step's arguments in map form, each value read and reported at its own line and key. */
        private final class MapArguments implements StepArguments {
            /** null: a step written without arguments. */
            private final Fields f;

            MapArguments(Fields f) {
                this.f = f;
            }

            @Override
            public boolean has(String key) {
                return f != null && f.has(key);
            }

            @Override
            public Bdf bdf(String key) {
                return Reader.this.bdf(f.require(key), f.path(key));
            }

            @Override
            public int bus(String key) {
                return Reader.this.bus(f.require(key), f.path(key), key);
            }

            @Override
            public String id(String key) {
                return Reader.this.id(f.require(key), f.path(key));
            }

            @Override
            public int integer(String key, int min, int max) {
                return (int) Reader.this.integer(f.require(key), f.path(key), min, max);
            }

            @Override
            public boolean flag(String key) {
                return has(key) && bool(f.get(key), f.path(key));
            }

            @Override
            public DomainId guest(String key) {
                Node domain = f.require(key);
                return check(domain, f.path(key), () -> DomainId.guest(intValue(domain, f.path(key))));
            }

            @Override
            public Step.Reporting reporting(String key) {
                Node reporting = f.require(key);
                return check(reporting, f.path(key), () -> Step.Reporting.parse(text(reporting, f.path(key))));
            }

            @Override
            public FunctionSpec function(String key, boolean onRootBus) {
                // A plugged subtree is checked on its own: whether its ids or slot clash with the
                // hardware depends on the steps before it, which is the model's business.
                return Reader.this.function(f.require(key), f.path(key), onRootBus, new HashMap<>(), new HashMap<>());
            }
        }

        /** A step written with a lone value ({@code add: "0000:06:00.0"}): that value is its BDF argument. */
        private final class ScalarArgument implements StepArguments {
            private final String key;
            private final Node value;
            private final String path;

            ScalarArgument(String key, Node value, String path) {
                this.key = key;
                this.value = value;
                this.path = path;
            }

            @Override
            public boolean has(String k) {
                return key.equals(k);
            }

            @Override
            public Bdf bdf(String k) {
                return Reader.this.bdf(value(k), path);
            }

            private Node value(String k) {
                if (!key.equals(k)) {
                    throw new IllegalStateException("a lone step value stands for '" + key + "', not '" + k + "'");
                }
                return value;
            }

            @Override
            public int bus(String k) {
                return Reader.this.bus(value(k), path, k);
            }

            @Override
            public String id(String k) {
                return Reader.this.id(value(k), path);
            }

            @Override
            public int integer(String k, int min, int max) {
                return (int) Reader.this.integer(value(k), path, min, max);
            }

            @Override
            public boolean flag(String k) {
                return has(k) && bool(value(k), path);
            }

            @Override
            public DomainId guest(String k) {
                Node domain = value(k);
                return check(domain, path, () -> DomainId.guest(intValue(domain, path)));
            }

            @Override
            public Step.Reporting reporting(String k) {
                Node reporting = value(k);
                return check(reporting, path, () -> Step.Reporting.parse(text(reporting, path)));
            }

            @Override
            public FunctionSpec function(String k, boolean onRootBus) {
                return Reader.this.function(value(k), path, onRootBus, new HashMap<>(), new HashMap<>());
            }
        }

        private ScenarioException unknownStep(int line, String path, String name) {
            return error(line, path, "unknown step '" + name + "': expected one of " + Step.Kind.keywords() + ", expect");
        }

        // ---- expect ----

        /** @param beforeFirstStep no step precedes it, so there is no outcome to check */
        private Expectation expectation(Entry entry, String path, boolean beforeFirstStep) {
            Fields f = fields(entry.value(), path, "a map of expectations, as in " + EXPECT_USAGE,
                    Set.of("outcome", "bus2bridge", "pdevs", "upstream", "contexts", "findings", "hung", "policy"));
            Outcome outcome = null;
            if (f.has("outcome")) {
                if (beforeFirstStep) {
                    throw error(f.keyLine("outcome"), f.path("outcome"),
                            "outcome is the outcome of the previous step, and no step comes before this expect");
                }
                outcome = check(f.get("outcome"), f.path("outcome"), () -> Outcome.parse(text(f.get("outcome"), f.path("outcome"))));
            }
            return new Expectation(entry.line(), outcome,
                    f.has("bus2bridge") ? bus2bridge(f.get("bus2bridge"), f.path("bus2bridge")) : null,
                    f.has("pdevs") ? pdevs(f.get("pdevs"), f.path("pdevs")) : null,
                    f.has("upstream") ? upstream(f.get("upstream"), f.path("upstream")) : null,
                    f.has("contexts") ? contexts(f.get("contexts"), f.path("contexts")) : null,
                    f.has("findings") ? findings(f.get("findings"), f.path("findings")) : null,
                    f.has("hung") ? bool(f.get("hung"), f.path("hung")) : null,
                    f.has("policy") ? check(f.get("policy"), f.path("policy"),
                            () -> Policy.parse(text(f.get("policy"), f.path("policy")))) : null);
        }

        private TreeMap<Integer, Bdf> bus2bridge(Node node, String path) {
            MapNode map = map(node, path, "a map of bus number to bridge BDF, as in {6: \"0000:06:00.0\"}");
            TreeMap<Integer, Bdf> entries = new TreeMap<>();
            Map<Integer, Integer> lines = new HashMap<>();
            for (Entry e : map.entries().values()) {
                String keyPath = child(path, e.key());
                int bus = busKey(e, keyPath);
                Integer first = lines.putIfAbsent(bus, e.line());
                if (first != null) {
                    throw error(e.line(), keyPath, "bus " + bus + " is listed twice (first on line " + first + ")");
                }
                entries.put(bus, bdf(e.value(), keyPath));
            }
            return entries;
        }

        /** A map key naming a bus: decimal or 0x hex, 0..255 (YAML hands every key over as text). */
        private int busKey(Entry e, String keyPath) {
            if (!BUS_KEY.matcher(e.key()).matches()) {
                throw error(e.line(), keyPath, "'" + e.key() + "' is not a bus number (0..255)");
            }
            int value = e.key().length() > 1 && (e.key().charAt(1) == 'x' || e.key().charAt(1) == 'X')
                    ? Integer.parseInt(e.key().substring(2), 16)
                    : Integer.parseInt(e.key());
            return check(e.line(), keyPath, () -> BusNumber.check("bus", value));
        }

        private List<Bdf> pdevs(Node node, String path) {
            ListNode list = list(node, path, "a list of BDFs");
            List<Bdf> bdfs = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                Bdf bdf = bdf(item, index(path, i));
                int first = bdfs.indexOf(bdf);
                if (first >= 0) {
                    throw error(item.line(), index(path, i), bdf + " is listed twice (first at " + index(path, first) + ")");
                }
                bdfs.add(bdf);
            }
            return bdfs;
        }

        private Map<Bdf, UpstreamExpectation> upstream(Node node, String path) {
            MapNode map = map(node, path, "a map of BDF to -1, 0 or the bridge BDF");
            Map<Bdf, UpstreamExpectation> result = new TreeMap<>();
            for (Entry e : map.entries().values()) {
                String keyPath = child(path, e.key());
                Bdf bdf = bdfKey(e, keyPath, result.keySet());
                Node value = e.value();
                UpstreamExpectation expected;
                if (value instanceof ScalarNode s && s.type() == ScalarType.INTEGER) {
                    int n = intValue(value, keyPath);
                    if (n != -1 && n != 0) {
                        throw error(value.line(), keyPath, "expected -1, 0 or the bridge BDF (result 1), got " + s.text());
                    }
                    expected = n == -1 ? UpstreamExpectation.loop() : UpstreamExpectation.none();
                } else {
                    expected = UpstreamExpectation.bridge(bdf(value, keyPath));
                }
                result.put(bdf, expected);
            }
            return result;
        }

        private Map<Bdf, Integer> contexts(Node node, String path) {
            MapNode map = map(node, path, "a map of BDF to domain id");
            Map<Bdf, Integer> result = new TreeMap<>();
            for (Entry e : map.entries().values()) {
                String keyPath = child(path, e.key());
                Bdf bdf = bdfKey(e, keyPath, result.keySet());
                Node value = e.value();
                result.put(bdf, check(value, keyPath, () -> DomainId.of(intValue(value, keyPath))).value());
            }
            return result;
        }

        /** A map key that is a BDF, not equal to one already seen (keys may differ only in spelling). */
        private Bdf bdfKey(Entry e, String keyPath, Set<Bdf> seen) {
            Bdf bdf = bdf(e.key(), e.line(), keyPath);
            if (seen.contains(bdf)) {
                throw error(e.line(), keyPath, bdf + " is listed twice");
            }
            return bdf;
        }

        private List<ExpectedFinding> findings(Node node, String path) {
            ListNode list = list(node, path, "a list of findings, as in [{kind: BUS2BRIDGE_LOOP, bus: 6}]");
            List<ExpectedFinding> findings = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                String itemPath = index(path, i);
                Fields f = fields(list.items().get(i), itemPath, "a finding, as in {kind: BUS2BRIDGE_LOOP, bus: 6}",
                        Set.of("kind", "bus", "bdf"));
                Node kindNode = f.require("kind");
                ExpectedFinding.Kind kind = check(kindNode, f.path("kind"),
                        () -> ExpectedFinding.Kind.parse(text(kindNode, f.path("kind"))));
                Integer bus = null;
                Bdf bdf = null;
                if (f.has("bus")) {
                    requireSubject(kind, ExpectedFinding.Subject.BUS, f, "bus");
                    bus = bus(f.get("bus"), f.path("bus"), "bus");
                }
                if (f.has("bdf")) {
                    requireSubject(kind, ExpectedFinding.Subject.BDF, f, "bdf");
                    bdf = bdf(f.get("bdf"), f.path("bdf"));
                }
                findings.add(new ExpectedFinding(kind, bus, bdf));
            }
            return findings;
        }

        private void requireSubject(ExpectedFinding.Kind kind, ExpectedFinding.Subject given, Fields f, String key) {
            if (kind.subject() != given) {
                throw error(f.keyLine(key), f.path(key), kind + " is about " + kind.subject().text() + ", not " + given.text());
            }
        }

        // ---- values ----

        private ScenarioException error(int line, String path, String reason) {
            return new ScenarioException(source, line, path, reason);
        }

        private ScenarioException typeError(Node node, String path, String expected) {
            return error(node.line(), path, "expected " + expected + ", got " + node.describe());
        }

        /** Runs a domain constructor or parser and reports its IllegalArgumentException at this value. */
        private <T> T check(Node node, String path, Supplier<T> value) {
            return check(node.line(), path, value);
        }

        private <T> T check(int line, String path, Supplier<T> value) {
            try {
                return value.get();
            } catch (IllegalArgumentException e) {
                throw error(line, path, e.getMessage());
            }
        }

        private static boolean isNull(Node node) {
            return node instanceof ScalarNode s && s.type() == ScalarType.NULL;
        }

        /**
         * A scalar's text as written. Numbers count: YAML reads unquoted {@code 00.0} or
         * {@code 0000:06:00.0} as numbers, and the file still means a devfn or a BDF.
         */
        private String text(Node node, String path) {
            if (node instanceof ScalarNode s
                    && (s.type() == ScalarType.STRING || s.type() == ScalarType.INTEGER || s.type() == ScalarType.FLOAT)) {
                return s.text();
            }
            throw typeError(node, path, "a string");
        }

        /** An integer as YAML 1.1 reads it (decimal, 0x hex, 0o/leading-0 octal, 0b binary) within [min, max]. */
        private long integer(Node node, String path, long min, long max) {
            if (!(node instanceof ScalarNode s) || s.type() != ScalarType.INTEGER) {
                throw typeError(node, path, "an integer");
            }
            BigInteger value = s.integer();
            if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
                throw error(node.line(), path, s.text() + " is out of range " + min + ".." + max);
            }
            return value.longValue();
        }

        private int intValue(Node node, String path) {
            return (int) integer(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }

        private int bus(Node node, String path, String name) {
            int value = intValue(node, path);
            return check(node, path, () -> BusNumber.check(name, value));
        }

        private boolean bool(Node node, String path) {
            if (node instanceof ScalarNode s && s.type() == ScalarType.BOOLEAN) {
                return s.bool();
            }
            throw typeError(node, path, "true or false");
        }

        /**
         * The description: free text, but text. It is stored in the first event and shown in every listing, so it is
         * bounded, and control characters (NUL above all: PostgreSQL's text cannot hold it) and unpaired surrogates,
         * which YAML's escapes can spell, are refused. Tabs and line breaks are fine.
         */
        private String description(Node node, String path) {
            String text = text(node, path);
            if (text.length() > MAX_DESCRIPTION_LENGTH) {
                throw error(node.line(), path, "the description is " + text.length() + " characters long; at most "
                        + MAX_DESCRIPTION_LENGTH + " are allowed");
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean lineBreakOrTab = c == '\t' || c == '\n' || c == '\r';
                if (Character.getType(c) == Character.CONTROL && !lineBreakOrTab) {
                    throw error(node.line(), path, String.format("control character U+%04X at offset %d is not allowed", (int) c, i));
                }
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw error(node.line(), path, String.format("unpaired surrogate U+%04X at offset %d is not text", (int) c, i));
                }
            }
            return text;
        }

        /** A device id in a step: a topology id, which the model resolves later. */
        private String id(Node node, String path) {
            String id = text(node, path);
            if (!FunctionSpec.ID.matcher(id).matches()) {
                throw error(node.line(), path, "'" + id + "' is not a device id: ids match [a-z0-9._-]{1,40}");
            }
            return id;
        }

        private Bdf bdf(Node node, String path) {
            if (node instanceof ScalarNode s && s.type() != ScalarType.NULL && s.type() != ScalarType.BOOLEAN) {
                return bdf(s.text(), s.line(), path);
            }
            throw typeError(node, path, "a BDF (SSSS:BB:DD.F)");
        }

        /** Parses a BDF and holds it to the scenario's segment: one system covers one segment. */
        private Bdf bdf(String text, int line, String path) {
            Bdf bdf = check(line, path, () -> Bdf.parse(text));
            if (bdf.segment() != segment) {
                throw error(line, path, bdf + " is in segment " + String.format("%04x", bdf.segment())
                        + ", but the scenario's segment is " + String.format("%04x", segment));
            }
            return bdf;
        }

        private ListNode list(Node node, String path, String what) {
            if (node instanceof ListNode list) {
                return list;
            }
            throw typeError(node, path, what);
        }

        private MapNode map(Node node, String path, String what) {
            if (node instanceof MapNode map) {
                return map;
            }
            throw typeError(node, path, what);
        }

        /** A map with a fixed set of keys: any other key is an error at its line. */
        private Fields fields(Node node, String path, String what, Set<String> allowed) {
            MapNode map = map(node, path, what);
            for (Entry e : map.entries().values()) {
                if (!allowed.contains(e.key())) {
                    throw error(e.line(), child(path, e.key()), "unknown key '" + e.key() + "' (allowed here: "
                            + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
            }
            return new Fields(map, path);
        }

        private final class Fields {
            final MapNode map;
            final String path;

            Fields(MapNode map, String path) {
                this.map = map;
                this.path = path;
            }

            boolean has(String key) {
                return map.entries().containsKey(key);
            }

            /** The value, or null when the key is absent. */
            Node get(String key) {
                Entry e = map.entries().get(key);
                return e == null ? null : e.value();
            }

            Node require(String key) {
                if (!has(key)) {
                    throw error(map.line(), path(key), "missing required key '" + key + "'");
                }
                return get(key);
            }

            int keyLine(String key) {
                return map.entries().get(key).line();
            }

            String path(String key) {
                return child(path, key);
            }
        }
    }
}
