package dev.pcitimeline.scenarios.runner;

import dev.pcitimeline.projections.store.StoreEnvironmentPostProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine {@code replay} runs on (command side, event store, projections: the same auto-configuration, an
 * in-memory H2 store of its own), started for test code that has no Spring context: once per JVM, on first use,
 * shared by every test class, closed by Spring's shutdown hook when the JVM exits.
 *
 * <p>Its settings come first, before system properties, environment and the test classpath's
 * {@code application.properties} (not read at all: the engine has its own config name), so a
 * {@code SPRING_DATASOURCE_URL} meant for the user's own application cannot redirect it to another database.
 */
public final class EmbeddedEngine {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedEngine.class);

    /** Config files the engine would read; nobody has them, so the user's own application.properties stay out. */
    static final String CONFIG_NAME = "pcitimeline-embedded-engine";

    private static ConfigurableApplicationContext context;
    private static RuntimeException failure;
    private static int starts;

    private EmbeddedEngine() {
    }

    /** The runner of the JVM's engine, starting it on the first call; a failed start fails every later call too. */
    public static synchronized ScenarioRunner runner() {
        if (failure != null) {
            throw new IllegalStateException("the embedded pci-timeline engine did not start: " + failure.getMessage(),
                    failure);
        }
        if (context == null) {
            long started = System.nanoTime();
            try {
                context = start();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
            starts++;
            log.info("pci-timeline embedded engine started in {} ms (in-memory H2; closed at JVM exit)",
                    (System.nanoTime() - started) / 1_000_000);
        }
        return context.getBean(ScenarioRunner.class);
    }

    /** How many times this JVM started an engine (0 or 1): lets tests prove the engine is shared. */
    static synchronized int starts() {
        return starts;
    }

    private static ConfigurableApplicationContext start() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("spring.config.name", CONFIG_NAME);
        settings.put(StoreEnvironmentPostProcessor.DB_PROPERTY, StoreEnvironmentPostProcessor.IN_MEMORY);
        settings.put("spring.datasource.url", StoreEnvironmentPostProcessor.inMemoryUrl());
        settings.put("spring.datasource.username", "sa");
        settings.put("spring.datasource.password", "");
        settings.put("spring.main.web-application-type", "none");
        settings.put("spring.main.banner-mode", "off");
        settings.put("spring.main.log-startup-info", "false");
        settings.put("spring.main.register-shutdown-hook", "true");
        settings.put("spring.jmx.enabled", "false");
        settings.put("axon.axonserver.enabled", "false");
        // As replay: nothing reads the message metrics without the web endpoints.
        settings.put("axon.metrics.auto-configuration.enabled", "false");
        // A test run's output is the user's: the engine's libraries only speak up when something is wrong.
        for (String quiet : new String[]{"org.axonframework", "org.springframework", "org.flywaydb", "com.zaxxer.hikari",
                "dev.pcitimeline"}) {
            settings.put("logging.level." + quiet, "WARN");
        }
        settings.put("logging.level." + EmbeddedEngine.class.getName(), "INFO");
        // Spring 6.2 warns once about Axon's @EventHandler attribute overrides: nothing a user can act on.
        settings.put("logging.level.org.springframework.core.annotation.AnnotationTypeMapping", "ERROR");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("pcitimelineEmbeddedEngine", settings));
        return new SpringApplicationBuilder(Engine.class)
                .environment(environment)
                .web(WebApplicationType.NONE)
                .run();
    }

    /**
     * The engine's whole configuration: the auto-configurations on the classpath, as {@code replay}'s application.
     * Not a {@code @Configuration}, so neither a component scan nor a {@code @SpringBootTest} looking for one finds it.
     */
    @EnableAutoConfiguration
    static final class Engine {
    }
}
