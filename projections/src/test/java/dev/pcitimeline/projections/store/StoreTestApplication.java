package dev.pcitimeline.projections.store;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** The smallest application with projections on its classpath: everything else comes from autoconfiguration. */
@SpringBootConfiguration
@EnableAutoConfiguration
class StoreTestApplication {

    @Bean
    RecordingHandler recordingHandler() {
        return new RecordingHandler();
    }
}
