package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.scenarios.importer.XenLog.AddKind;
import dev.pcitimeline.scenarios.importer.XenLog.ContextLine;
import dev.pcitimeline.scenarios.importer.XenLog.DeviceAdded;
import dev.pcitimeline.scenarios.importer.XenLog.DeviceRemoved;
import dev.pcitimeline.scenarios.importer.XenLog.DmaFault;
import dev.pcitimeline.scenarios.importer.XenLog.Entry;
import dev.pcitimeline.scenarios.importer.XenLog.FaultReason;
import dev.pcitimeline.scenarios.importer.XenLog.Op;
import dev.pcitimeline.scenarios.importer.XenLog.XenBanner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds Xen's PCI messages in an {@code xl dmesg} capture, wherever they sit on a line: after
 * {@code (XEN)}, after a console timestamp ({@code (XEN) [2014-06-27 08:15:01.123]}), between
 * dom0 kernel lines, or two glued on one line. Messages are not anchored to the line start for
 * that reason; each is recognised by its own words. A line that names a PCI add/remove, a
 * VT-d map/unmap or a DMA fault but cannot be used (a cut BDF, a device out of range, another
 * segment) is reported as skipped with the reason, never silently dropped.
 */
public final class XenLogParser {

    /** An address as Xen prints it, or whatever non-blank token stands there (then reported). */
    private static final String ADDRESS = "([0-9a-fA-F]{1,8}:[0-9a-fA-F]{1,3}:[0-9a-fA-F]{1,3}\\.[0-9a-fA-F]|[^\\s\\]]+)";
    private static final Pattern ADD = Pattern.compile("PCI add (device|virtual function|extended function)(?:\\s+"
            + ADDRESS + ")?(?:[ ,(]*(?:of|PF|physfn)[:\\s]+" + ADDRESS + "\\)?)?");
    private static final Pattern REMOVE = Pattern.compile("PCI remove device(?:\\s+" + ADDRESS + ")?");
    private static final Pattern CONTEXT = Pattern.compile("\\[VT-D]\\s*(?:[\\w./-]+\\.c:\\d+:\\s*)?d(\\d+|\\[\\w+])\\s*:\\s*"
            + "(PCIe|PCI|Hostbridge)\\s*:\\s*(?:(map|unmap)\\s+" + ADDRESS + "|skip\\s+" + ADDRESS + "\\s+(map|unmap))");
    private static final Pattern FAULT = Pattern.compile("DMAR:\\s*\\[DMA (Read|Write)]\\s*Request device \\[" + ADDRESS + "]",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern REASON = Pattern.compile(
            "DMAR:\\s*(?:\\[fault reason ([0-9a-fA-F]{1,2})h?]|reason ([0-9a-fA-F]{1,2})\\s*-)\\s*([^(\\n]*)");
    private static final Pattern INTR_REMAP = Pattern.compile("INTR-REMAP:\\s*\\[?[^\\]]*]?\\s*Request device");
    private static final Pattern BANNER = Pattern.compile("\\(XEN\\)\\s+Xen version \\d+\\.\\d+");
    /** Lines that talk about what we read but match none of the forms above. */
    private static final Pattern LOOKS_RELEVANT = Pattern.compile(
            "PCI (add|remove)\\b|\\[VT-D].*\\bmap\\b|Request device \\[", Pattern.CASE_INSENSITIVE);

    private final String source;
    private final int segment;
    private final List<Entry> entries = new ArrayList<>();
    private final List<SkippedLine> skipped = new ArrayList<>();
    /** Whether dom0 has reported anything yet: a Xen banner after that is a second boot. */
    private boolean dom0Reported;

    private XenLogParser(String source, int segment) {
        this.source = source;
        this.segment = segment;
    }

    /** Reads {@code input}; BDFs must be in {@code segment} (one scenario models one segment). */
    public static XenLog parse(TextInput input, int segment) {
        return new XenLogParser(input.source(), segment).run(input.lines());
    }

    /** A match of one message form, to process a line's messages in the order they appear. */
    private record Hit(int start, MatchResult matcher, Pattern form) {
    }

    private XenLog run(List<String> lines) {
        int other = 0;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            List<Hit> hits = new ArrayList<>();
            for (Pattern form : List.of(ADD, REMOVE, CONTEXT, FAULT, REASON, INTR_REMAP, BANNER)) {
                Matcher m = form.matcher(line);
                while (m.find()) {
                    hits.add(new Hit(m.start(), m.toMatchResult(), form));
                }
            }
            if (hits.isEmpty()) {
                if (LOOKS_RELEVANT.matcher(line).find()) {
                    skipped.add(new SkippedLine(lineNo, "mentions a PCI add/remove, VT-d map or DMA fault in a form "
                            + "not understood", line));
                } else {
                    other++;
                }
                continue;
            }
            hits.sort(Comparator.comparingInt(Hit::start));
            for (Hit h : hits) {
                read(lineNo, line, h);
            }
        }
        return new XenLog(source, lines.size(), entries, skipped, other);
    }

