package dev.pcitimeline.app.cli;

import dev.pcitimeline.app.PciTimelineApplication;
import dev.pcitimeline.app.web.WriteAccess;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Option(names = "--db", paramLabel = "DIR",
            description = "keep the event store in H2 files under DIR, or in the PostgreSQL database of a "
                    + "postgresql://user:pass@host:port/db URL (default: PCITIMELINE_DB, else ./data)")
    String db;

    @Option(names = "--address", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "address to bind (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for every interface;"
                    + " anything but loopback needs --token-file)")
    String address;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "a file holding the token (at least 16 visible ASCII characters) that writes must send as"
                    + " 'Authorization: Bearer <token>'; required when --address is not a loopback address,"
                    + " enforced whenever given. Reads (GET) stay open.")
    Path tokenFile;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        if (port < 0 || port > 65535) {
            err.println("--port: " + port + " is out of range 0..65535");
            return 2;
        }
        try {
            WriteAccess.check(address, tokenFile);
        } catch (IllegalArgumentException e) {
            err.println("pci-timeline serve: " + e.getMessage());
            return 2;
        }
        // Handed to Spring as command-line arguments, which outrank application.properties and the environment:
        // as default properties (the lowest), application.properties' server.address=127.0.0.1 won and --address
        // was silently ignored.
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--server.address=" + address,
                "--spring.h2.console.enabled=false"));
        if (db != null) {
            // Only when given: a command-line argument outranks PCITIMELINE_DB and the postgres profile.
            arguments.add("--pcitimeline.db=" + Cli.storeLocation(db));
        }
        if (tokenFile != null) {
            arguments.add("--" + WriteAccess.TOKEN_FILE_PROPERTY + "=" + tokenFile.toAbsolutePath());
        }
        CountDownLatch closed = new CountDownLatch(1);
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(PciTimelineApplication.class)
                    .web(WebApplicationType.SERVLET)
                    // Registered before refresh, so a close from any side (shutdown hook, failure) releases call().
                    .listeners(event -> {
                        if (event instanceof ContextClosedEvent) {
                            closed.countDown();
                        }
                    })
                    .run(arguments.toArray(String[]::new));
        } catch (RuntimeException e) {
            err.println("pci-timeline serve: cannot start: " + Cli.rootMessage(e));
            return 1;
        }
        int actualPort = context instanceof WebServerApplicationContext web ? web.getWebServer().getPort() : port;
        String host = address.contains(":") ? "[" + address + "]" : address;
        err.printf("pci-timeline serving http://%s:%d/api/systems (store %s; API docs http://%s:%d/swagger-ui.html;"
                        + " writes %s)%n", host, actualPort, storeShown(context), host, actualPort,
                tokenFile == null ? "open to this machine" : "need the bearer token of " + tokenFile);
        try {
            // The context closes on SIGTERM/Ctrl-C through Spring's shutdown hook; until then, serve.
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.close();
        }
        return 0;
    }

    /** The store the context really uses, a URL's password masked (it goes to logs and terminals). */
    private static String storeShown(ConfigurableApplicationContext context) {
        String url = context.getEnvironment().getProperty("spring.datasource.url", "");
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***").replaceAll("(//[^:/@]+:)[^@]*@", "$1***@");
    }
}
