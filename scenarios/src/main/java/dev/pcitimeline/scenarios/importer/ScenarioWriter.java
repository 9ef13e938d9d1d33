package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.step.Step;
import dev.pcitimeline.domain.value.Policy;
import dev.pcitimeline.scenarios.format.ExpectedFinding;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a scenario file (SCENARIOS.md, format 1) by hand rather than through Jackson, because
 * an imported file carries comments: what each function is called in the dump, every guessed
 * kind, and the log lines around each step. Block style, two-space indent, keys in the order
 * the spec lists them; every string that YAML could read as something else is quoted.
 */
public final class ScenarioWriter {

    private static final Pattern PLAIN_SAFE = Pattern.compile("[a-z][a-z0-9._-]*");

    private final StringBuilder out = new StringBuilder();

    public ScenarioWriter() {
    }

    /** A {@code # text} line per entry of {@code lines} at the given indent. */
    public ScenarioWriter comment(int indent, String text) {
        for (String line : text.split("\n", -1)) {
            out.append(" ".repeat(indent)).append(line.isEmpty() ? "#" : "# " + commentSafe(line)).append('\n');
        }
        return this;
    }

    public ScenarioWriter blank() {
        out.append('\n');
        return this;
    }

    public ScenarioWriter header(String scenario, String description, Policy policy, int segment) {
        out.append("scenario: ").append(scenario).append('\n');
        if (description != null) {
            out.append("description: ").append(quote(description)).append('\n');
        }
        if (policy != null) {
            out.append("policy: ").append(policy.text()).append('\n');
        }
        out.append("segment: ").append(segment).append('\n');
        return this;
    }

    /**
     * The {@code topology} list.
     *
     * @param names        per function id, a comment for its id line (the dump's name), may be empty
     * @param kindComments per function id, a comment for its kind line (a guess), may be empty
     */
    public ScenarioWriter topology(List<FunctionSpec> topology, Map<String, String> names, Map<String, String> kindComments) {
        out.append("topology:").append(topology.isEmpty() ? " []\n" : "\n");
        for (FunctionSpec f : topology) {
            function(f, "  - ", 4, true, names, kindComments);
        }
        return this;
    }

    /**
     * A function's keys at {@code keyIndent}, the first line starting with {@code firstPrefix} (a list item's
     * {@code "  - "}, or plain indentation for a mapping such as a plug step's {@code function}).
     */
    private void function(FunctionSpec f, String firstPrefix, int keyIndent, boolean topLevel, Map<String, String> names,
                          Map<String, String> kindComments) {
        String inner = " ".repeat(keyIndent);
        out.append(firstPrefix).append("id: ").append(quoteIfNeeded(f.id()));
        trailing(names.get(f.id()));
        out.append(inner).append("devfn: \"").append(f.devfn()).append("\"\n");
        if (topLevel && f.rootBus() != null) {
            out.append(inner).append("bus: ").append(f.rootBus()).append('\n');
        }
        out.append(inner).append("kind: ").append(f.kind().text());
        trailing(kindComments.get(f.id()));
        if (f.buses() != null) {
            out.append(inner).append("buses: [").append(f.buses().primary()).append(", ").append(f.buses().secondary())
                    .append(", ").append(f.buses().subordinate()).append("]\n");
        }
        if (f.bar2() != 0) {
            out.append(inner).append("bar2: ").append(String.format("0x%08x", f.bar2())).append('\n');
        }
        SriovSpec s = f.sriov();
        if (s != null) {
            out.append(inner).append("sriov: {total-vfs: ").append(s.totalVfs()).append(", vf-offset: ")
                    .append(s.vfOffset()).append(", vf-stride: ").append(s.vfStride()).append(", enabled: ")
                    .append(s.enabled()).append("}\n");
        }
        if (!f.children().isEmpty()) {
            out.append(inner).append("children:\n");
            for (FunctionSpec c : f.children()) {
                function(c, " ".repeat(keyIndent + 2) + "- ", keyIndent + 4, false, names, kindComments);
            }
        }
    }

    private void trailing(String comment) {
        if (comment != null && !comment.isBlank()) {
            out.append("   # ").append(commentSafe(comment));
        }
        out.append('\n');
    }

    /** The line {@code steps:}; then {@link #step} and {@link #comment} in order. */
    public ScenarioWriter steps() {
        out.append("steps:\n");
        return this;
    }

    /** One step line as already-formed YAML ({@code xen-boot}, {@code add: "0000:00:02.0"}), with an optional comment. */
    public ScenarioWriter step(String yaml, String comment) {
        out.append("  - ").append(yaml);
        trailing(comment);
        return this;
    }

    /**
     * One step, without a comment. The timeline's {@link Step#text()} names only a plugged function's id, devfn
     * and kind; a file needs the whole subtree with its registers, so {@code plug} is written here in full.
     */
    public ScenarioWriter step(Step step) {
        if (step instanceof Step.Plug p) {
            out.append("  - plug:\n      parent: ").append(quoteIfNeeded(p.parent())).append("\n      function:\n");
            function(p.function(), " ".repeat(8), 8, true, Map.of(), Map.of());
            return this;
        }
        return step(step.text(), null);
    }

    /** An {@code expect} entry asserting that {@code finding} holds after the step before it. */
    public ScenarioWriter expectFinding(ExpectedFinding finding) {
        out.append("  - expect:\n      findings: [{kind: ").append(finding.kind().name());
        if (finding.bus() != null) {
            out.append(", bus: ").append(finding.bus());
        } else if (finding.bdf() != null) {
            out.append(", bdf: \"").append(finding.bdf()).append('"');
        } else if (finding.domain() != null) {
            out.append(", domain: ").append(finding.domain());
        }
        out.append("}]\n");
        return this;
    }

    public String text() {
        return out.toString();
    }

    /** A double-quoted YAML string. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < ' ') {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Ids that YAML would read as text anyway stay plain, the rest (e.g. "1.5", "true") are quoted. */
    static String quoteIfNeeded(String s) {
        return PLAIN_SAFE.matcher(s).matches() && !s.equals("null") && !s.equals("true") && !s.equals("false")
                && !s.equals("yes") && !s.equals("no") && !s.equals("on") && !s.equals("off") ? s : quote(s);
    }

    /** Comments are one line; control characters would end or corrupt it. */
    static String commentSafe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < ' ' || c == '\u2028' || c == '\u2029' || c == '\u0085' ? ' ' : c);
        }
        return b.toString().stripTrailing();
    }
}
