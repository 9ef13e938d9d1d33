package dev.pcitimeline.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pcitimeline.app.PciTimelineApplication;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against the real service (HTTP over a raw socket, so any byte can be sent): generated scenario and
 * step bodies (deep nesting, huge numbers, YAML alias bombs, far too many steps or functions, enormous strings, NUL
 * and control characters, invalid UTF-8, wrong or broken content types), query parameters and system ids (negative
 * and huge numbers, unicode, path traversal, encoded slashes and NULs). Whatever comes in:
 * <ul>
 *   <li>the status is one API.md allows for that endpoint, never a 500;</li>
 *   <li>an error is {@code application/problem+json} of bounded size, without a stack trace or a Java class name;</li>
 *   <li>a refused write stores nothing (the systems and their event counts are the same before and after).</li>
 * </ul>
 * Time and memory are bounded by the limits the service sets (docs/reliability.md): body 1 MiB, depth 100, no YAML
 * aliases, anchors or tags, steps and functions per request, description length.
 */
class HostileInputProperties {
    private static final Pattern CLASS_NAME = Pattern.compile(
            "(java|javax|jakarta|org\\.springframework|org\\.apache|org\\.axonframework|org\\.h2|org\\.yaml|com\\.fasterxml|dev\\.pcitimeline)\\.[a-zA-Z]");
    private static final int MAX_ERROR_BYTES = 16 * 1024;
    private static final String VALID_SCENARIO = """
            scenario: hostile
            description: a small machine
            topology:
              - {id: rp, devfn: "1c.0", kind: root-port, buses: [0, 1, 1],
                 children: [{id: nic, devfn: "00.0", kind: pcie-endpoint, sriov: {total-vfs: 2, vf-offset: 1, vf-stride: 1}}]}
              - {id: br, devfn: "1e.0", kind: pci-bridge, buses: [0, 2, 2]}
            steps:
              - xen-boot
              - add: "0000:01:00.0"
              - expect: {outcome: ok}
            """;
    private static final List<String> CONTENT_TYPES = List.of("application/yaml", "application/json", "text/plain",
            "application/x-yaml", "text/yaml", "application/json; charset=UTF-8", "application/yaml; charset=utf-16",
            "text/plain; charset=ISO-8859-1", "application/xml", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded", "", "a/b/c", "application/json; charset=klingon", "*/*",
            "application/json; charset=\"", "text/yaml;;;", "application/problem+json");

    private static ConfigurableApplicationContext service;
    private static RawHttp http;
    private static String system;
    private static final Map<String, AtomicInteger> CASES = new TreeMap<>();

    @BeforeContainer
    static void start() {
        service = new SpringApplicationBuilder(PciTimelineApplication.class).web(WebApplicationType.SERVLET)
                .properties("pcitimeline.db=target/test-stores/hostile-" + UUID.randomUUID(), "server.port=0")
                .run();
        http = new RawHttp(((WebServerApplicationContext) service).getWebServer().getPort());
        RawHttp.Response created = http.post("/api/systems", "application/yaml", bytes(VALID_SCENARIO));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        system = created.json().get("system").asText();
    }

    @AfterContainer
    static void stop() {
        CASES.forEach((property, n) -> System.out.printf("hostile input: %s: %d cases%n", property, n.get()));
        System.out.printf("hostile input: %d cases in all, no 500, no stack trace, nothing stored on refusal%n",
                CASES.values().stream().mapToInt(AtomicInteger::get).sum());
        if (service != null) {
            service.close();
        }
    }

    record Body(String contentType, byte[] bytes, String what) {
        @Override
        public String toString() {
            return what + " as '" + contentType + "' (" + bytes.length + " bytes): "
                    + RawHttp.abbreviate(new String(bytes, StandardCharsets.ISO_8859_1));
        }
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 400, shrinking = ShrinkingMode.BOUNDED)
    void scenarioBodies(@ForAll("scenarioDocuments") Body body) {
        count("POST /api/systems");
        Map<String, Long> before = stored();
        RawHttp.Response r = http.post("/api/systems", body.contentType(), body.bytes());
        Statistics.collect(r.status());
        wellBehaved(r, Set.of(201, 400, 413, 415, 422), body);
        Map<String, Long> after = stored();
        if (r.status() == 201) {
            after.remove(r.json().get("system").asText());
        }
        assertThat(after).as("nothing stored by %s -> %s", body, r).isEqualTo(before);
    }

    @Property(tries = 400, shrinking = ShrinkingMode.BOUNDED)
    void stepBodies(@ForAll("stepDocuments") Body body) {
        count("POST /api/systems/{system}/steps");
        Map<String, Long> before = stored();
        RawHttp.Response r = http.post("/api/systems/" + system + "/steps", body.contentType(), body.bytes());
        Statistics.collect(r.status());
        wellBehaved(r, Set.of(200, 400, 413, 415, 422), body);
        Map<String, Long> after = stored();
        if (r.status() == 200) {
            assertThat(after.get(system)).as("a step that ran adds events").isGreaterThan(before.get(system));
            after.put(system, before.get(system));
        }
        assertThat(after).as("nothing stored by %s -> %s", body, r).isEqualTo(before);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED)
    void queryParameters(@ForAll("queries") String target) {
        count("GET queries");
        RawHttp.Response r = http.get(target);
        Statistics.collect(r.status());
        wellBehaved(r, Set.of(200, 400, 404), target);
    }

    @Property(tries = 400, shrinking = ShrinkingMode.BOUNDED)
    void systemIdsInPaths(@ForAll("systemIds") String id, @ForAll("pathMethods") String method) {
        count("system ids in paths");
        Map<String, Long> before = stored();
        RawHttp.Response r = switch (method) {
            case "state" -> http.get("/api/systems/" + id + "/state");
            case "events" -> http.get("/api/systems/" + id + "/events?from=1");
            case "summary" -> http.get("/api/systems/" + id);
            default -> http.post("/api/systems/" + id + "/steps", "application/json", bytes("\"xen-boot\""));
        };
        Statistics.collect(method, r.status());
        // A GET whose path normalises to another resource ("." or "..") may well answer 200: it is still a read.
        wellBehaved(r, method.equals("step") ? Set.of(400, 404, 405) : Set.of(200, 400, 404, 405), id);
        assertThat(stored()).as("nothing stored for system id %s", id).isEqualTo(before);
    }

    // ------------------------------------------------------------------ checks

    /** An allowed status; errors as small problem documents that give nothing of the server away. */
    private static void wellBehaved(RawHttp.Response r, Set<Integer> allowed, Object input) {
        assertThat(r.status()).as("status for %s: %s", input, r).isIn(allowed);
        if (r.status() >= 400) {
            assertThat(r.contentType()).as("%s -> %s", input, r).startsWith("application/problem+json");
            assertThat(r.body().length()).as("size of the error for %s", input).isLessThanOrEqualTo(MAX_ERROR_BYTES);
            JsonNode p = r.json();
            assertThat(p.path("status").asInt()).isEqualTo(r.status());
            assertThat(p.path("title").asText()).isNotBlank();
            // The instance echoes the request path; the rest is ours and must not name classes.
            String ours = r.body().replace(p.path("instance").asText(), "");
            assertThat(ours).as("%s -> %s", input, r).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(CLASS_NAME.matcher(ours).find()).as("a class name in %s", r).isFalse();
        }
    }

    /** Every system with its event count. */
    private static Map<String, Long> stored() {
        RawHttp.Response r = http.get("/api/systems");
        assertThat(r.status()).isEqualTo(200);
        Map<String, Long> out = new TreeMap<>();
        r.json().forEach(s -> out.put(s.get("system").asText(), s.get("events").asLong()));
        return out;
    }

    private static void count(String property) {
        synchronized (CASES) {
            CASES.computeIfAbsent(property, p -> new AtomicInteger()).incrementAndGet();
        }
    }

    // ------------------------------------------------------------------ generators: documents

    @Provide
    Arbitrary<Body> scenarioDocuments() {
        Arbitrary<String> documents = Arbitraries.frequencyOf(
                Tuple.of(4, mutated(VALID_SCENARIO)),
                Tuple.of(2, deepNesting()),
                Tuple.of(2, hugeNumbers()),
                Tuple.of(1, aliasBombs()),
                Tuple.of(1, tooManySteps()),
                Tuple.of(1, tooManyFunctions()),
                Tuple.of(2, enormousStrings()),
                Tuple.of(1, hostileDescriptions()),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(300)));
        return bodies(documents, "scenario");
    }

