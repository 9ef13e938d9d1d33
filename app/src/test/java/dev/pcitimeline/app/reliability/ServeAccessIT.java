package dev.pcitimeline.app.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve --address} as a real process: off loopback it refuses to start without a token file, and with one it
 * really listens on the address asked for (the kernel's socket table says so) and answers writes without the token
 * with 401. Before, application.properties' {@code server.address=127.0.0.1} silently won over {@code --address}.
 * The test's own traffic stays on 127.0.0.1. (That serve listens on loopback only by default, with writes open,
 * CrashConsistencyIT checks on its first process.)
 */
class ServeAccessIT {
    private static final String TOKEN = "it-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void offLoopbackServeNeedsATokenFileAndThenListensThereWithWritesLocked() throws Exception {
        Path jar = ServeProcess.copyOfBuiltJar(dir);
        Process refused = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "serve", "--address", "0.0.0.0", "--port", "0", "--db", dir.resolve("unused").toString())
                .redirectErrorStream(true).start();
        assertThat(refused.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String said = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.exitValue()).as(said).isEqualTo(2);
        assertThat(said).contains("--address 0.0.0.0 is not a loopback address").contains("--token-file FILE");
        assertThat(dir.resolve("unused")).as("nothing created").doesNotExist();

        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        try (ServeProcess serve = ServeProcess.start(jar, dir.resolve("store"), dir.resolve("serve.log"),
                "--address", "0.0.0.0", "--token-file", tokenFile.toString())) {
            if (ListeningSockets.available()) {
                assertThat(ListeningSockets.wildcard(serve.port())).as("listening on every interface: %s",
                        ListeningSockets.addresses(serve.port())).isTrue();
            }
            RestClient client = serve.client();
            assertThat(client.post("/api/systems", RestClient.YAML, Workload.creationScenario("locked")).status())
                    .isEqualTo(401);
            assertThat(client.get("/api/systems").status()).isEqualTo(200);
            assertThat(client.systems()).isEmpty();
            RestClient.Response created = client.post("/api/systems", RestClient.YAML, Workload.creationScenario("unlocked"),
                    "Bearer " + TOKEN);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(serve.stop()).isIn(0, 143);
        }
    }
}
