package dev.pcitimeline.app.cli;

import dev.pcitimeline.app.PciTimelineApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: the REST service of API.md on an H2 file store, until stopped. SIGTERM or Ctrl-C
 * close the context through Spring's shutdown hook: requests in flight finish (graceful shutdown),
 * the event processors store their tokens, the database is closed.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the REST service (API.md) on an event store in H2 files until stopped.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped", "1:the service could not start (port in use, store locked…)",
                "2:the options are wrong"})
public class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "TCP port to listen on (0: any free port; default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--db", paramLabel = "DIR", defaultValue = "./data",
            description = "keep the event store in H2 files under DIR (default ${DEFAULT-VALUE})")
    Path db;

    @Option(names = "--address", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "address to bind (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for every interface)")
    String address;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        if (port < 0 || port > 65535) {
            err.println("--port: " + port + " is out of range 0..65535");
            return 2;
        }
        CountDownLatch closed = new CountDownLatch(1);
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(PciTimelineApplication.class)
                    .web(WebApplicationType.SERVLET)
                    .properties("pcitimeline.db=" + db.toAbsolutePath(),
                            "server.port=" + port,
                            "server.address=" + address,
                            "spring.h2.console.enabled=false")
                    // Registered before refresh, so a close from any side (shutdown hook, failure) releases call().
                    .listeners(event -> {
                        if (event instanceof ContextClosedEvent) {
                            closed.countDown();
                        }
                    })
                    .run();
        } catch (RuntimeException e) {
            err.println("pci-timeline serve: cannot start: " + rootMessage(e));
            return 1;
        }
        int actualPort = context instanceof WebServerApplicationContext web ? web.getWebServer().getPort() : port;
        String host = address.contains(":") ? "[" + address + "]" : address;
        err.printf("pci-timeline serving http://%s:%d/api/systems (store %s; API docs http://%s:%d/swagger-ui.html)%n",
                host, actualPort, db.toAbsolutePath().normalize(), host, actualPort);
        try {
            // The context closes on SIGTERM/Ctrl-C through Spring's shutdown hook; until then, serve.
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.close();
        }
        return 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
