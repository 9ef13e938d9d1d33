package dev.pcitimeline.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pcitimeline.app.bench.Bench;
import dev.pcitimeline.app.bench.BenchOptions;
import dev.pcitimeline.app.bench.BenchReport;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;

/** {@code bench}: the performance figures of this machine, on a fresh H2 file store in a temporary folder. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures, in one JVM on a fresh H2 file store in a temporary folder: raw JDBC inserts, "
                + "ingest of a synthetic history through the command side, a rebuild of the views, the state "
                + "object at random events, the pure fold, and the scenario library replayed by a child JVM. "
                + "Progress on stderr; the figures and each target (met/missed) on stdout.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the bench ran (whether or not every target was met)", "1:a phase failed",
                "2:the options are wrong"})
public class BenchCommand implements Callable<Integer> {

    @Option(names = "--events", paramLabel = "N", defaultValue = "100000",
            description = "events in the synthetic history (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "seed of the generated history and of the random reads (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--samples", paramLabel = "K", defaultValue = "500",
            description = "random events the state object is read at (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--rebuilds", paramLabel = "R", defaultValue = "1",
            description = "reset and rebuild the views R times and report the median (default: ${DEFAULT-VALUE})")
    int rebuilds;

    @Option(names = "--jar", paramLabel = "JAR",
            description = "application jar for the library replay (default: the running jar, else app/target/pci-timeline.jar)")
    Path jar;

    @Option(names = "--library", paramLabel = "DIR",
            description = "scenario library for the replay (default: scenarios/library here or above)")
    Path library;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Override
    public Integer call() throws Exception {
        BenchOptions options;
        try {
            options = new BenchOptions(events, seed, samples, rebuilds, jar, library);
        } catch (IllegalArgumentException wrong) {
            System.err.println("bench: " + wrong.getMessage());
            return 2;
        }
        Path store = Files.createTempDirectory("pci-timeline-bench");
        BenchReport report;
        try (ConfigurableApplicationContext context = Cli.startWithoutWeb(store)) {
            report = new Bench(context, options, System.err).run();
        } finally {
            deleteTree(store);
        }
        String out = json
                ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n"
                : report.toText();
        System.out.print(out);
        System.out.flush();
        return 0;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
