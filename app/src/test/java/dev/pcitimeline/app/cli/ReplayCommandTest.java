package dev.pcitimeline.app.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.query.SystemSummary;
import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code replay} command as API.md fixes it, run in-process through picocli with stdout and
 * stderr captured: the JSON document and its shapes, the exit statuses 0/1/2 and their messages,
 * --at-step/--at-event, --policy, --db, and the help of every command.
 */
class ReplayCommandTest {
    static final Path LIBRARY = Path.of("..", "scenarios", "library");
    static final Pattern BDF = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\\.[0-7]");
    static final Set<String> DEV_TYPES = Set.of("PCI_UNKNOWN", "PCIe_ENDPOINT", "PCIe_BRIDGE", "PCIe2PCI_BRIDGE",
            "PCI2PCIe_BRIDGE", "LEGACY_PCI_BRIDGE", "PCI_HOST_BRIDGE", "PCI");
    static final Set<String> BRIDGE_KINDS = Set.of("root-port", "upstream-port", "downstream-port",
            "pcie-to-pci-bridge", "pci-to-pcie-bridge", "pci-bridge");
    static final Set<String> KINDS = Set.of("host-bridge", "root-port", "upstream-port", "downstream-port",
            "pcie-to-pci-bridge", "pci-to-pcie-bridge", "pci-bridge", "pcie-endpoint", "pci-endpoint");
    static final Set<String> FINDING_KINDS = Set.of("BUS2BRIDGE_LOOP", "BUS2BRIDGE_SELF", "BUS2BRIDGE_DANGLING",
            "BUS2BRIDGE_STALE", "PDEV_STALE", "PDEV_MISSING", "CONTEXT_MISSING", "CONTEXT_FOREIGN", "CONTEXT_ORPHAN",
            "DECODE_CONFLICT", "XEN_HUNG", "DOMAIN_CRASHED");
    static final Set<String> OUTCOMES = Set.of("ok", "ENODEV", "EBUSY", "EINVAL", "EPERM", "ENXIO", "EBADF", "HUNG");
    /** API.md's command table: the options each command has. */
    static final Map<String, List<String>> API_OPTIONS = Map.of(
            "replay", List.of("--policy", "--at-step", "--at-event", "--json", "--db"),
            "serve", List.of("--port", "--db"),
            "audit", List.of("--bus", "--bdf", "--policy", "--json"));