    private void read(int lineNo, String line, Hit h) {
        MatchResult m = h.matcher();
        String text = m.group();
        if (h.form() == ADD) {
            AddKind kind = switch (m.group(1)) {
                case "virtual function" -> AddKind.VIRTUAL_FUNCTION;
                case "extended function" -> AddKind.EXTENDED_FUNCTION;
                default -> AddKind.DEVICE;
            };
            Bdf bdf = address(lineNo, line, m.group(2), "PCI add " + kind.text());
            Bdf physfn = m.group(3) == null ? null : address(lineNo, line, m.group(3), "the PF of PCI add " + kind.text());
            if (bdf != null && (m.group(3) == null || physfn != null)) {
                entries.add(new DeviceAdded(lineNo, text, kind, bdf, physfn));
                dom0Reported = true;
            }
        } else if (h.form() == REMOVE) {
            Bdf bdf = address(lineNo, line, m.group(1), "PCI remove device");
            if (bdf != null) {
                entries.add(new DeviceRemoved(lineNo, text, bdf));
                dom0Reported = true;
            }
        } else if (h.form() == CONTEXT) {
            boolean skip = m.group(3) == null;
            Op op = Op.valueOf((skip ? m.group(6) : m.group(3)).toUpperCase(java.util.Locale.ROOT));
            Bdf bdf = address(lineNo, line, skip ? m.group(5) : m.group(4), "[VT-D] " + op.text());
            if (bdf != null) {
                String domain = m.group(1);
                Integer id = null;
                if (domain.chars().allMatch(Character::isDigit) && domain.length() <= 5) {
                    int value = Integer.parseInt(domain);
                    id = value <= 0x7fef ? value : null; // 32752 and up: DOMID_IO, DOMID_XEN, ... (quarantine)
                }
                entries.add(new ContextLine(lineNo, text, domain, id, m.group(2), op, bdf));
            }
        } else if (h.form() == FAULT) {
            String token = m.group(2);
            if (token.matches("[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-9a-fA-F]")) {
                token = String.format("%04x:", segment) + token; // Linux prints faults without the segment
            }
            Bdf bdf = address(lineNo, line, token, "DMA fault");
            if (bdf != null) {
                entries.add(new DmaFault(lineNo, text, m.group(1).equalsIgnoreCase("write"), bdf));
            }
        } else if (h.form() == REASON) {
            String code = m.group(1) != null ? m.group(1) : m.group(2);
            entries.add(new FaultReason(lineNo, text.strip(), Integer.parseInt(code, 16), m.group(3).strip()));
        } else if (h.form() == INTR_REMAP) {
            skipped.add(new SkippedLine(lineNo, "an interrupt-remapping fault: not about DMA context entries", line));
        } else if (h.form() == BANNER) {
            if (dom0Reported) {
                entries.add(new XenBanner(lineNo, text));
                dom0Reported = false;
            }
        }
    }

    /** The BDF in {@code token}, or null after reporting why the line is skipped. */
    private Bdf address(int lineNo, String line, String token, String what) {
        if (token == null) {
            skipped.add(new SkippedLine(lineNo, what + " without an address", line));
            return null;
        }
        Bdf bdf;
        try {
            bdf = Bdf.parse(token);
        } catch (IllegalArgumentException e) {
            skipped.add(new SkippedLine(lineNo, what + ": " + e.getMessage(), line));
            return null;
        }
        if (bdf.segment() != segment) {
            skipped.add(new SkippedLine(lineNo, what + ": " + bdf + " is in segment " + String.format("%04x", bdf.segment())
                    + ", the topology models segment " + String.format("%04x", segment), line));
            return null;
        }
        return bdf;
    }
}
