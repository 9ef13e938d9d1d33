package dev.pcitimeline.app.web;

import dev.pcitimeline.app.PciTimelineApplication;
import dev.pcitimeline.projections.store.EventStoreConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;

/** Whole services started by hand (as {@code serve} does) on an H2 file store, for tests that restart or double them. */
final class Services {
    private Services() {
    }

    /** The service on {@code db} on a free port. */
    static ConfigurableApplicationContext start(Path db) {
        return start(db, "pcitimeline-test");
    }

    /**
     * The service on {@code db} on a free port, claiming event processor segments as {@code nodeId}: two
     * instances in one JVM need two ids, or both would think they hold the views processor's claim.
     */
    static ConfigurableApplicationContext start(Path db, String nodeId) {
        return new SpringApplicationBuilder(PciTimelineApplication.class)
                .web(WebApplicationType.SERVLET)
                .properties("pcitimeline.db=" + db.toAbsolutePath(), "server.port=0",
                        EventStoreConfiguration.NODE_ID_PROPERTY + "=" + nodeId)
                .run();
    }

    static Http client(ConfigurableApplicationContext context) {
        return new Http(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
