package dev.pcitimeline.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: {@code pci-timeline <command> [options]}. */
@Command(name = "pci-timeline", mixinStandardHelpOptions = true, versionProvider = PciTimelineCommand.Version.class,
        description = "A time machine for Xen's PCI bookkeeping: pdevs, bus2bridge and VT-d context entries, "
                + "replayed from scenario files at any point of their history, under any what-if Xen build.",
        subcommands = {ReplayCommand.class, AuditCommand.class, VersionsCommand.class, ServeCommand.class, RebuildViewsCommand.class, BenchCommand.class, ImportCommand.class, CheckLogCommand.class, MinimizeCommand.class, FuzzCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Scenario format: docs/spec/SCENARIOS.md; the model: docs/spec/XEN-MODEL.md."})
public class PciTimelineCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The command line with its error handling: usage errors exit 2 with a hint, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PciTimelineCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(false);
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PciTimelineCommand.class.getPackage().getImplementationVersion();
            return new String[]{"pci-timeline " + (v == null ? "(development build)" : v)};
        }
    }
}
