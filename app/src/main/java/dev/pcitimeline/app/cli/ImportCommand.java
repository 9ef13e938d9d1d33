package dev.pcitimeline.app.cli;

import dev.pcitimeline.scenarios.format.Scenario;
import dev.pcitimeline.scenarios.format.ScenarioException;
import dev.pcitimeline.scenarios.importer.ImportException;
import dev.pcitimeline.scenarios.importer.LspciImport;
import dev.pcitimeline.scenarios.importer.LspciImporter;
import dev.pcitimeline.scenarios.importer.SkippedLine;
import dev.pcitimeline.scenarios.importer.TextInput;
import dev.pcitimeline.scenarios.importer.XlDmesgImport;
import dev.pcitimeline.scenarios.importer.XlDmesgImporter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code import}: real captures to scenario files. Plain Java, no Spring: the importers only
 * read text and check their output against the model in memory.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Turns captures of a real machine into scenario files (SCENARIOS.md format 1).",
        subcommands = {ImportCommand.Lspci.class, ImportCommand.XlDmesg.class})
public class ImportCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: lspci or xl-dmesg");
    }

    /** {@code import lspci TREE [--detail VVV] [-o OUT.yaml]}. */
    @Command(name = "lspci", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Makes a scenario whose hardware is the machine an lspci dump shows: every function at its BDF, "
                    + "bridge registers set to the dump's bus numbers, and xen-boot as its only step.",
                    "Kinds come from the lspci -v listing when given; otherwise they are inferred, and every guess is "
                            + "written as a comment on its kind line and on stderr."},
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:the scenario was written (warnings and skipped lines are on stderr)",
                    "2:the input is malformed or cannot make a scenario (file, line and what on stderr)"})
    static class Lspci implements Callable<Integer> {

        @Parameters(paramLabel = "TREE", description = "output of lspci -t, -tv, -tvnn or -t -v -PP "
                + "(or, without a tree, an lspci -v/-vv/-vvv/-vn listing alone)")
        Path tree;

        @Option(names = "--detail", paramLabel = "VVV",
                description = "lspci -vvv (or -vv, -v, -vn) output of the same machine: kinds, bus registers, SR-IOV")
        Path detail;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT.yaml", description = "write the scenario here (default: stdout)")
        Path output;

        @Option(names = "--segment", paramLabel = "SSSS", converter = HexSegment.class,
                description = "the PCI segment to import when the dump has several (hex)")
        Integer segment;

        @Option(names = "--name", paramLabel = "NAME", description = "the scenario's name (default: from TREE's file name)")
        String name;

        @Override
        public Integer call() {
            PrintStream err = System.err;
            try {
                LspciImport result = LspciImporter.importDump(TextInput.read(tree),
                        detail == null ? null : TextInput.read(detail), new LspciImporter.Options(segment, name));
                writeOutput(result.yaml(), output);
                err.printf("%s: %d functions (%d virtual functions enabled on their PF) -> %s; %d kind(s) guessed, "
                                + "%d warning(s), %d line(s) skipped%n", tree.getFileName(), result.functions(), result.vfs(),
                        output == null ? "stdout" : output, result.guesses().size(), result.warnings().size(),
                        result.skipped().size());
                result.guesses().forEach(g -> err.println("  guess: " + g));
                result.warnings().forEach(w -> err.println("  warning: " + w));
                for (SkippedLine s : result.skipped()) {
                    err.println("  skipped " + s);
                }
                return 0;
            } catch (ImportException e) {
                err.println("import lspci: " + e.getMessage());
                return 2;
            } catch (RuntimeException e) {
                err.println("import lspci: internal error: " + e);
                return 2;
            }
        }
    }

    /** {@code import xl-dmesg LOG --topology TOPO.yaml [-o OUT.yaml]}. */
    @Command(name = "xl-dmesg", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Makes a scenario from an xl dmesg capture: the topology of TOPO.yaml, xen-boot, then one add or "
                    + "remove step per 'PCI add ...'/'PCI remove device' line, in log order.",
                    "VT-d map/unmap and DMA fault lines stay as comments after the step they follow; a summary "
                            + "(lines read, steps written, lines skipped and why) goes to stderr."},
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:the scenario was written", "2:the log or the topology is malformed (file, line and what on stderr)"})
    static class XlDmesg implements Callable<Integer> {

        @Parameters(paramLabel = "LOG", description = "xl dmesg output (dom0 kernel lines and console timestamps may be mixed in)")
        Path log;

        @Option(names = "--topology", required = true, paramLabel = "TOPO.yaml",
                description = "a scenario file whose topology (segment, policy) the log ran on, e.g. from import lspci; "
                        + "its steps are not used")
        Path topology;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT.yaml", description = "write the scenario here (default: stdout)")
        Path output;

        @Option(names = "--name", paramLabel = "NAME", description = "the scenario's name (default: from LOG's file name)")
        String name;

        @Override
        public Integer call() {
            PrintStream err = System.err;
            try {
                Scenario topo = XlDmesgImporter.readTopology(topology);
                XlDmesgImport result = XlDmesgImporter.importLog(TextInput.read(log), topo, name);
                writeOutput(result.yaml(), output);
                printSummary(err, log, result, output == null ? "stdout" : output.toString());
                return 0;
            } catch (ImportException e) {
                err.println("import xl-dmesg: " + e.getMessage());
                return 2;
            } catch (ScenarioException e) {
                err.println("import xl-dmesg: invalid topology: " + e.getMessage());
                return 2;
            } catch (RuntimeException e) {
                err.println("import xl-dmesg: internal error: " + e);
                return 2;
            }
        }
    }

    /** The xl dmesg summary: lines read, steps written, lines skipped with their reasons. */
    static void printSummary(PrintStream err, Path log, XlDmesgImport result, String target) {
        long adds = result.steps().stream().filter(s -> s.step() instanceof dev.pcitimeline.domain.step.Step.Add).count();
        long removes = result.addRemoveSteps() - adds;
        err.printf("%s: %d lines read, %d steps written (%d xen-boot, %d add, %d remove) -> %s; %d line(s) skipped, "
                        + "%d other line(s) without a PCI add/remove, VT-d map/unmap or DMA fault%n", log.getFileName(),
                result.log().lines(), result.steps().size(), result.steps().size() - result.addRemoveSteps(), adds, removes,
                target, result.log().skipped().size(), result.log().other());
        for (SkippedLine s : result.log().skipped()) {
            err.println("  skipped " + s);
        }
        result.warnings().forEach(w -> err.println("  warning: " + w));
    }

    static void writeOutput(String yaml, Path output) {
        if (output == null) {
            System.out.print(yaml);
            System.out.flush();
            return;
        }
        try {
            Files.writeString(output, yaml);
        } catch (IOException e) {
            throw new ImportException(output.toString(), 0, "cannot write the scenario: " + e.getMessage());
        }
    }

    /** {@code --segment}: hex, as lspci prints it (0000, 10, 0x10). */
    static final class HexSegment implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String v = value.startsWith("0x") || value.startsWith("0X") ? value.substring(2) : value;
            try {
                int segment = Integer.parseInt(v, 16);
                if (segment < 0 || segment > 0xffff) {
                    throw new NumberFormatException();
                }
                return segment;
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a segment (hex 0000..ffff)");
            }
        }
    }
}
