package dev.pcitimeline.app.cli;

import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.projections.query.StateDocument;
import dev.pcitimeline.projections.query.StateDocument.ExpectationEntry;
import dev.pcitimeline.projections.query.StateDocument.FindingEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state object as readable tables (the default output of {@code replay}): steps,
 * bus2bridge with its findings marked, pdevs, upstream walks, context entries by domain,
 * findings and expectation results. Colours only when asked (a terminal).
 */
final class StateText {
    private final boolean color;
    private final StringBuilder out = new StringBuilder();

    private StateText(boolean color) {
        this.color = color;
    }

    static String render(StateDocument s, String file, boolean color) {
        return new StateText(color).document(s, file);
    }

    private String document(StateDocument s, String file) {
        line(bold("== " + s.scenario()) + "  (" + file + ")");
        line("system " + s.system() + ", policy " + s.policy() + ", segment " + String.format("%04x", s.segment())
                + ", after event " + s.event() + ", step " + s.step() + (s.hung() ? "  " + red("XEN IS HUNG") : ""));
        steps(s);
        bus2bridge(s);
        pdevs(s);
        upstream(s);
        contexts(s);
        findings(s);
        expectations(s);
        return out.toString();
    }

    private void steps(StateDocument s) {
        header("steps");
        Table t = new Table("#", "step", "outcome", "events");
        for (StateDocument.StepEntry e : s.steps()) {
            String outcome = "ok".equals(e.outcome()) ? e.outcome() : red(e.outcome());
            t.row(Integer.toString(e.index()), e.text() == null ? e.step() : e.text(), outcome,
                    e.events().isEmpty() ? "-" : e.events().get(0) + ".." + e.events().get(1));
        }
        t.print();
    }

    private void bus2bridge(StateDocument s) {
        header("bus2bridge (mapped entries)");
        if (s.bus2bridge().isEmpty()) {
            line("  (none)");
            return;
        }
        Map<Integer, List<String>> marks = new TreeMap<>();
        for (FindingEntry f : s.findings()) {
            if (f.bus() != null && f.kind().startsWith("BUS2BRIDGE_")) {
                marks.computeIfAbsent(f.bus(), b -> new ArrayList<>()).add(f.kind().substring("BUS2BRIDGE_".length()));
            }
        }
        Table t = new Table("bus", "bridge", "");
        for (StateDocument.Bus2BridgeMapping m : s.bus2bridge()) {
            List<String> m2 = marks.getOrDefault(m.bus(), List.of());
            t.row(String.format("%02x (%d)", m.bus(), m.bus()), m.bridge(), m2.isEmpty() ? "" : red(String.join(" ", m2)));
        }
        t.print();
    }

    private void pdevs(StateDocument s) {
        header("pdevs");
        Table t = new Table("bdf", "type", "domain", "virtfn of", "");
        for (StateDocument.Pdev p : s.pdevs()) {
            boolean stale = s.findings().stream().anyMatch(f -> "PDEV_STALE".equals(f.kind()) && p.bdf().equals(f.bdf()));
            t.row(p.bdf(), p.type(), p.domain() == null ? "-" : DomainId.of(p.domain()).toString(), p.virtfnOf() == null ? "" : p.virtfnOf(),
                    stale ? red("STALE") : "");
        }
        t.print();
    }

    private void upstream(StateDocument s) {
        header("find_upstream_bridge per pdev");
        Table t = new Table("bdf", "result", "top-most bridge", "secbus");
        for (StateDocument.Upstream u : s.upstream()) {
            t.row(u.bdf(), u.result() == -1 ? red("-1 (loop)") : Integer.toString(u.result()),
                    u.bridge() == null ? "" : u.bridge(), u.secbus() == null ? "" : String.format("%02x", u.secbus()));
        }
        t.print();
    }

    private void contexts(StateDocument s) {
        header("VT-d context entries");
        if (s.contexts().isEmpty()) {
            line("  (none)");
            return;
        }
        Map<Integer, List<String>> byDomain = new TreeMap<>();
        s.contexts().forEach(c -> byDomain.computeIfAbsent(c.domain(), d -> new ArrayList<>()).add(c.bdf()));
        byDomain.forEach((d, bdfs) -> line("  " + DomainId.of(d) + ": " + String.join(", ", bdfs)));
    }

    private void findings(StateDocument s) {
        header("findings (" + s.findings().size() + ")");
        Table t = new Table("kind", "subject", "since", "message");
        for (FindingEntry f : s.findings()) {
            String subject = f.bus() != null ? String.format("bus %02x", f.bus()) : f.bdf() != null ? f.bdf()
                    : f.domain() != null ? "d" + f.domain() : "-";
            t.row(yellow(f.kind()), subject, Long.toString(f.since()), f.message());
        }
        t.print();
    }

    private void expectations(StateDocument s) {
        if (s.expectations().isEmpty()) {
            return;
        }
        long failed = s.expectations().stream().filter(e -> !e.passed()).count();
        header("expectations: " + (s.expectations().size() - failed) + " held, " + failed + " failed");
        for (ExpectationEntry e : s.expectations()) {
            if (!e.passed()) {
                line("  " + red("FAILED") + " " + e.message());
            }
        }
    }

    private void header(String title) {
        line("");
        line(bold(title));
    }

    private void line(String text) {
        out.append(text).append('\n');
    }

    private String bold(String t) {
        return color ? "\u001b[1m" + t + "\u001b[0m" : t;
    }

    private String red(String t) {
        return color ? "\u001b[31m" + t + "\u001b[0m" : t;
    }

    private String yellow(String t) {
        return color ? "\u001b[33m" + t + "\u001b[0m" : t;
    }

    /** Left-aligned columns, widths from the visible text (colour codes excluded). */
    private final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... headers) {
            rows.add(headers);
        }

        void row(String... cells) {
            rows.add(cells);
        }

        void print() {
            if (rows.size() == 1) {
                line("  (none)");
                return;
            }
            int[] width = new int[rows.get(0).length];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    width[i] = Math.max(width[i], visible(r[i]));
                }
            }
            for (String[] r : rows) {
                StringBuilder b = new StringBuilder(" ");
                for (int i = 0; i < r.length; i++) {
                    b.append(' ').append(r[i]);
                    if (i < r.length - 1) {
                        b.append(" ".repeat(width[i] - visible(r[i]) + 1));
                    }
                }
                line(b.toString().stripTrailing());
            }
        }

        private int visible(String s) {
            return s.replaceAll("\u001b\\[[0-9;]*m", "").length();
        }
    }
}