    /** One document, so nothing may follow the array. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final ScenarioParser parser = new ScenarioParser();

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not one JSON document: " + e.getMessage() + "\n--- stdout:\n" + out
                        + "\n--- stderr:\n" + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stderr:\n" + err;
        }
    }

    /** Runs the command line in this JVM, as main() does but without System.exit, capturing stdout and stderr. */
    static Run run(Object... args) {
        String[] argv = Arrays.stream(args).map(Object::toString).toArray(String[]::new);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            CommandLine cl = PciTimelineCommand.commandLine();
            cl.setOut(new PrintWriter(o, true));
            cl.setErr(new PrintWriter(e, true));
            exit = cl.execute(argv);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path resource(String name) {
        try {
            return Path.of(ReplayCommandTest.class.getResource("/replay/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> library() throws IOException {
        try (Stream<Path> list = Files.list(LIBRARY)) {
            List<Path> files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")
                    || p.toString().endsWith(".json")).sorted().toList();
            assertThat(files).as("library files in %s", LIBRARY.toAbsolutePath()).isNotEmpty();
            return files;
        }
    }

    static Path libraryFile(String name) {
        Path file = LIBRARY.resolve(name);
        assertThat(file).as("the library's what-if scenario %s", name).exists();
        return file;
    }

    // ------------------------------------------------------------------ --json: one array, API.md shapes

    @Test
    void json_is_one_array_with_one_state_object_per_file_in_order_with_every_field_of_api_md() throws IOException {
        List<Path> files = new ArrayList<>(library().subList(0, Math.min(3, library().size())));
        files.add(resource("shapes.yaml"));
        files.add(resource("small.yaml"));

        Run run = run(Stream.concat(Stream.of("replay", "--json"), files.stream().map(Path::toString)).toArray());

        assertThat(run.exit()).as("%s", run).isZero();
        JsonNode array = run.json();
        assertThat(array.isArray()).as("stdout is an array").isTrue();
        assertThat(array).hasSize(files.size());
        for (int i = 0; i < files.size(); i++) {
            Scenario scenario = parser.parse(files.get(i));
            assertStateObject(array.get(i), scenario, files.get(i).toString());
            assertThat(array.get(i).get("step").asInt()).as("%s: after the last step", files.get(i))
                    .isEqualTo(scenario.steps().size() - 1);
            assertThat(array.get(i).get("expectations")).as("%s: expectations", files.get(i)).allSatisfy(e ->
                    assertThat(e.get("passed").asBoolean()).as("%s", e).isTrue());
        }

        // shapes.yaml's final state has every optional part; its values are worked out in the file's comments
        JsonNode shapes = array.get(files.size() - 2);
        assertThat(pdev(shapes, "0000:00:1e.0").get("domain").isNull()).as("p2e has no owner").isTrue();
        assertThat(pdev(shapes, "0000:00:1e.0").get("type").asText()).isEqualTo("PCI2PCIe_BRIDGE");
        assertThat(pdev(shapes, "0000:02:10.0").get("virtfnOf").asText()).isEqualTo("0000:01:00.0");
        assertThat(pdev(shapes, "0000:02:10.2").get("virtfnOf").asText()).isEqualTo("0000:01:00.0");
        assertThat(pdev(shapes, "0000:01:00.0").get("virtfnOf").isNull()).isTrue();
        JsonNode nicUp = byBdf(shapes.get("upstream"), "0000:05:00.0");
        assertThat(nicUp.get("result").asInt()).isEqualTo(1);
        assertThat(nicUp.get("bridge").asText()).isEqualTo("0000:03:00.0");
        assertThat(nicUp.get("secbus").asInt()).isEqualTo(4);
        JsonNode rootUp = byBdf(shapes.get("upstream"), "0000:00:01.0");
        assertThat(fieldNames(rootUp)).containsExactlyInAnyOrder("bdf", "result");
        assertThat(rootUp.get("result").asInt()).isZero();
        JsonNode steps = shapes.get("steps");
        assertThat(steps.get(3).get("step").asText()).isEqualTo("enable-sriov");
        assertThat(steps.get(3).get("events")).as("the refused second enable-sriov").isEmpty();
        assertThat(steps.get(2).get("events")).hasSize(2);
        assertThat(steps.get(4).get("outcome").asText()).isEqualTo("EINVAL");
        JsonNode vf = byBdf(shapes.get("hardware"), "0000:02:10.0");
        assertThat(vf.get("id").asText()).isEqualTo("pf.vf0");
        assertThat(vf.get("kind").asText()).isEqualTo("pcie-endpoint");
        assertThat(byBdf(shapes.get("hardware"), "0000:02:10.2").get("id").asText()).isEqualTo("pf.vf1");
        assertThat(shapes.get("findings")).anySatisfy(f -> {
            assertThat(f.get("kind").asText()).isEqualTo("DECODE_CONFLICT");
            assertThat(f.get("bus").asInt()).isEqualTo(5);
            assertThat(f.has("bdf")).isFalse();
        });
        assertThat(shapes.get("findings")).anySatisfy(f -> {
            assertThat(f.get("kind").asText()).isEqualTo("CONTEXT_MISSING");
            assertThat(f.get("bdf").asText()).isEqualTo("0000:00:01.0");
            assertThat(f.has("bus")).isFalse();
        });
    }

    /** Every field of API.md's state object, with its type, shape, order and cross-field rules. */
    static void assertStateObject(JsonNode s, Scenario scenario, String file) {
        String at = file + ": ";
        assertThat(s.isObject()).as(at + "a state object").isTrue();
        assertThat(fieldNames(s)).as(at + "fields").contains("scenario", "system", "policy", "segment", "event", "step",
                "hung", "pdevs", "bus2bridge", "upstream", "contexts", "hardware", "findings", "steps", "expectations");
        assertThat(s.get("scenario").isTextual()).isTrue();
        assertThat(s.get("scenario").asText()).as(at + "scenario").isEqualTo(scenario.name());
        assertThat(s.get("system").isTextual()).as(at + "system").isTrue();
        assertThat(s.get("system").asText()).as(at + "system").isNotBlank();
        assertThat(Arrays.stream(Policy.values()).map(Policy::text)).as(at + "policy").contains(s.get("policy").asText());
        assertThat(s.get("segment").isInt()).as(at + "segment").isTrue();
        assertThat(s.get("segment").asInt()).as(at + "segment").isEqualTo(scenario.segment());
        assertThat(s.get("event").isIntegralNumber()).as(at + "event").isTrue();
        long event = s.get("event").asLong();
        assertThat(event).as(at + "event").isPositive();
        assertThat(s.get("step").isInt()).as(at + "step").isTrue();
        int step = s.get("step").asInt();
        assertThat(step).as(at + "step").isBetween(-1, scenario.steps().size() - 1);
        assertThat(s.get("hung").isBoolean()).as(at + "hung").isTrue();

        List<String> pdevBdfs = new ArrayList<>();
        for (JsonNode p : array(s, "pdevs", at)) {
            assertThat(fieldNames(p)).as(at + "pdev %s", p).contains("bdf", "type", "domain", "virtfnOf");
            pdevBdfs.add(bdf(p.get("bdf"), at + "pdevs[].bdf"));
            assertThat(DEV_TYPES).as(at + "pdev type").contains(p.get("type").asText());
            assertThat(p.get("domain").isNull() || p.get("domain").isInt() && p.get("domain").asInt() >= 0)
                    .as(at + "pdev domain %s", p).isTrue();
            if (!p.get("virtfnOf").isNull()) {
                bdf(p.get("virtfnOf"), at + "pdevs[].virtfnOf");
            }
        }
        assertThat(pdevBdfs).as(at + "pdevs sorted by bus, devfn").isSorted().doesNotHaveDuplicates();

        List<Integer> buses = new ArrayList<>();
        for (JsonNode m : array(s, "bus2bridge", at)) {
            assertThat(fieldNames(m)).as(at + "bus2bridge entry").containsExactlyInAnyOrder("bus", "bridge");
            assertThat(m.get("bus").isInt()).isTrue();
            assertThat(m.get("bus").asInt()).isBetween(0, 255);
            buses.add(m.get("bus").asInt());
            bdf(m.get("bridge"), at + "bus2bridge[].bridge");
        }
        assertThat(buses).as(at + "bus2bridge sorted by bus").isSorted().doesNotHaveDuplicates();

        List<String> upstreamBdfs = new ArrayList<>();
        for (JsonNode u : array(s, "upstream", at)) {
            upstreamBdfs.add(bdf(u.get("bdf"), at + "upstream[].bdf"));
            assertThat(u.get("result").isInt()).as(at + "upstream result").isTrue();
            int result = u.get("result").asInt();
            assertThat(result).as(at + "upstream result").isIn(-1, 0, 1);
            if (result == 1) {
                assertThat(fieldNames(u)).as(at + "upstream %s", u).containsExactlyInAnyOrder("bdf", "result", "bridge", "secbus");
                bdf(u.get("bridge"), at + "upstream[].bridge");
                assertThat(u.get("secbus").isInt()).isTrue();
                assertThat(u.get("secbus").asInt()).isBetween(0, 255);
            } else {
                assertThat(fieldNames(u)).as(at + "upstream %s", u).containsExactlyInAnyOrder("bdf", "result");
            }
        }
        assertThat(upstreamBdfs).as(at + "upstream: one per pdev").containsExactlyInAnyOrderElementsOf(pdevBdfs);

        List<String> contextBdfs = new ArrayList<>();
        for (JsonNode c : array(s, "contexts", at)) {
            assertThat(fieldNames(c)).as(at + "context").containsExactlyInAnyOrder("bdf", "domain");
            contextBdfs.add(bdf(c.get("bdf"), at + "contexts[].bdf"));
            assertThat(c.get("domain").isInt() && c.get("domain").asInt() >= 0).as(at + "context %s", c).isTrue();
        }
        assertThat(contextBdfs).as(at + "contexts sorted by bus, devfn").isSorted().doesNotHaveDuplicates();

        List<String> hardwareBdfs = new ArrayList<>();
        for (JsonNode h : array(s, "hardware", at)) {
            hardwareBdfs.add(bdf(h.get("bdf"), at + "hardware[].bdf"));
            assertThat(h.get("id").isTextual()).as(at + "hardware id %s", h).isTrue();
            String kind = h.get("kind").asText();
            assertThat(KINDS).as(at + "hardware kind").contains(kind);
            if (BRIDGE_KINDS.contains(kind)) {
                assertThat(fieldNames(h)).as(at + "bridge %s", h).containsExactlyInAnyOrder("bdf", "id", "kind", "buses");
                assertThat(h.get("buses")).as(at + "buses of %s", h).hasSize(3)
                        .allSatisfy(b -> assertThat(b.isInt() && b.asInt() >= 0 && b.asInt() <= 255).isTrue());
            } else {
                assertThat(fieldNames(h)).as(at + "non-bridge %s", h).containsExactlyInAnyOrder("bdf", "id", "kind");
            }
        }
        assertThat(hardwareBdfs).as(at + "hardware sorted by bus, devfn").isSorted().doesNotHaveDuplicates();

        for (JsonNode f : array(s, "findings", at)) {
            String kind = f.get("kind").asText();
            assertThat(FINDING_KINDS).as(at + "finding kind").contains(kind);
            if (kind.equals("XEN_HUNG")) {
                assertThat(f.has("bus") || f.has("bdf") || f.has("domain")).as(at + "XEN_HUNG has no subject").isFalse();
            } else if (kind.equals("DOMAIN_CRASHED")) {
                assertThat(f.has("domain") && !f.has("bus") && !f.has("bdf")).as(at + "DOMAIN_CRASHED is about a domain")
                        .isTrue();
            } else {
                assertThat(f.has("bus") ^ f.has("bdf")).as(at + "finding %s has bus or bdf", f).isTrue();
            }
            if (f.has("bus")) {
                assertThat(f.get("bus").isInt() && f.get("bus").asInt() >= 0 && f.get("bus").asInt() <= 255).isTrue();
            }
            if (f.has("bdf")) {
                bdf(f.get("bdf"), at + "findings[].bdf");
            }
            assertThat(f.get("since").isIntegralNumber()).as(at + "since of %s", f).isTrue();
            assertThat(f.get("since").asLong()).as(at + "since of %s", f).isBetween(1L, event);
            assertThat(f.get("message").isTextual() && !f.get("message").asText().isBlank()).as(at + "message").isTrue();
            assertThat(f.get("message").asText()).as(at + "one-line message").doesNotContain("\n");
        }
        if (s.get("hung").asBoolean()) {
            assertThat(s.get("findings")).as(at + "a hung Xen is a finding")
                    .anySatisfy(f -> assertThat(f.get("kind").asText()).isEqualTo("XEN_HUNG"));
        }

        JsonNode steps = array(s, "steps", at);
        assertThat(steps).as(at + "steps up to step").hasSize(step + 1);
        long lastEvent = 0;
        for (int i = 0; i < steps.size(); i++) {
            JsonNode st = steps.get(i);
            assertThat(st.get("index").asInt()).as(at + "steps[%d].index", i).isEqualTo(i);
            assertThat(st.get("step").asText()).as(at + "steps[%d].step", i)
                    .isEqualTo(scenario.steps().get(i).step().keyword());
            assertThat(OUTCOMES).as(at + "steps[%d].outcome", i).contains(st.get("outcome").asText());
            JsonNode events = st.get("events");
            assertThat(events.isArray()).as(at + "steps[%d].events", i).isTrue();
            assertThat(events.size()).as(at + "steps[%d].events: [] or [first, last]", i).isIn(0, 2);
            if (events.size() == 2) {
                long first = events.get(0).asLong();
                long last = events.get(1).asLong();
                assertThat(first).as(at + "steps[%d].events", i).isGreaterThan(lastEvent).isLessThanOrEqualTo(last);
                assertThat(last).as(at + "steps[%d].events", i).isLessThanOrEqualTo(event);
                lastEvent = last;
            }
        }
        for (JsonNode e : array(s, "expectations", at)) {
            assertThat(e.get("step").isInt()).as(at + "expectation step").isTrue();
            assertThat(e.get("key").isTextual()).as(at + "expectation key").isTrue();
            assertThat(e.get("passed").isBoolean()).as(at + "expectation passed").isTrue();
            assertThat(e.get("message").isTextual()).as(at + "expectation message").isTrue();
        }
    }

    // ------------------------------------------------------------------ exit 1: a failed expectation

    @Test
    void a_failed_expectation_exits_1_naming_step_key_expected_and_actual() {
        Run run = run("replay", "--json", resource("small.yaml"), resource("failing-expectation.yaml"));

        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        List<String> failures = run.err().lines().filter(l -> l.contains("0000:00:03.0")).toList();
        assertThat(failures).as("stderr lines about the pdevs expectation\n%s", run.err()).isNotEmpty();
        assertThat(failures.get(0)).contains("step 0", "pdevs", "expected", "[0000:00:03.0]", "actual", "[0000:00:02.0]");
        assertThat(run.err().lines().filter(l -> l.contains("ENODEV")).toList()).as("%s", run.err())
                .anySatisfy(l -> assertThat(l).contains("step 1", "outcome", "expected ENODEV", "actual ok"));

        JsonNode array = run.json();
        assertThat(array).hasSize(2);
        JsonNode expectations = array.get(1).get("expectations");
        assertThat(expectations).anySatisfy(e -> {
            assertThat(e.get("step").asInt()).isZero();
            assertThat(e.get("key").asText()).isEqualTo("pdevs");
            assertThat(e.get("passed").asBoolean()).isFalse();
        });
        assertThat(expectations).anySatisfy(e -> {
            assertThat(e.get("step").asInt()).isEqualTo(1);
            assertThat(e.get("key").asText()).isEqualTo("outcome");
            assertThat(e.get("passed").asBoolean()).isFalse();
        });
        assertThat(expectations).as("the right contexts {} held").anySatisfy(e -> {
            assertThat(e.get("key").asText()).isEqualTo("contexts");
            assertThat(e.get("passed").asBoolean()).isTrue();
        });
        assertThat(array.get(0).get("expectations")).allSatisfy(e -> assertThat(e.get("passed").asBoolean()).isTrue());
    }

    // ------------------------------------------------------------------ exit 2: an invalid file

    @Test
    void an_invalid_file_among_valid_ones_exits_2_and_stores_nothing_of_it(@TempDir Path db) throws IOException {
        Path small = resource("small.yaml");
        Path unknownPf = resource("invalid-unknown-pf.yaml");
        Path unknownKey = resource("invalid-unknown-key.yaml");
        Path shapes = resource("shapes.yaml");

        Run run = run("replay", "--json", "--db", db, small, unknownPf, unknownKey, shapes);

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("invalid-unknown-pf.yaml:11", "steps[2].enable-sriov.pf", "igb1");
        assertThat(run.err()).contains("invalid-unknown-key.yaml:7", "topology[0].colour");
        JsonNode array = run.json();
        assertThat(array).as("one element per file").hasSize(4);
        assertStateObject(array.get(0), parser.parse(small), small.toString());
        assertStateObject(array.get(3), parser.parse(shapes), shapes.toString());
        assertError(array.get(1), unknownPf, 11, "steps[2].enable-sriov.pf");
        assertError(array.get(2), unknownKey, 7, "topology[0].colour");

        try (ConfigurableApplicationContext context = Cli.startWithoutWeb(db)) {
            List<String> scenarios = context.getBean(StateQueries.class).systems().stream()
                    .map(SystemSummary::scenario).toList();
            assertThat(scenarios).as("systems stored").containsExactlyInAnyOrder("cli-small", "cli-shapes");
        }
    }

    @Test
    void only_invalid_files_exit_2_with_an_error_element_each() {
        Run run = run("replay", "--json", resource("invalid-unknown-key.yaml"), resource("invalid-unknown-pf.yaml"));

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        JsonNode array = run.json();
        assertThat(array).hasSize(2);
        assertError(array.get(0), resource("invalid-unknown-key.yaml"), 7, "topology[0].colour");
        assertError(array.get(1), resource("invalid-unknown-pf.yaml"), 11, "steps[2].enable-sriov.pf");
    }

    private static void assertError(JsonNode element, Path file, int line, String key) {
        assertThat(element.get("file").asText()).as("%s", element).endsWith(file.getFileName().toString());
        JsonNode error = element.get("error");
        assertThat(error).as("error object of %s", element).isNotNull();
        assertThat(error.get("line").asInt()).isEqualTo(line);
        assertThat(error.get("key").asText()).isEqualTo(key);
        assertThat(error.get("message").asText()).contains(file.getFileName() + ":" + line, key);
    }

    // ------------------------------------------------------------------ --at-step / --at-event

    @Test
    void at_step_and_at_event_pick_the_point_of_the_state() {
        Path small = resource("small.yaml");   // xen-boot, assign, deassign
        Run atStep = run("replay", "--json", "--at-step", 1, small);
        assertThat(atStep.exit()).as("%s", atStep).isZero();
        JsonNode s = atStep.json().get(0);
        assertStateObject(s, parser.parse(small), small.toString());
        assertThat(s.get("step").asInt()).isEqualTo(1);
        assertThat(s.get("steps")).hasSize(2);
        assertThat(s.get("contexts")).as("after the assign").anySatisfy(c -> {
            assertThat(c.get("bdf").asText()).isEqualTo("0000:01:00.0");
            assertThat(c.get("domain").asInt()).isEqualTo(1);
        });
        assertThat(s.get("event").asLong()).isEqualTo(s.get("steps").get(1).get("events").get(1).asLong());

        Run atEvent = run("replay", "--json", "--at-event", 1, small);
        assertThat(atEvent.exit()).as("%s", atEvent).isZero();
        JsonNode e = atEvent.json().get(0);
        assertThat(e.get("event").asLong()).isEqualTo(1);
        assertThat(e.get("step").asInt()).as("before the first step").isEqualTo(-1);
        assertThat(e.get("steps")).isEmpty();
        assertThat(e.get("pdevs")).as("Xen has not booted").isEmpty();
        assertThat(e.get("hardware")).hasSize(2);
    }

    @Test
    void at_step_and_at_event_together_exit_2() {
        Run run = run("replay", "--at-step", 0, "--at-event", 1, resource("small.yaml"));

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("--at-step", "--at-event", "mutually exclusive");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void a_point_out_of_range_exits_2_naming_the_range() {
        Run step = run("replay", "--json", "--at-step", 3, resource("small.yaml"));   // steps 0..2
        assertThat(step.exit()).as("%s", step).isEqualTo(2);
        assertThat(step.err()).contains("at-step 3", "out of range", "0..2");
        assertThat(step.json()).hasSize(1);
        assertThat(step.json().get(0).get("error").get("message").asText()).contains("at-step 3");

        Run negative = run("replay", "--json", "--at-step", -1, resource("small.yaml"));
        assertThat(negative.exit()).as("%s", negative).isEqualTo(2);
        assertThat(negative.err()).contains("at-step -1", "out of range");

        Run event = run("replay", "--json", "--at-event", 0, resource("small.yaml"));
        assertThat(event.exit()).as("%s", event).isEqualTo(2);
        assertThat(event.err()).contains("at-event 0", "out of range", "1..");
    }

    // ------------------------------------------------------------------ --policy

    /**
     * invalidate-loop-readd is written for fix-invalidate-loop and says in its expect entries what
     * xen-4.4 ends with: the same steps under xen-4.4 leave bus 2's self-reference in place, and the
     * -1 walk keeps the Tundra's RIDs 02:00.0 and 03:00.0 with dom0 when the card goes to domain 1.
     */
    @Test
    void policy_prints_a_what_if_view_and_keeps_the_files_expectations() {
        Path file = libraryFile("invalidate-loop-readd.yaml");
        Run own = run("replay", "--json", file);
        Run whatIf = run("replay", "--json", "--policy", "xen-4.4", file);

        assertThat(own.exit()).as("%s", own).isZero();
        // the expectations are checked against the file's own build, so the what-if view cannot fail them
        assertThat(whatIf.exit()).as("%s", whatIf).isZero();
        assertThat(whatIf.json().get(0).get("expectations").size()).isEqualTo(own.json().get(0).get("expectations").size());
        JsonNode fixed = own.json().get(0);
        JsonNode xen44 = whatIf.json().get(0);
        assertThat(fixed.get("policy").asText()).isEqualTo("fix-invalidate-loop");
        assertThat(xen44.get("policy").asText()).isEqualTo("xen-4.4");
        assertThat(byBdf(fixed.get("contexts"), "0000:02:00.0").get("domain").asInt()).isEqualTo(1);
        assertThat(byBdf(xen44.get("contexts"), "0000:02:00.0").get("domain").asInt()).isZero();
        assertThat(byBdf(xen44.get("contexts"), "0000:03:00.0").get("domain").asInt()).isZero();
        assertThat(byBdf(xen44.get("contexts"), "0000:04:00.0").get("domain").asInt()).isEqualTo(1);
        assertThat(xen44.get("bus2bridge").toString()).isEqualTo(
                "[{\"bus\":2,\"bridge\":\"0000:02:00.0\"},{\"bus\":3,\"bridge\":\"0000:02:00.0\"},"
                        + "{\"bus\":4,\"bridge\":\"0000:03:01.0\"}]");
        assertThat(fixed.get("bus2bridge").toString()).isEqualTo(
                "[{\"bus\":3,\"bridge\":\"0000:02:00.0\"},{\"bus\":4,\"bridge\":\"0000:03:01.0\"}]");

        Run bad = run("replay", "--policy", "xen-9.9", file);
        assertThat(bad.exit()).as("%s", bad).isEqualTo(2);
        assertThat(bad.err()).contains("xen-9.9");
        assertThat(bad.out()).isEmpty();
    }

    // ------------------------------------------------------------------ --db

    @Test
    void db_keeps_the_systems_of_every_run(@TempDir Path db) throws IOException {
        Run first = run("replay", "--json", "--db", db, resource("small.yaml"));
        Run second = run("replay", "--json", "--db", db, resource("shapes.yaml"));
        assertThat(first.exit()).as("%s", first).isZero();
        assertThat(second.exit()).as("%s", second).isZero();
        String firstSystem = first.json().get(0).get("system").asText();
        String secondSystem = second.json().get(0).get("system").asText();
        assertThat(secondSystem).isNotEqualTo(firstSystem);

        try (ConfigurableApplicationContext context = Cli.startWithoutWeb(db)) {
            StateQueries queries = context.getBean(StateQueries.class);
            assertThat(queries.systems()).extracting(SystemSummary::system)
                    .containsExactlyInAnyOrder(firstSystem, secondSystem);
            ObjectNode stored = (ObjectNode) JSON.readTree(
                    new ObjectMapper().writeValueAsString(queries.state(firstSystem, null, null, null)));
            ObjectNode printed = (ObjectNode) first.json().get(0).deepCopy();
            stored.remove("expectations");
            printed.remove("expectations");
            assertThat(stored).as("the first run's system, read back from %s", db).isEqualTo(printed);
        }
    }

    @Test
    void db_that_is_a_file_exits_2_naming_it(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        Run run = run("replay", "--json", "--db", file, resource("small.yaml"));

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("--db", file.toString(), "not a directory");
        assertThat(run.out()).as("stdout").isEmpty();
    }

    /** A store that cannot be opened (here: a damaged database file) is not a failed expectation (exit 1). */
    @Test
    void a_store_that_cannot_be_opened_exits_2_with_one_error_element_per_file(@TempDir Path db) throws IOException {
        Files.writeString(db.resolve("pci-timeline.mv.db"), "this is not an H2 database\n".repeat(200));
        Run run = run("replay", "--json", "--db", db, resource("small.yaml"), resource("invalid-unknown-key.yaml"));

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("cannot open the event store under " + db);
        JsonNode array = run.json();
        assertThat(array).as("one element per file").hasSize(2);
        assertThat(array.get(0).get("file").asText()).endsWith("small.yaml");
        assertThat(array.get(0).get("error").get("message").asText()).contains("cannot open the event store");
        assertError(array.get(1), resource("invalid-unknown-key.yaml"), 7, "topology[0].colour");
    }

    // ------------------------------------------------------------------ help

    @Test
    void help_of_every_command_mentions_every_option() {
        CommandLine root = PciTimelineCommand.commandLine();
        Run rootHelp = run("--help");
        assertThat(rootHelp.exit()).isZero();
        assertThat(rootHelp.out()).contains("replay");
        assertMentionsEveryOption(rootHelp.out(), root);

        assertThat(root.getSubcommands()).containsKey("replay");
        for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help")) {
                continue;
            }
            assertThat(rootHelp.out()).as("root help lists %s", sub.getKey()).contains(sub.getKey());
            Run help = run(sub.getKey(), "--help");
            assertThat(help.exit()).as("%s --help: %s", sub.getKey(), help).isZero();
            assertMentionsEveryOption(help.out(), sub.getValue());
            for (String option : API_OPTIONS.getOrDefault(sub.getKey(), List.of())) {
                assertThat(help.out()).as("%s --help mentions API.md's %s", sub.getKey(), option).contains(option);
            }
            Run viaHelp = run("help", sub.getKey());
            assertThat(viaHelp.exit()).isZero();
            assertThat(viaHelp.out()).isEqualTo(help.out());
        }
        assertThat(run("replay", "--help").out()).contains("FILE");
    }

    private static void assertMentionsEveryOption(String help, CommandLine command) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (option.hidden()) {
                continue;
            }
            for (String name : option.names()) {
                assertThat(help).as("help of %s mentions %s", command.getCommandName(), name).contains(name);
            }
        }
    }

