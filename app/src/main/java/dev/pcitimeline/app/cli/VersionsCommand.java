package dev.pcitimeline.app.cli;

import dev.pcitimeline.projections.query.SystemSummary;
import dev.pcitimeline.projections.query.StateQueries;
import dev.pcitimeline.projections.versions.ReleaseRow;
import dev.pcitimeline.projections.versions.VersionsQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code versions}: replays one scenario like {@code replay} (in-memory store, real command side and projections),
 * then folds its stored history under every policy and sets each against {@code xen-4.4}, from
 * {@link VersionsQueries}: which Xen release is affected, and what the fixes would have done.
 */
@Command(name = "versions", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replays a scenario file once, then folds the stored history under every policy (each Xen "
                + "release, and the three fixes of the original report, which no release has) and prints one row "
                + "per policy: whether Xen hung and at which step, the findings at the end by kind, the steps whose "
                + "outcome differs from xen-4.4, and the first event where the state departs from xen-4.4's.",
                "The file's expect steps are checked and reported on stderr, but the exit status does not depend on "
                        + "them: this is a report."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the file replayed (the report is printed)",
                "2:the file is invalid (the message names file, line and key; nothing of it is stored)"})
public class VersionsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1", description = "scenario file, YAML or JSON (SCENARIOS.md format 1)")
    Path file;

    @Option(names = "--json", description = "print one JSON object keyed by policy, each a row of the table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return SingleReplay.run(file, json, (context, result) -> {
            Map<String, ReleaseRow> rows = context.getBean(VersionsQueries.class).versions(result.system());
            if (json) {
                SingleReplay.print(SingleReplay.JSON.writeValueAsString(rows) + "\n");
            } else {
                SystemSummary s = context.getBean(StateQueries.class).system(result.system()).orElseThrow();
                SingleReplay.print(table(rows, s, file.toString()));
            }
            return 0; // a report: a failed expectation is on stderr, not in the exit status
        });
    }

    /** The rows as a table, one line per policy, columns padded to their widest cell. */
    static String table(Map<String, ReleaseRow> rows, SystemSummary s, String file) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("== versions of %s  (%s)%n", s.scenario(), file));
        out.append(String.format("system %s: %d events, %d steps, folded under each policy and compared with %s%n%n",
                s.system(), s.events(), s.steps(), VersionsQueries.BASELINE));
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[]{"policy", "release", "hung", "findings at the end",
                "outcomes unlike " + VersionsQueries.BASELINE, "departs from " + VersionsQueries.BASELINE});
        for (ReleaseRow r : rows.values()) {
            cells.add(new String[]{r.policy(), r.released() ? "released" : "never released", hung(r),
                    r.findings().isEmpty() ? "none" : r.findings().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
                    outcomes(r),
                    r.departsAtEvent() == null ? (r.policy().equals(VersionsQueries.BASELINE.text()) ? "-" : "never")
                            : "event " + r.departsAtEvent() + " (step " + r.departsAtStep() + ")"});
        }
        SingleReplay.table(out, cells);
        return out.toString();
    }

    /** The changed outcomes, consecutive steps with the same change as one range: "steps 1-5 ok -> HUNG". */
    private static String outcomes(ReleaseRow r) {
        if (r.outcomes().isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        List<ReleaseRow.OutcomeChange> o = r.outcomes();
        int start = 0;
        for (int i = 1; i <= o.size(); i++) {
            boolean runEnds = i == o.size() || o.get(i).step() != o.get(i - 1).step() + 1
                    || !o.get(i).baseline().equals(o.get(start).baseline())
                    || !o.get(i).outcome().equals(o.get(start).outcome());
            if (runEnds) {
                ReleaseRow.OutcomeChange first = o.get(start);
                int last = o.get(i - 1).step();
                parts.add((first.step() == last ? "step " + last : "steps " + first.step() + "-" + last) + " "
                        + first.baseline() + " -> " + first.outcome());
                start = i;
            }
        }
        return String.join(", ", parts);
    }

    private static String hung(ReleaseRow r) {
        if (!r.hung()) {
            return "no";
        }
        return "step " + r.hungStep() + " (event " + r.hungEvent() + ")" + (r.hungAtEnd() ? "" : ", not at the end");
    }
}
