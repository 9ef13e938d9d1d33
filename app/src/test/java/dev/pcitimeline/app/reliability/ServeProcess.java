package dev.pcitimeline.app.reliability;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar pci-timeline.jar serve} as a real child process, on loopback and an ephemeral port,
 * with its output in a log file. {@link #kill()} is SIGKILL ({@link Process#destroyForcibly()} on Linux):
 * no shutdown hook, no flush, no token stored.
 */
final class ServeProcess implements AutoCloseable {
    /** The jar {@code mvn package} builds; the integration-test phase runs after it. */
    static final Path BUILT_JAR = Path.of("target", "pci-timeline.jar");
    private static final Pattern SERVING = Pattern.compile("serving http://[^:/]+:(\\d+)/api/systems");

    private final Process process;
    private final Path log;
    private final int port;

    private ServeProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * A private copy of the built jar: other builds may rewrite {@code target/pci-timeline.jar} while the service
     * runs, and a JVM whose jar changes under it fails on its next class load.
     */
    static Path copyOfBuiltJar(Path dir) {
        if (!Files.isRegularFile(BUILT_JAR)) {
            throw new IllegalStateException(BUILT_JAR.toAbsolutePath() + " is missing: this test runs in the"
                    + " integration-test phase, after package (mvn -pl app verify)");
        }
        try {
            return Files.copy(BUILT_JAR, dir.resolve("pci-timeline.jar"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code serve --port 0 --db db} and waits (generously: CI machines are slow) until it answers. */
    static ServeProcess start(Path jar, Path db, Path log, String... extraArguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Start-up speed over peak speed: the load is small and the test restarts the service.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m"));
        // -Dpcitimeline.it.serve-jvm-options="-Dspring.datasource.url=…": to try a store setting without a rebuild.
        String extraOptions = System.getProperty("pcitimeline.it.serve-jvm-options", "").strip();
        if (!extraOptions.isEmpty()) {
            command.addAll(List.of(extraOptions.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "serve", "--port", "0", "--db", db.toString()));
        command.addAll(List.of(extraArguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] port = {0};
        try {
            Awaitility.await("serve to print its address (log " + log + ")").atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("serve exited with " + process.exitValue() + ":\n" + tail(log));
                        }
                        Matcher m = SERVING.matcher(Files.readString(log, StandardCharsets.UTF_8));
                        int found = 0;
                        while (m.find()) {
                            found = Integer.parseInt(m.group(1)); // the last start in this log
                        }
                        port[0] = found;
                        return found > 0;
                    });
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        return new ServeProcess(process, log, port[0]);
    }

    int port() {
        return port;
    }

    RestClient client() {
        return new RestClient(port);
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, then wait for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pid " + process.pid() + " survived SIGKILL for a minute");
        }
    }

    /** SIGTERM (graceful shutdown), SIGKILL if it takes over a minute; the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    String logTail() {
        return tail(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
