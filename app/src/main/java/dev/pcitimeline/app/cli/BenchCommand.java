package dev.pcitimeline.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pcitimeline.app.bench.Bench;
import dev.pcitimeline.app.bench.BenchOptions;
import dev.pcitimeline.app.bench.BenchReport;
import dev.pcitimeline.app.bench.WarmUp;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code bench}: the performance figures of this machine, on a fresh H2 file store in a temporary folder. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures, in one JVM on a fresh H2 file store in a temporary folder: the pure fold, then (after "
                + "warming the JIT up on another store) raw JDBC inserts, ingest of a synthetic history through the "
                + "command side, a rebuild of the views, the state object at random events, and the scenario library "
                + "replayed by a child JVM. Progress on stderr; the figures and each target (met/missed) on stdout.",
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

    @Option(names = "--rebuilds", paramLabel = "R", defaultValue = "3",
            description = "reset and rebuild the views R times and report the median (default: ${DEFAULT-VALUE})")
    int rebuilds;

    @Option(names = "--warm-up-rounds", paramLabel = "W", defaultValue = "" + WarmUp.MAX_ROUNDS,
            description = "most rounds of the JIT's warm-up on a throwaway store, each a synthetic history of up to "
                    + WarmUp.ROUND_EVENTS + " events; it stops at the first round in which the JIT compilers were busy "
                    + "less than a tenth of the time, then rebuilds that store's views by the same rule (at most "
                    + WarmUp.MAX_REBUILDS + " times); 0: no warm-up (default: ${DEFAULT-VALUE})")
    int warmUpRounds;

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
            options = new BenchOptions(events, seed, samples, rebuilds, jar, library, warmUpRounds);
        } catch (IllegalArgumentException wrong) {
            System.err.println("bench: " + wrong.getMessage());
            return 2;
        }
        Path store = Files.createTempDirectory("pci-timeline-bench");
        BenchReport report;
        try (ConfigurableApplicationContext context = Cli.startWithoutWeb(store)) {
            // The JIT warms up on a store of its own, deleted after: the measured one then holds the history alone.
            // Bench runs it after the fold, right before the inserts and the ingest (see there why).
            Supplier<WarmUp.Result> warmUp = warmUpRounds == 0 ? null : () -> warmUp(options);
            report = new Bench(context, options, warmUp, System.err).run();
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

    private static WarmUp.Result warmUp(BenchOptions options) {
        Path store = null;
        try {
            store = Files.createTempDirectory("pci-timeline-bench-warmup");
            try (ConfigurableApplicationContext context = Cli.startWithoutWeb(store)) {
                return new WarmUp(context, options.seed(), Math.min(options.events(), WarmUp.ROUND_EVENTS),
                        options.warmUpRounds(), System.err).run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the warm-up's store: " + e.getMessage(), e);
        } finally {
            if (store != null) {
                try {
                    deleteTree(store);
                } catch (IOException e) {
                    System.err.println("bench: could not delete the warm-up's store " + store + ": " + e.getMessage());
                }
            }
        }
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
