package dev.pcitimeline.app.cli;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.projections.audit.AuditQueries;
import dev.pcitimeline.projections.audit.Bus2BridgeAudit;
import dev.pcitimeline.projections.audit.ConfigReadEntry;
import dev.pcitimeline.projections.audit.PdevAudit;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code audit}: replays one scenario like {@code replay} (in-memory store, real command side and projections),
 * then explains how one bus2bridge entry or one pdev came to be, from {@link AuditQueries}.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replays a scenario file, then explains how one bus2bridge entry (--bus) or one pdev (--bdf) "
                + "came to be: every write to the entry with the Xen operation, the rule (alloc_pdev fill, free_pdev "
                + "copy, fix-invalidate-loop clear, fix-trap-bus-writes copy/fill, hung loop), before and after, the "
                + "config-space reads behind it and why; or the pdev's allocation, owners, context entries, what "
                + "answers at its address and whether it is stale.",
                "The state audited is the one after the last step (or --at-event); findings are XEN-MODEL.md §5's."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the file replayed and every expectation held", "1:an expectation failed (the audit is printed)",
                "2:the file is invalid or the options are wrong (bus outside 0..255, malformed BDF, event out of range)"})
public class AuditCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1", description = "scenario file, YAML or JSON (SCENARIOS.md format 1)")
    Path file;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--bus", paramLabel = "N", converter = BusConverter.class,
                description = "the bus2bridge entry of bus N (0..255; decimal, or hex as 0x06)")
        Integer bus;

        @Option(names = "--bdf", paramLabel = "BDF", converter = BdfConverter.class,
                description = "the pdev at BDF (SSSS:BB:DD.F, hex, e.g. 0000:05:00.0)")
        Bdf bdf;
    }

    @Option(names = "--policy", paramLabel = "P", converter = Cli.PolicyConverter.class,
            completionCandidates = Cli.Policies.class,
            description = "audit a what-if fold of the same history under this Xen build (the system keeps the "
                    + "file's own): ${COMPLETION-CANDIDATES}")
    Policy policy;

    @Option(names = "--at-event", paramLabel = "N",
            description = "audit the state after event N of the system (1-based) instead of after the last step")
    Integer atEvent;

    @Option(names = "--json", description = "print the audit as one JSON object (bus2bridge or pdev audit)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return SingleReplay.run(file, json, (context, result) -> {
            AuditQueries audits = context.getBean(AuditQueries.class);
            Object audit;
            try {
                // The system runs the file's own build; --policy audits a what-if fold of its history.
                audit = target.bus != null ? audits.bus2bridge(result.system(), target.bus, atEvent, policy)
                        : audits.pdev(result.system(), target.bdf, atEvent, policy);
            } catch (IllegalArgumentException badPoint) {
                System.err.println(file + ": " + badPoint.getMessage());
                return 2;
            }
            if (json) {
                SingleReplay.print(SingleReplay.JSON.writeValueAsString(audit) + "\n");
            } else if (audit instanceof Bus2BridgeAudit b) {
                SingleReplay.print(Text.bus2bridge(b, file.toString()));
            } else {
                SingleReplay.print(Text.pdev((PdevAudit) audit, file.toString()));
            }
            return result.passed() ? 0 : 1;
        });
    }

    /** {@code --bus}: 0..255, decimal or {@code 0x}-prefixed hex, with the option named in the error. */
    static final class BusConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String v = value.trim();
            int bus;
            try {
                bus = v.startsWith("0x") || v.startsWith("0X") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a bus number: expected 0..255"
                        + " (decimal, or hex as 0x06)");
            }
            if (bus < 0 || bus > 0xff) {
                throw new CommandLine.TypeConversionException("bus " + value + " is out of range 0..255");
            }
            return bus;
        }
    }

    /** {@code --bdf}: {@code SSSS:BB:DD.F}, with what is wrong in the error. */
    static final class BdfConverter implements CommandLine.ITypeConverter<Bdf> {
        @Override
        public Bdf convert(String value) {
            try {
                return Bdf.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The audits as readable text: the summary, a table of writes (or happenings), then the explanations. */
    static final class Text {
        private Text() {
        }

        static String bus2bridge(Bus2BridgeAudit a, String file) {
            StringBuilder out = new StringBuilder();
            out.append(String.format("== bus2bridge[%02x] (bus %d) of %s  (%s)%n", a.bus(), a.bus(), a.scenario(), file));
            out.append(String.format("system %s, policy %s, after event %d, step %d%n", a.system(), a.policy(), a.event(),
                    a.step()));
            for (String s : a.summary()) {
                out.append("  ").append(s).append('\n');
            }
            out.append("\nwrites\n");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"event", "step", "operation", "rule", "before", "after", "outcome"});
            for (Bus2BridgeAudit.Write w : a.writes()) {
                rows.add(new String[]{Long.toString(w.event()), Integer.toString(w.step()), w.operation(), w.rule(),
                        w.before().text(), w.after().text(), w.outcome()});
            }
            SingleReplay.table(out, rows);
            if (!a.writes().isEmpty()) {
                out.append("\nwhy\n");
            }
            for (Bus2BridgeAudit.Write w : a.writes()) {
                out.append("  event ").append(w.event()).append(": ").append(w.explanation()).append('\n');
                if (!w.reads().isEmpty()) {
                    out.append("    Xen read ").append(reads(w.reads())).append('\n');
                }
            }
            return out.append('\n').toString();
        }

        static String pdev(PdevAudit a, String file) {
            StringBuilder out = new StringBuilder();
            out.append(String.format("== pdev %s of %s  (%s)%n", a.bdf(), a.scenario(), file));
            out.append(String.format("system %s, policy %s, after event %d, step %d%n", a.system(), a.policy(), a.event(),
                    a.step()));
            for (String s : a.summary()) {
                out.append("  ").append(s).append('\n');
            }
            out.append("\nhistory\n");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"event", "step", "operation", "what", "outcome"});
            for (PdevAudit.Happening h : a.history()) {
                rows.add(new String[]{Long.toString(h.event()), Integer.toString(h.step()), h.operation(), h.what(),
                        h.outcome()});
            }
            SingleReplay.table(out, rows);
            if (!a.history().isEmpty()) {
                out.append("\nwhy\n");
            }
            for (PdevAudit.Happening h : a.history()) {
                out.append("  event ").append(h.event()).append(": ").append(h.explanation()).append('\n');
                if (!h.reads().isEmpty()) {
                    out.append("    Xen read ").append(reads(h.reads())).append('\n');
                }
            }
            return out.append('\n').toString();
        }

        private static String reads(List<ConfigReadEntry> reads) {
            return "at " + Bdf.parse(reads.get(0).at()).shortText() + ": "
                    + reads.stream().map(ConfigReadEntry::text).collect(Collectors.joining(", "));
        }
    }
}
