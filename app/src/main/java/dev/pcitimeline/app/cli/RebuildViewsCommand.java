package dev.pcitimeline.app.cli;

import dev.pcitimeline.app.PciTimelineApplication;
import dev.pcitimeline.projections.views.ViewProjection;
import dev.pcitimeline.projections.views.Views;
import dev.pcitimeline.projections.views.ViewsRebuild;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code rebuild-views}: empties the views of a store and folds every stored event into them again
 * ({@link ViewsRebuild}), with the service stopped. The event store is not touched.
 */
@Command(name = "rebuild-views", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rebuilds the views of a store (checkpoints, bus2bridge versions, first findings) from its event "
                + "store: the view tables are emptied, every stored event is folded again, and the views processor "
                + "carries on from there at the next start. The events themselves are not touched.",
                "Run it with the service stopped (an H2 store is locked by the process that has it open). Nothing needs "
                        + "it after an upgrade: a store whose views an older build wrote rebuilds them on its first "
                        + "start. It is for a store whose views are suspect, or to time a rebuild."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the views were rebuilt", "1:the store could not be opened or the rebuild failed (the next "
                + "start rebuilds again)"})
public class RebuildViewsCommand implements Callable<Integer> {
    private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

    @Option(names = "--db", paramLabel = "DIR",
            description = "the store: an H2 directory or a postgresql://user:pass@host:port/db URL (default: "
                    + "PCITIMELINE_DB, else ./data)")
    String db;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        List<String> arguments = new ArrayList<>(List.of("--axon.metrics.auto-configuration.enabled=false"));
        if (db != null) {
            arguments.add("--pcitimeline.db=" + Cli.storeLocation(db));
        }
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(PciTimelineApplication.class).web(WebApplicationType.NONE)
                    .run(arguments.toArray(String[]::new));
        } catch (RuntimeException e) {
            err.println("pci-timeline rebuild-views: cannot open the store: " + Cli.rootMessage(e));
            return 1;
        }
        try (context) {
            TrackingEventProcessor views = context.getBean(EventProcessingConfiguration.class)
                    .eventProcessor(ViewProjection.PROCESSING_GROUP, TrackingEventProcessor.class)
                    .orElseThrow(() -> new IllegalStateException("no views processor"));
            views.shutDown();
            long start = System.nanoTime();
            long[] said = {start};
            ViewsRebuild.Result result = context.getBean(Views.class).rebuild().rebuild(events -> {
                long now = System.nanoTime();
                if (now - said[0] > PROGRESS_EVERY_NANOS) {
                    said[0] = now;
                    err.printf(Locale.ROOT, "rebuild-views: %,d events folded (%,.0f events/s)%n", events,
                            events / ((now - start) / 1e9));
                }
            });
            System.out.printf(Locale.ROOT, "rebuilt the views from %,d events in %.1f s (%,.0f events/s; emptying the"
                            + " tables took %,.0f ms)%n", result.events(),
                    (result.resetNanos() + result.foldNanos()) / 1e9, result.eventsPerSecond(),
                    result.resetNanos() / 1e6);
            return 0;
        } catch (RuntimeException e) {
            err.println("pci-timeline rebuild-views: the rebuild failed (the next start rebuilds again): "
                    + Cli.rootMessage(e));
            return 1;
        }
    }
}