    // ------------------------------------------------------------------ the whole library, one invocation

    @Test
    void the_whole_library_replays_in_one_invocation_with_every_expectation_held() throws IOException {
        List<Path> files = library();
        long started = System.nanoTime();
        Run run = run(Stream.concat(Stream.of("replay", "--json"), files.stream().map(Path::toString)).toArray());
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("replay of the whole library (%d files) in one invocation: %d ms wall time%n",
                files.size(), millis);

        assertThat(run.exit()).as("%s", run).isZero();
        JsonNode array = run.json();
        assertThat(array).hasSize(files.size());
        for (int i = 0; i < files.size(); i++) {
            Scenario scenario = parser.parse(files.get(i));
            assertStateObject(array.get(i), scenario, files.get(i).toString());
            int expectKeys = 0;
            for (Iterator<JsonNode> it = array.get(i).get("expectations").elements(); it.hasNext(); ) {
                JsonNode e = it.next();
                assertThat(e.get("passed").asBoolean()).as("%s: %s", files.get(i), e.get("message")).isTrue();
                expectKeys++;
            }
            assertThat(expectKeys).as("%s: results, one per expect key", files.get(i)).isEqualTo(expectKeys(scenario));
        }
    }

    /** How many keys (other than policy) the expect entries of a scenario have: one result each. */
    private static int expectKeys(Scenario s) {
        List<dev.pcitimeline.scenarios.format.Expectation> all = new ArrayList<>(s.initialExpectations());
        s.steps().forEach(step -> all.addAll(step.expectations()));
        int n = 0;
        for (var e : all) {
            for (Object v : new Object[]{e.outcome(), e.bus2bridge(), e.pdevs(), e.upstream(), e.contexts(),
                    e.findings(), e.hung()}) {
                n += v == null ? 0 : 1;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode array(JsonNode s, String field, String at) {
        JsonNode a = s.get(field);
        assertThat(a).as(at + field).isNotNull();
        assertThat(a.isArray()).as(at + field + " is an array").isTrue();
        return a;
    }

    private static String bdf(JsonNode node, String what) {
        assertThat(node).as(what).isNotNull();
        assertThat(node.isTextual()).as(what + " is text: %s", node).isTrue();
        assertThat(node.asText()).as(what).matches(BDF);
        return node.asText();
    }

    private static JsonNode pdev(JsonNode state, String bdf) {
        return byBdf(state.get("pdevs"), bdf);
    }

    private static JsonNode byBdf(JsonNode array, String bdf) {
        for (JsonNode n : array) {
            if (bdf.equals(n.path("bdf").asText())) {
                return n;
            }
        }
        throw new AssertionError("no entry for " + bdf + " in " + array);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
