package dev.pcitimeline.app.cli;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

import java.util.List;

/**
 * In a context started for a command of the command line ({@value #PROPERTY}{@code =true}, set by
 * {@link Cli#startWithoutWeb(String)}), leaves out the autoconfigurations that only the service ({@code serve}) uses:
 * the actuator (health, metrics, endpoints, observations), springdoc, bean validation, HTTP message converters and
 * clients, the web layer, Spring's application task executor and scheduler, and build info. Without a web server none
 * of them has a reader; they were about a quarter of the autoconfigurations that matched in a {@code replay}, and
 * their classes and beans a good part of its start. Every other context, {@code serve} and tests included, keeps
 * them all.
 *
 * <p>Filtered by name, before Spring Boot's own filters look for the classes their conditions need: a class that is
 * not loaded costs nothing ({@code spring.autoconfigure.exclude} loads every class it names to check it).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CommandLineAutoConfigurations implements AutoConfigurationImportFilter, EnvironmentAware {
    /** Set on a context started for a command-line command. */
    public static final String PROPERTY = "pcitimeline.command-line";

    /** Packages (and classes) of autoconfigurations that only serve needs. */
    static final List<String> SERVICE_ONLY = List.of(
            "org.springframework.boot.actuate.autoconfigure.",
            "org.springdoc.",
            "org.springframework.boot.autoconfigure.validation.",
            "org.springframework.boot.autoconfigure.http.",
            "org.springframework.boot.autoconfigure.web.",
            "org.springframework.boot.autoconfigure.websocket.",
            "org.springframework.boot.autoconfigure.task.",
            "org.springframework.boot.autoconfigure.info.",
            "org.axonframework.springboot.autoconfig.MetricsAutoConfiguration",
            "org.axonframework.springboot.autoconfig.MicrometerMetricsAutoConfiguration");

    private boolean commandLine;

    @Override
    public void setEnvironment(Environment environment) {
        commandLine = environment.getProperty(PROPERTY, Boolean.class, false);
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] match = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < match.length; i++) {
            match[i] = !commandLine || !serviceOnly(autoConfigurationClasses[i]);
        }
        return match;
    }

    static boolean serviceOnly(String autoConfiguration) {
        return autoConfiguration != null && SERVICE_ONLY.stream().anyMatch(autoConfiguration::startsWith);
    }
}
