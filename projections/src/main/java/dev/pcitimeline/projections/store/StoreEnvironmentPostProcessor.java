package dev.pcitimeline.projections.store;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * Turns {@code pcitimeline.db} into the data source settings and adds the store's defaults, all as the
 * <em>lowest</em>-precedence property source: anything the application, the environment, the command line or a test
 * sets (including {@code spring.datasource.url} itself) wins.
 *
 * <ul>
 *   <li>{@code pcitimeline.db=<directory>} (default {@code ./data}): an H2 file database
 *       {@code <absolute directory>/pci-timeline.mv.db}. The path is made absolute because H2 refuses relative
 *       file URLs that don't start with {@code ./}, and so the database does not depend on how the URL is read.</li>
 *   <li>{@code pcitimeline.db=mem}: a private in-memory H2 database, uniquely named per application context so
 *       contexts (e.g. test contexts) never see each other's events.</li>
 *   <li>{@code pcitimeline.db=postgresql://user:pass@host:port/dbname} (also {@code postgres://}, or a
 *       {@code jdbc:postgresql:} URL): a PostgreSQL database that several nodes can share ({@link PostgresLocation}).
 *       Credentials in the URL win over {@value #USER_PROPERTY}/{@value #PASSWORD_PROPERTY} (environment
 *       {@code PCITIMELINE_DB_USER}/{@code PCITIMELINE_DB_PASSWORD}); {@code spring.datasource.username}/{@code
 *       password} set anywhere win over both.</li>
 * </ul>
 *
 * <p>Both H2 URLs set {@code DB_CLOSE_ON_EXIT=FALSE}: H2's own JVM shutdown hook would otherwise close the database
 * while Spring's shutdown is still stopping the event processors (which write their tokens on the way out). Spring
 * closes the connection pool last instead, which closes a file database; {@link InMemoryStoreReleaser} drops an
 * in-memory one.
 *
 * <p>On PostgreSQL (however its URL was given) every connection runs {@code SET TIME ZONE 'UTC'} first, so what a
 * session prints and computes from the views' {@code timestamptz} columns is UTC like the event store's text
 * timestamps. Flyway picks {@code db/migration/postgresql} by itself ({@code {vendor}} in the locations).
 */
public class StoreEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** The database location: a directory, {@value #IN_MEMORY}, or a PostgreSQL URL. */
    public static final String DB_PROPERTY = "pcitimeline.db";
    public static final String DEFAULT_DIRECTORY = "./data";
    public static final String IN_MEMORY = "mem";
    /** Every in-memory store's name starts with this; it is how we recognise a database we own. */
    public static final String IN_MEMORY_URL_PREFIX = "jdbc:h2:mem:pcitimeline-";
    static final String DATABASE_FILE_NAME = "pci-timeline";
    static final String PROPERTY_SOURCE_NAME = "pcitimelineStoreDefaults";
    private static final String DEFAULTS_RESOURCE = "META-INF/pcitimeline-store-defaults.properties";
    /** Credentials for a PostgreSQL URL that carries none (environment PCITIMELINE_DB_USER / _PASSWORD). */
    public static final String USER_PROPERTY = "pcitimeline.db-user";
    public static final String PASSWORD_PROPERTY = "pcitimeline.db-password";
    static final String POSTGRES_SESSION_SQL = "SET TIME ZONE 'UTC'";
    private static final String URL_PROPERTY = "spring.datasource.url";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        MutablePropertySources sources = environment.getPropertySources();
        // Recompute on every run (e.g. a restarted context) so an in-memory store is never reused by accident.
        sources.remove(PROPERTY_SOURCE_NAME);

        Properties defaults = loadDefaults();
        String url = environment.getProperty(URL_PROPERTY);
        if (url == null) {
            String location = environment.getProperty(DB_PROPERTY, DEFAULT_DIRECTORY);
            Optional<PostgresLocation> postgres = PostgresLocation.parse(location);
            if (postgres.isPresent()) {
                url = postgres.get().jdbcUrl();
                defaults.setProperty(URL_PROPERTY, url);
                setIfPresent(defaults, "spring.datasource.username",
                        postgres.get().username(), environment.getProperty(USER_PROPERTY));
                setIfPresent(defaults, "spring.datasource.password",
                        postgres.get().password(), environment.getProperty(PASSWORD_PROPERTY));
            } else {
                defaults.setProperty(URL_PROPERTY, h2Url(location));
                // A file database remembers its creator; always the same user so it can be reopened.
                defaults.setProperty("spring.datasource.username", "sa");
                defaults.setProperty("spring.datasource.password", "");
            }
        }
        if (PostgresLocation.isPostgresJdbcUrl(url)) {
            defaults.setProperty("spring.datasource.driver-class-name", PostgresLocation.DRIVER_CLASS);
            defaults.setProperty("spring.datasource.hikari.connection-init-sql", POSTGRES_SESSION_SQL);
        }
        sources.addLast(new PropertiesPropertySource(PROPERTY_SOURCE_NAME, defaults));
    }

    private static void setIfPresent(Properties properties, String key, String preferred, String fallback) {
        String value = preferred != null ? preferred : fallback;
        if (value != null) {
            properties.setProperty(key, value);
        }
    }

    /** A new private in-memory store's URL, as {@code pcitimeline.db=mem} gives (for a context that must not be redirected). */
    public static String inMemoryUrl() {
        return h2Url(IN_MEMORY);
    }

    /** The H2 URL for a {@code pcitimeline.db} value that is not a PostgreSQL URL. */
    static String h2Url(String location) {
        String value = location == null || location.isBlank() ? DEFAULT_DIRECTORY : location.trim();
        if (IN_MEMORY.equals(value)) {
            return IN_MEMORY_URL_PREFIX + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE";
        }
        Path file = expandHome(value).toAbsolutePath().normalize().resolve(DATABASE_FILE_NAME);
        // H2 creates missing directories itself. Forward slashes keep the URL valid on every OS.
        // WRITE_DELAY=0: H2 otherwise writes a commit up to 500 ms later, so a SIGKILL lost events whose
        // commands had already been acknowledged (CrashConsistencyIT).
        return "jdbc:h2:file:" + file.toString().replace('\\', '/') + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    private static Path expandHome(String value) {
        if (value.equals("~") || value.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), value.substring(1).replaceFirst("^/", ""));
        }
        return Path.of(value);
    }

    private static Properties loadDefaults() {
        try {
            return PropertiesLoaderUtils.loadProperties(
                    new ClassPathResource(DEFAULTS_RESOURCE, StoreEnvironmentPostProcessor.class.getClassLoader()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULTS_RESOURCE, e);
        }
    }

    /** After application.properties and friends are loaded, so {@code pcitimeline.db} can be set there. */
    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }
}
