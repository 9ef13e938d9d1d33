package dev.pcitimeline.app.web;

import dev.pcitimeline.app.PciTimelineApplication;
import dev.pcitimeline.app.cli.ServeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who may write (docs/reliability.md): on loopback anyone on this machine; bound anywhere else, every method but
 * GET, HEAD and OPTIONS needs {@code Authorization: Bearer <token>} from {@code serve --token-file}, and without a
 * token file the service does not start. The service under test binds 0.0.0.0; the test only talks to 127.0.0.1.
 */
class WriteAccessTest {
    private static final String TOKEN = "s3cret-token-0123456789abcdef";
    private static final String SCENARIO = "scenario: access\ntopology: []\nsteps: [xen-boot]\n";

    @TempDir
    Path dir;

    @Test
    void onLoopbackWritesAreOpen() {
        try (ConfigurableApplicationContext service = start("127.0.0.1", null)) {
            RawHttp http = client(service);
            assertThat(http.post("/api/systems", "application/yaml", bytes(SCENARIO)).status()).isEqualTo(201);
        }
    }

    @Test
    void offLoopbackWritesNeedTheBearerTokenAndReadsStayOpen() throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        try (ConfigurableApplicationContext service = start("0.0.0.0", tokenFile)) {
            RawHttp http = client(service);
            RawHttp.Response created = post(http, "/api/systems", "Bearer " + TOKEN, SCENARIO);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String system = created.json().get("system").asText();
            Map<String, Long> before = stored(http);

            refused(post(http, "/api/systems", null, SCENARIO), false);
            refused(post(http, "/api/systems", "Bearer wrong-token-0123456789", SCENARIO), true);
            refused(post(http, "/api/systems", "Bearer " + TOKEN.substring(0, TOKEN.length() - 1), SCENARIO), true);
            refused(post(http, "/api/systems", "Bearer " + TOKEN + "x", SCENARIO), true);
            refused(post(http, "/api/systems", "Bearer ", SCENARIO), false); // trailing blanks are not part of a header
            refused(post(http, "/api/systems", "Basic " + TOKEN, SCENARIO), false);
            refused(post(http, "/api/systems", TOKEN, SCENARIO), false);
            refused(post(http, "/api/systems/" + system + "/steps", null, "\"xen-boot\""), false);
            refused(post(http, "/api/systems/" + system + "/steps", "Bearer nope-nope-nope-nope", "\"xen-boot\""), true);
            refused(http.send("DELETE", "/api/systems/" + system, Map.of(), null), false);
            refused(http.send("PUT", "/api/systems/" + system, Map.of("Content-Type", "application/json"), bytes("{}")), false);
            assertThat(stored(http)).as("nothing stored by refused writes").isEqualTo(before);

            // Reads need nothing.
            assertThat(http.get("/api/systems").status()).isEqualTo(200);
            assertThat(http.get("/api/systems/" + system + "/state").status()).isEqualTo(200);
            assertThat(http.get("/api/systems/" + system + "/events").status()).isEqualTo(200);
            assertThat(http.get("/actuator/health").status()).isEqualTo(200);
            assertThat(http.send("HEAD", "/api/systems", Map.of(), null).status()).isEqualTo(200);

            // The scheme is case-insensitive (RFC 9110); surrounding blanks of the token do not count.
            RawHttp.Response step = post(http, "/api/systems/" + system + "/steps", "bearer  " + TOKEN + " ", "\"xen-boot\"");
            assertThat(step.status()).as(step.toString()).isEqualTo(200);
        }
    }

    @Test
    void offLoopbackWithoutATokenFileTheServiceDoesNotStart() {
        assertThatThrownBy(() -> start("0.0.0.0", null).close())
                .hasStackTraceContaining("not on loopback, without a token for writes: give serve --token-file FILE");
        assertThatThrownBy(() -> start("", null).close()).hasStackTraceContaining("every interface");
    }

    @Test
    void aTokenFileOnLoopbackIsEnforcedToo() throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN);
        assertThat(new WriteAccessFilter("127.0.0.1", tokenFile.toString()).enforced()).isTrue();
        assertThat(new WriteAccessFilter("127.0.0.1", "").enforced()).isFalse();
        assertThat(new WriteAccessFilter("localhost", "").enforced()).isFalse();
    }

    @Test
    void loopbackAddresses() {
        for (String loopback : new String[]{"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
            assertThat(WriteAccess.isLoopback(loopback)).as(loopback).isTrue();
        }
        for (String other : new String[]{"0.0.0.0", "::", "", "192.0.2.1"}) {
            assertThat(WriteAccess.isLoopback(other)).as(other).isFalse();
        }
    }

    @Test
    void serveRefusesToStartOffLoopbackWithoutAUsableTokenFile() throws IOException {
        assertThat(serve("--address", "0.0.0.0")).startsWith("2:")
                .contains("--address 0.0.0.0 is not a loopback address").contains("give --token-file FILE");
        assertThat(serve("--address", "0.0.0.0", "--token-file", dir.resolve("missing").toString()))
                .startsWith("2:").contains("cannot read it");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThat(serve("--address", "0.0.0.0", "--token-file", empty.toString())).startsWith("2:").contains("the file is empty");
        Path shortToken = Files.writeString(dir.resolve("short"), "abc");
        assertThat(serve("--address", "0.0.0.0", "--token-file", shortToken.toString()))
                .startsWith("2:").contains("at least " + WriteAccess.MIN_TOKEN_LENGTH);
        Path spaced = Files.writeString(dir.resolve("spaced"), "two words of token text");
        assertThat(serve("--address", "0.0.0.0", "--token-file", spaced.toString())).startsWith("2:").contains("one word");
    }

    // ------------------------------------------------------------------ helpers

    /** The exit status and what serve wrote on stderr, for option errors that stop it before Spring starts. */
    private static String serve(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = new CommandLine(new ServeCommand()).execute(args);
            return status + ": " + err.toString(StandardCharsets.UTF_8);
        } finally {
            System.setErr(original);
        }
    }

    /** As serve starts it: its options as command-line arguments, which outrank application.properties. */
    private ConfigurableApplicationContext start(String address, Path tokenFile) {
        List<String> arguments = new ArrayList<>(List.of("--pcitimeline.db=" + dir.resolve("store-" + System.nanoTime()),
                "--server.port=0", "--server.address=" + address));
        if (tokenFile != null) {
            arguments.add("--" + WriteAccess.TOKEN_FILE_PROPERTY + "=" + tokenFile);
        }
        return new SpringApplicationBuilder(PciTimelineApplication.class).web(WebApplicationType.SERVLET)
                .run(arguments.toArray(String[]::new));
    }

    private static RawHttp client(ConfigurableApplicationContext service) {
        return new RawHttp(((WebServerApplicationContext) service).getWebServer().getPort());
    }

    private static RawHttp.Response post(RawHttp http, String path, String authorization, String body) {
        Map<String, String> headers = new TreeMap<>(Map.of("Content-Type", path.endsWith("steps") ? "application/json" : "application/yaml"));
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return http.send("POST", path, headers, bytes(body));
    }

    private static void refused(RawHttp.Response r, boolean wrongToken) {
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("field").asText()).isEqualTo("Authorization");
        assertThat(r.headers().get("www-authenticate")).startsWith("Bearer realm=\"pci-timeline\"");
        assertThat(r.headers().get("www-authenticate").contains("invalid_token")).isEqualTo(wrongToken);
        assertThat(r.body()).doesNotContain(TOKEN);
    }

    private static Map<String, Long> stored(RawHttp http) {
        Map<String, Long> out = new TreeMap<>();
        http.get("/api/systems").json().forEach(s -> out.put(s.get("system").asText(), s.get("events").asLong()));
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