    @Provide
    Arbitrary<Body> stepDocuments() {
        Arbitrary<String> steps = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("\"xen-boot\"", "{\"add\": \"0000:01:00.0\"}", "{\"remove\": \"0000:01:00.0\"}",
                        "{\"enable-sriov\": {\"pf\": \"nic\", \"vfs\": 2}}", "{\"dom0-rescan\": {\"bus\": 1}}",
                        "{\"assign\": {\"bdf\": \"0000:01:00.0\", \"domain\": 3}}",
                        "{\"plug\": {\"parent\": \"br\", \"function\": {\"id\": \"n2\", \"devfn\": \"01.0\", \"kind\": \"pci-endpoint\"}}}")
                        .flatMap(this::mutated)),
                Tuple.of(1, deepNesting()),
                Tuple.of(1, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(100_000)
                        .map(d -> "{\"dom0-rescan\": {\"bus\": " + d + "}}")),
                // Few children (may run) or more than a request may bring (refused); never a huge machine that runs.
                Tuple.of(1, Arbitraries.oneOf(Arbitraries.integers().between(0, 20),
                        Arbitraries.integers().between(RequestLimits.MAX_FUNCTIONS, 2_000)).map(HostileInputProperties::plugWithChildren)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(2_000).map(s -> "{\"add\": " + jsonString(s) + "}")),
                Tuple.of(1, aliasBombs()),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)));
        return bodies(steps, "step");
    }

    /** Text as UTF-8, sometimes with raw bytes spliced in (NUL, invalid UTF-8, BOMs, overlong forms), any content type. */
    private Arbitrary<Body> bodies(Arbitrary<String> documents, String what) {
        Arbitrary<byte[]> splice = Arbitraries.of(new byte[]{0}, new byte[]{(byte) 0xff}, new byte[]{(byte) 0xc0, (byte) 0x80},
                new byte[]{(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[]{(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                new byte[]{(byte) 0xfe, (byte) 0xff}, new byte[]{(byte) 0xe2, (byte) 0x82}, new byte[]{'\r'},
                new byte[]{0x1b, '[', '2', 'J'});
        Arbitrary<byte[]> raw = Combinators.combine(documents, splice, Arbitraries.integers().between(0, 100),
                        Arbitraries.integers().between(0, 3))
                .as((text, extra, percent, mode) -> {
                    byte[] b = bytes(text);
                    if (mode != 0 || b.length == 0) {
                        return b;
                    }
                    int at = (int) ((long) b.length * percent / 100);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(b, 0, at);
                    out.writeBytes(extra);
                    out.write(b, at, b.length - at);
                    return out.toByteArray();
                });
        Arbitrary<String> types = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("application/yaml", "application/json")),
                Tuple.of(3, Arbitraries.of(CONTENT_TYPES)));
        return Combinators.combine(types, raw).as((type, b) -> new Body(type, b, what));
    }

    /** A valid document with random damage: text inserted, a range deleted, a line doubled, or truncated. */
    private Arbitrary<String> mutated(String valid) {
        Arbitrary<String> junk = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of("&a ", "*a", "!!python/object:os.system ", "<<: *a", "{", "[", "]", "}", ": ", "- ",
                        "---\n", "...\n", "\t", "\"", "'", "\\u0000", "\\x00", "%YAML 1.1\n", "#", "? ", "|\n", ">-\n",
                        "0x", "1e999999", ".nan", "~", "null", "yes", "ｘ", "\u202e", "\ud83d\ude00", "\uFEFF"));
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, valid.length()),
                        Arbitraries.integers().between(0, 40), junk)
                .as((mode, at, length, text) -> switch (mode) {
                    case 0 -> valid.substring(0, at) + text + valid.substring(at);
                    case 1 -> valid.substring(0, at) + valid.substring(Math.min(valid.length(), at + length));
                    case 2 -> valid.substring(0, at);
                    case 3 -> {
                        String[] lines = valid.split("\n");
                        int i = at % lines.length;
                        yield valid.replace(lines[i] + "\n", lines[i] + "\n" + lines[i] + "\n");
                    }
                    default -> valid.substring(0, at) + text + valid.substring(Math.min(valid.length(), at + text.length()));
                });
    }

    private Arbitrary<String> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(90, 400_000), Arbitraries.of("[", "{a: ", "- ", "{\"a\":"),
                        Arbitraries.of(true, false))
                .as((depth, open, closed) -> {
                    String close = open.startsWith("[") ? "]" : open.startsWith("{") ? "}" : "";
                    int n = Math.min(depth, (1 << 20) / open.length() - 10);
                    String inner = open.equals("- ") ? indentedList(Math.min(n, 2_000)) : open.repeat(n) + "1" + (closed ? close.repeat(n) : "");
                    return "scenario: deep\ntopology: []\nsteps: []\ndescription: " + inner + "\n";
                });
    }

    private static String indentedList(int depth) {
        StringBuilder b = new StringBuilder("\n");
        for (int i = 0; i < depth; i++) {
            b.append(" ".repeat(i + 1)).append("-\n");
        }
        return b.toString();
    }

    private Arbitrary<String> hugeNumbers() {
        Arbitrary<String> numbers = Arbitraries.oneOf(
                Arbitraries.strings().numeric().ofMinLength(10).ofMaxLength(100_000),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(5_000).map(s -> "-" + s),
                Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(1).ofMaxLength(50_000).map(s -> "0x" + s),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(1_000).map(s -> "1e" + s),
                Arbitraries.of("9223372036854775808", "-9223372036854775809", "2147483648", "-1", ".inf", "-.inf", ".nan",
                        "0b" + "1".repeat(200), "0o777777777777777777777", "1_000_000", "190:20:30", "0.", "1e-999999999"));
        Arbitrary<String> fields = Arbitraries.of("segment: %s", "topology: [{id: a, devfn: \"00.0\", kind: pcie-endpoint, bar2: %s}]",
                "topology: [{id: a, devfn: \"00.0\", kind: root-port, buses: [0, %s, 1]}]",
                "topology: [{id: a, devfn: \"00.0\", kind: pcie-endpoint, sriov: {total-vfs: %s, vf-offset: 1, vf-stride: 1}}]",
                "topology: [{id: a, devfn: \"00.0\", bus: %s, kind: pcie-endpoint}]",
                "steps: [{dom0-rescan: {bus: %s}}]", "steps: [{enable-sriov: {pf: a, vfs: %s}}]",
                "steps: [{assign: {bdf: \"0000:00:00.0\", domain: %s}}]");
        return Combinators.combine(fields, numbers).as((field, n) -> {
            String doc = "scenario: numbers\n" + String.format(field, n) + "\n";
            if (!doc.contains("topology:")) {
                doc += "topology: []\n";
            }
            return doc.contains("steps:") ? doc : doc + "steps: []\n";
        });
    }

    /** Billion laughs: each level refers to the one before nine times (refused at the first anchor). */
    private Arbitrary<String> aliasBombs() {
        return Arbitraries.integers().between(1, 30).map(levels -> {
            StringBuilder b = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for (int i = 1; i <= levels; i++) {
                b.append("a").append(i).append(": &a").append(i).append(" [")
                        .append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1)))).append("]\n");
            }
            return b.append("scenario: laughs\ntopology: []\nsteps: *a").append(levels).append('\n').toString();
        });
    }

    private Arbitrary<String> tooManySteps() {
        return Combinators.combine(Arbitraries.integers().between(RequestLimits.MAX_STEPS + 1, 150_000),
                        Arbitraries.of("reboot", "xen-boot", "dom0-report-all", "{remove: \"0000:00:00.0\"}"))
                .as((n, step) -> "scenario: many\ntopology: []\nsteps: [" + String.join(",", java.util.Collections.nCopies(
                        Math.min(n, (1 << 20) / (step.length() + 1) - 10), step)) + "]\n");
    }

    private Arbitrary<String> tooManyFunctions() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(RequestLimits.MAX_FUNCTIONS + 1, 8_000).map(n -> {
                    StringBuilder b = new StringBuilder("scenario: wide\nsteps: [xen-boot]\ntopology:\n");
                    for (int i = 0; i < n; i++) {
                        b.append(String.format("  - {id: f%d, devfn: \"%02x.%d\", bus: %d, kind: pcie-endpoint}%n",
                                i, (i / 8) % 32, i % 8, i / 256));
                    }
                    return b.toString();
                }),
                Arbitraries.integers().between(RequestLimits.MAX_FUNCTIONS, 65_535).map(vfs -> "scenario: vfs\nsteps: [xen-boot]\n"
                        + "topology: [{id: pf, devfn: \"00.0\", kind: pcie-endpoint, sriov: {total-vfs: " + vfs
                        + ", vf-offset: 1, vf-stride: 1, enabled: " + vfs + "}}]\n"));
    }

    private Arbitrary<String> enormousStrings() {
        Arbitrary<String> big = Combinators.combine(Arbitraries.integers().between(1_000, 1_200_000),
                        Arbitraries.of("x", "é", "\ud83d\ude00", "\u0000", "\\0", "\u202e", "ǅ"))
                .as((n, unit) -> unit.repeat(Math.max(1, n / unit.length())));
        Arbitrary<String> places = Arbitraries.of("scenario: %s\ntopology: []\nsteps: []\n",
                "scenario: s\ndescription: \"%s\"\ntopology: []\nsteps: []\n",
                "scenario: s\ntopology: [{id: \"%s\", devfn: \"00.0\", kind: pcie-endpoint}]\nsteps: []\n",
                "scenario: s\ntopology: []\nsteps: []\n\"%s\": 1\n",
                "scenario: s\ntopology: []\nsteps: [{add: \"%s\"}]\n",
                "scenario: s\npolicy: \"%s\"\ntopology: []\nsteps: []\n");
        return Combinators.combine(places, big).as((place, s) -> place.replace("%s", s));
    }

    private Arbitrary<String> hostileDescriptions() {
        return Arbitraries.strings().all().ofMaxLength(200).map(s -> "scenario: described\ndescription: " + jsonString(s)
                + "\ntopology: []\nsteps: []\n");
    }

    /** A bridge with {@code n} children; the last is a PF whose possible VFs make the plug over the limit when n is. */
    private static String plugWithChildren(int n) {
        StringBuilder b = new StringBuilder("{\"plug\": {\"parent\": \"br\", \"function\": {\"id\": \"hub\", \"devfn\": \"02.0\","
                + " \"kind\": \"pci-bridge\", \"buses\": [2, 3, 3], \"children\": [");
        int children = Math.min(n, 20);
        for (int i = 0; i < children; i++) {
            b.append(String.format("{\"id\": \"c%d\", \"devfn\": \"%02x.%d\", \"kind\": \"pci-endpoint\"}, ", i, i / 8, i % 8));
        }
        return b.append(String.format("{\"id\": \"pf\", \"devfn\": \"1f.7\", \"kind\": \"pcie-endpoint\", \"sriov\":"
                + " {\"total-vfs\": %d, \"vf-offset\": 1, \"vf-stride\": 1}}]}}}", Math.max(0, n - children))).toString();
    }

    // ------------------------------------------------------------------ generators: queries and paths

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(3_000),
                Arbitraries.of("-1", "0", "1", "2", "3", "2147483647", "2147483648", "-2147483649", "1e3", "0x10", "+5",
                        "%201", "1%20", "", "NaN", "xen-4.4", "fix-invalidate-loop", "XEN-4.4", "../..", "%00", "%ff", "%2F",
                        "%C0%80", "%ED%A0%80", "%E2%80%AE", "%F0%9F%98%80", "%", "%%", "%zz", "null", "[]", "{}", "a=b"),
                Arbitraries.strings().all().ofMaxLength(60).map(HostileInputProperties::percentEncoded));
        Arbitrary<String> names = Arbitraries.of("at-event", "at-step", "policy", "from", "to", "vs", "at-event", "at-step",
                "policy", "unknown", "at-event[]", "");
        Arbitrary<String> parameters = Combinators.combine(names, values).as((k, v) -> k + "=" + v).list().ofMaxSize(4)
                .map(list -> String.join("&", list));
        Arbitrary<String> paths = Arbitraries.of("/state", "/events", "/diff", "/audit/bus2bridge/6", "/audit/bus2bridge/{x}",
                "/audit/pdev/0000:01:00.0", "/audit/pdev/{x}", "", "/state/", "/events/1");
        Arbitrary<String> pathValues = Arbitraries.oneOf(values, Arbitraries.of("256", "-1", "0x06", "06", "0000:01:00.0",
                "0000:ff:1f.7", "ffff:00:00.0", "0000:01:20.0"));
        return Combinators.combine(paths, pathValues, parameters)
                .as((path, value, query) -> "/api/systems/" + system + path.replace("{x}", value.isEmpty() ? "1" : value)
                        + (query.isEmpty() ? "" : "?" + query));
    }

    @Provide
    Arbitrary<String> systemIds() {
        return Arbitraries.oneOf(
                Arbitraries.of("..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "..%5c..%5cwindows", "%00", "a%00b", "%ff%fe",
                        "%C0%AE%C0%AE", "%252e%252e", ".", "%2e", "~root", "%7e", "con", "nul", "a;b=c", "a%3bb",
                        "%E2%80%AE", "%F0%9F%98%80", "x".repeat(5_000), "y".repeat(10_000), "%", "%zz", "a%20b", "*",
                        "hostile-" + "0".repeat(4), system + "%00", system.toUpperCase(), system + "/..", system + "%2F.."),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(200).map(HostileInputProperties::percentEncoded),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(50)
                        .filter(s -> !s.contains("/") && !s.contains("?") && !s.contains("#") && !s.contains("%")));
    }

    @Provide
    Arbitrary<String> pathMethods() {
        return Arbitraries.of("state", "events", "summary", "step");
    }

    // ------------------------------------------------------------------ helpers

    private static String percentEncoded(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String jsonString(String s) {
        try {
            return RawHttp.JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
