package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.scenarios.importer.LspciVerbose.ExpressType;
import dev.pcitimeline.scenarios.importer.LspciVerbose.Function;
import dev.pcitimeline.scenarios.importer.LspciVerbose.Sriov;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code lspci -v}, {@code -vv}, {@code -vvv}, {@code -vn} and {@code -vnn} listings
 * (with or without {@code -D}): a header line per function at column 0, its details indented
 * below. Only what decides a function's kind, bus registers and SR-IOV is kept. Lines that
 * belong to no record (a shell prompt, a heading) are skipped and reported; a header with an
 * impossible address is an error.
 */
public final class LspciVerboseParser {

    private static final Pattern HEADER = Pattern.compile(
            "(?:([0-9a-fA-F]{4,8}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-9a-fA-F])\\s+(\\S.*)");
    /** -n: "0604: 8086:1e10 (rev c4)" */
    private static final Pattern NUMERIC = Pattern.compile("([0-9a-fA-F]{4}):\\s+([0-9a-fA-F]{4}:[0-9a-fA-F]{4})(.*)");
    /** -nn: "PCI bridge [0604]: Intel Corporation ... [8086:1e10]"; also "Unassigned class [ff00]: ..." */
    private static final Pattern NAMED_WITH_CODE = Pattern.compile("(.*?)\\s*\\[([0-9a-fA-F]{4})]:\\s*(.*)");
    private static final Pattern NAMED = Pattern.compile("([^:]+):\\s*(.*)");
    private static final Pattern BUS_LINE = Pattern.compile(
            "\\s*Bus:\\s*primary=([0-9a-fA-F]{1,2}),\\s*secondary=([0-9a-fA-F]{1,2}),\\s*subordinate=([0-9a-fA-F]{1,2}).*");
    private static final Pattern EXPRESS = Pattern.compile(
            "\\s*Capabilities:\\s*\\[[0-9a-fA-F]+[^]]*]\\s*Express\\s*(?:\\(v\\d+\\)\\s*)?(.*)");
    private static final Pattern CAPABILITY = Pattern.compile("\\s*Capabilities:.*");
    private static final Pattern SRIOV_CAP = Pattern.compile(
            "\\s*Capabilities:\\s*\\[[0-9a-fA-F]+[^]]*]\\s*Single Root I/O Virtualization.*");
    private static final Pattern IOV_CTL = Pattern.compile("\\s*IOVCtl:\\s*Enable([+-]).*");
    private static final Pattern TOTAL_VFS = Pattern.compile(".*Total VFs:\\s*(\\d+).*");
    private static final Pattern NUM_VFS = Pattern.compile(".*Number of VFs:\\s*(\\d+).*");
    private static final Pattern VF_OFFSET = Pattern.compile("\\s*VF offset:\\s*(\\d+),\\s*stride:\\s*(\\d+).*");
    private static final Pattern PROG_IF = Pattern.compile("\\(prog-if ([0-9a-fA-F]{2})[^)]*\\)");
    /** "Region 2: Memory at 58730000 (32-bit, ...)", "Region 4: I/O ports at e000": the firmware-assigned BARs */
    private static final Pattern REGION = Pattern.compile(
            "\\s*Region ([0-5]): (Memory|I/O ports) at ([0-9a-fA-F]+)(?: \\((32|64)-bit)?.*");
    private static final Pattern REV = Pattern.compile("\\s*\\(rev [0-9a-fA-F]+\\)");

    /** Class names lspci prints, for the classes that decide a kind. */
    private static final Map<String, Integer> CLASS_CODES = Map.of(
            "Host bridge", 0x0600,
            "PCI bridge", 0x0604,
            "CardBus bridge", 0x0607,
            "ISA bridge", 0x0601);

    private LspciVerboseParser() {
    }

    /** Whether {@code line} is a verbose listing's record header ({@code 00:1c.0 PCI bridge: ...}). */
    static boolean isHeader(String line) {
        return HEADER.matcher(line).matches();
    }

