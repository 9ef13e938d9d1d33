package dev.pcitimeline.app.cli;

import dev.pcitimeline.app.PciTimelineApplication;
import dev.pcitimeline.domain.value.Policy;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.BackgroundPreinitializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

import java.nio.file.Path;

/** What the commands share: starting Spring on the chosen store, converting option values. */
final class Cli {
    private Cli() {
    }

    /**
     * A Spring context without a web server, on {@code db} (see {@link #storeLocation}) or in memory when null. Without
     * Axon's message metrics: nothing can read them without the web endpoints, and timing and counting every command
     * and event took about a tenth of a command's time. Without the rest of what only the service uses either
     * ({@link CommandLineAutoConfigurations}, and the web package's beans, which are the web application's).
     */
    static ConfigurableApplicationContext startWithoutWeb(String db) {
        return withoutWeb(db).run();
    }

    private static SpringApplicationBuilder withoutWeb(String db) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(PciTimelineApplication.class)
                .web(WebApplicationType.NONE)
                .properties("pcitimeline.db=" + (db == null ? "mem" : storeLocation(db)),
                        "axon.metrics.auto-configuration.enabled=false",
                        CommandLineAutoConfigurations.PROPERTY + "=true");
        // Spring Boot's background pre-initializer warms up bean validation, Tomcat and the web's message converters
        // on a thread of its own and holds the ready event until it is done: a command-line context uses none of
        // them, and on two cores that thread took CPU from the start it was meant to speed up.
        SpringApplication application = builder.application();
        application.setListeners(application.getListeners().stream()
                .filter(listener -> !(listener instanceof BackgroundPreinitializer)).toList());
        return builder;
    }

    /** A private in-memory store, gone when the context closes. */
    static ConfigurableApplicationContext startInMemory() {
        return startWithoutWeb((String) null);
    }

    /** An H2 store under directory {@code db}, or in memory when null. */
    static ConfigurableApplicationContext startWithoutWeb(Path db) {
        return startWithoutWeb(db == null ? null : db.toString());
    }

    /** A failure's message and, when it wraps others, its root cause's: what a command prints when it cannot go on. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }

    /** A database URL ({@code postgresql://…}, {@code jdbc:…}) as given; anything else is an H2 directory, made absolute. */
    static String storeLocation(String db) {
        return isDatabaseUrl(db) ? db : Path.of(db).toAbsolutePath().toString();
    }

    static boolean isDatabaseUrl(String db) {
        return db.contains("://") || db.startsWith("jdbc:");
    }

    /** {@code --policy}: one of the four builds, with the list in the error. */
    static final class PolicyConverter implements CommandLine.ITypeConverter<Policy> {
        @Override
        public Policy convert(String value) {
            try {
                return Policy.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Completion candidates for help texts. */
    static final class Policies extends java.util.ArrayList<String> {
        Policies() {
            for (Policy p : Policy.values()) {
                add(p.text());
            }
        }
    }
}
