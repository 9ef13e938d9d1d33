package dev.pcitimeline.projections.it;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** Just the autoconfigurations: the event store of projections.store and ours (aggregate, views, queries). */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestApplication {
}
