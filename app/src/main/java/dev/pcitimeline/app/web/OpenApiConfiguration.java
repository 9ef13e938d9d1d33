package dev.pcitimeline.app.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's header at {@code /v3/api-docs} (Swagger UI: {@code /swagger-ui.html}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication // the service's: a command-line context has no use for it
public class OpenApiConfiguration {

    @Bean
    OpenAPI pciTimelineOpenApi() {
        String version = OpenApiConfiguration.class.getPackage().getImplementationVersion();
        return new OpenAPI().info(new Info()
                .title("pci-timeline")
                .version(version == null ? "development build" : version)
                .description("A time machine for Xen's PCI bookkeeping (pdevs, bus2bridge, VT-d context entries)."
                        + " Create a system from a scenario (SCENARIOS.md), drive it step by step, and read its state"
                        + " at any event or step, under any what-if Xen build. Errors are RFC 9457 problem documents"
                        + " (application/problem+json) with a `field` property naming what is wrong."));
    }
}
