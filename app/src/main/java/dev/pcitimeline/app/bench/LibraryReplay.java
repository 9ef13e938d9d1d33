package dev.pcitimeline.app.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The whole scenario library through {@code replay} in a child JVM, JVM start included:
 * {@code java -jar pci-timeline.jar replay scenarios/library/*.yaml}, as a user runs it
 * ({@code PCI_TIMELINE_JAVA_OPTS} is passed on, as the launcher does). Skipped, with a note, when
 * the jar or the library is not found.
 */
final class LibraryReplay {
    private static final Path JAR = Path.of("app", "target", "pci-timeline.jar");
    private static final Path LIBRARY = Path.of("scenarios", "library");

    private final Path jar;
    private final Path library;
    private final PrintStream progress;

    /** {@code jar}, {@code library}: given on the command line, or null to look for them. */
    LibraryReplay(Path jar, Path library, PrintStream progress) {
        this.jar = jar;
        this.library = library;
        this.progress = progress;
    }

    record Result(Double seconds, int scenarios, Integer exit, String note) {
        static Result skipped(String note) {
            return new Result(null, 0, null, note);
        }
    }

    Result run() throws IOException, InterruptedException {
        Path jarFile = jar != null ? jar : findJar();
        if (jarFile == null || !Files.isRegularFile(jarFile)) {
            return skipped("no application jar (" + (jarFile == null ? JAR : jarFile) + "): build it with mvn package");
        }
        Path dir = library != null ? library : findUp(LIBRARY, jarFile);
        if (dir == null || !Files.isDirectory(dir)) {
            return skipped("no scenario library (" + (dir == null ? LIBRARY : dir) + ")");
        }
        List<String> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted()
                    .forEach(p -> files.add(p.toAbsolutePath().toString()));
        }
        if (files.isEmpty()) {
            return skipped("the scenario library " + dir + " has no .yaml files");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv("PCI_TIMELINE_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            command.addAll(List.of(opts.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jarFile.toAbsolutePath().toString(), "replay"));
        command.addAll(files);
        progress.printf("bench: replaying the scenario library (%d files) in a child JVM: %s%n", files.size(),
                jarFile);
        Path stderr = Files.createTempFile("pci-timeline-bench-replay", ".log");
        try {
            long t = System.nanoTime();
            Process child = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile())
                    .start();
            if (!child.waitFor(10, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                return new Result(null, files.size(), null, "the child JVM did not finish within 10 minutes");
            }
            double seconds = (System.nanoTime() - t) / 1e9;
            int exit = child.exitValue();
            String note = exit == 0 ? null : "exit " + exit + ": " + lastLine(stderr);
            progress.printf("bench:   %.2f s, exit %d%n", seconds, exit);
            return new Result(seconds, files.size(), exit, note);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    private Result skipped(String note) {
        progress.println("bench: scenario library replay skipped: " + note);
        return Result.skipped(note);
    }

    /** The jar this JVM runs ({@code java -jar}), else {@code app/target/pci-timeline.jar} here or above. */
    private static Path findJar() {
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            Path running = Path.of(classPath).toAbsolutePath();
            if (Files.isRegularFile(running)) {
                return running;
            }
        }
        return findUp(JAR, null);
    }

    /** {@code relative} under the working directory or one of its parents, or under the jar's repository. */
    private static Path findUp(Path relative, Path jar) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        // <repository>/app/target/pci-timeline.jar
        Path repository = jar == null ? null : jar.toAbsolutePath().getParent();
        for (int up = 0; up < 2 && repository != null; up++) {
            repository = repository.getParent();
        }
        return repository != null && Files.exists(repository.resolve(relative)) ? repository.resolve(relative) : null;
    }

    private static String lastLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                String line = lines.get(i).strip();
                return line.length() > 300 ? line.substring(0, 300) + "…" : line;
            }
        }
        return "(no output)";
    }
}