    public static LspciVerbose parse(TextInput input) {
        String source = input.source();
        Map<Bdf, Function> functions = new LinkedHashMap<>();
        List<SkippedLine> skipped = new ArrayList<>();
        List<String> lines = input.lines();
        Record current = null;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                if (current != null) {
                    put(functions, current.build(), source);
                }
                current = header(source, lineNo, h, skipped, line);
                continue;
            }
            boolean indented = line.charAt(0) == '\t' || line.charAt(0) == ' ';
            if (current != null && indented) {
                current.detail(line);
            } else {
                if (current != null) {
                    put(functions, current.build(), source);
                    current = null;
                }
                skipped.add(new SkippedLine(lineNo, "not part of a function's record", line));
            }
        }
        if (current != null) {
            put(functions, current.build(), source);
        }
        if (functions.isEmpty()) {
            throw new ImportException(source, 0, "no lspci -v record found: expected header lines such as "
                    + "\"00:1c.0 PCI bridge: ...\" at the start of a line");
        }
        return new LspciVerbose(source, functions, skipped);
    }

    private static void put(Map<Bdf, Function> functions, Function f, String source) {
        if (f == null) {
            return;
        }
        Function first = functions.putIfAbsent(f.bdf(), f);
        if (first != null) {
            throw new ImportException(source, f.line(), f.bdf() + " is listed twice (first on line " + first.line() + ")");
        }
    }

    /** A record for the header, or null (after reporting it) when its domain is not a 16-bit segment. */
    private static Record header(String source, int lineNo, Matcher h, List<SkippedLine> skipped, String line) {
        int segment = h.group(1) == null ? 0 : Integer.parseInt(h.group(1), 16);
        int device = Integer.parseInt(h.group(3), 16);
        int function = Integer.parseInt(h.group(4), 16);
        String bdfText = h.group(1) == null ? "" : h.group(1) + ":";
        bdfText += h.group(2) + ":" + h.group(3) + "." + h.group(4);
        if (device > 0x1f || function > 7) {
            throw new ImportException(source, lineNo, bdfText + " is out of range: a device is 00-1f and a function 0-7");
        }
        if (segment > 0xffff) {
            // Intel VMD and similar bridges number their domains above 16 bits: not a PCI segment Xen sees.
            skipped.add(new SkippedLine(lineNo, "domain " + h.group(1) + " is not a 16-bit PCI segment (VMD?)", line));
            return new Record(lineNo, null, h.group(5), true);
        }
        Bdf bdf = new Bdf(segment, Integer.parseInt(h.group(2), 16), device, function);
        return new Record(lineNo, bdf, h.group(5), false);
    }

    /** A record being read. */
    private static final class Record {
        final int line;
        final Bdf bdf;
        final boolean ignored;
        String className;
        Integer classCode;
        String name;
        boolean subtractive;
        BridgeBuses buses;
        ExpressType express;
        boolean capabilitiesHidden;
        boolean inSriov;
        boolean sriovShown;
        Boolean iovEnable;
        Integer totalVfs;
        Integer numVfs;
        Integer vfOffset;
        Integer vfStride;
        boolean virtualRegions;
        final Long[] regions = new Long[6];
        final boolean[] wide = new boolean[6];
        final boolean[] io = new boolean[6];

        Record(int line, Bdf bdf, String rest, boolean ignored) {
            this.line = line;
            this.bdf = bdf;
            this.ignored = ignored;
            describe(rest);
        }

        /** Class and name from the header's text after the address. */
        private void describe(String rest) {
            Matcher p = PROG_IF.matcher(rest);
            if (p.find()) {
                subtractive = p.group(1).equals("01");
                rest = rest.substring(0, p.start()) + rest.substring(p.end());
            }
            rest = REV.matcher(rest).replaceAll("").strip();
            Matcher m;
            if ((m = NUMERIC.matcher(rest)).matches()) {
                classCode = Integer.parseInt(m.group(1), 16);
                name = m.group(2);
            } else if ((m = NAMED_WITH_CODE.matcher(rest)).matches()) {
                className = m.group(1).strip();
                classCode = Integer.parseInt(m.group(2), 16);
                name = m.group(3).strip();
            } else if ((m = NAMED.matcher(rest)).matches()) {
                className = m.group(1).strip();
                classCode = CLASS_CODES.get(className);
                name = m.group(2).strip();
            } else {
                name = rest;
            }
        }

        void detail(String line) {
            Matcher m;
            if (CAPABILITY.matcher(line).matches()) {
                inSriov = false;
                if (line.contains("<access denied>")) {
                    capabilitiesHidden = true;
                } else if ((m = EXPRESS.matcher(line)).matches()) {
                    express = ExpressType.of(m.group(1).strip());
                } else if (SRIOV_CAP.matcher(line).matches()) {
                    inSriov = true;
                    sriovShown = true;
                }
                return;
            }
            if ((m = BUS_LINE.matcher(line)).matches()) {
                buses = new BridgeBuses(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16),
                        Integer.parseInt(m.group(3), 16));
                return;
            }
            if (line.contains("[virtual]") && line.strip().startsWith("Region")) {
                virtualRegions = true;
            } else if (!inSriov && (m = REGION.matcher(line)).matches()) {
                int n = Integer.parseInt(m.group(1));
                regions[n] = Long.parseUnsignedLong(m.group(3), 16);
                io[n] = m.group(2).startsWith("I/O");
                wide[n] = "64".equals(m.group(4));
            }
            if (line.strip().startsWith("Kernel ")) {
                inSriov = false;
                return;
            }
            if (!inSriov) {
                return;
            }
            if ((m = IOV_CTL.matcher(line)).matches()) {
                iovEnable = m.group(1).equals("+");
            }
            if ((m = TOTAL_VFS.matcher(line)).matches()) {
                totalVfs = Integer.parseInt(m.group(1));
            }
            if ((m = NUM_VFS.matcher(line)).matches()) {
                numVfs = Integer.parseInt(m.group(1));
            }
            if ((m = VF_OFFSET.matcher(line)).matches()) {
                vfOffset = Integer.parseInt(m.group(1));
                vfStride = Integer.parseInt(m.group(2));
            }
        }

        Function build() {
            if (ignored) {
                return null;
            }
            Sriov sriov = totalVfs != null && vfOffset != null && vfStride != null
                    ? new Sriov(totalVfs, numVfs == null ? 0 : numVfs, iovEnable, vfOffset, vfStride) : null;
            return new Function(line, bdf, className, classCode, name, subtractive, buses, express, capabilitiesHidden,
                    sriov, sriovShown, virtualRegions, bar2());
        }

        /**
         * The BAR2 register: Region 2's low dword (bit 0 set for I/O space), or the high dword of
         * a 64-bit Region 1, which occupies BAR1 and BAR2. Only its bytes 1 and 2 ever matter.
         */
        private long bar2() {
            if (regions[2] != null) {
                return io[2] ? (regions[2] & 0xffff_fffcL) | 1 : (regions[2] & 0xffff_fff0L) | (wide[2] ? 4 : 0);
            }
            if (regions[1] != null && wide[1]) {
                return (regions[1] >>> 32) & 0xffff_ffffL;
            }
            return 0;
        }
    }
}
