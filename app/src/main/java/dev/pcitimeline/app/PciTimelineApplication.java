package dev.pcitimeline.app;

import dev.pcitimeline.app.cli.PciTimelineCommand;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import picocli.CommandLine;

/**
 * pci-timeline: the command line parses first (so {@code --help} needs no Spring), then each
 * command starts the Spring context it needs.
 */
@SpringBootApplication(scanBasePackages = "dev.pcitimeline")
public class PciTimelineApplication {

    public static void main(String[] args) {
        // Axon prints a console advertisement banner on stdout unless told not to; stdout is ours.
        System.setProperty("disable-axoniq-console-message", "true");
        System.exit(PciTimelineCommand.commandLine().execute(args));
    }
}
