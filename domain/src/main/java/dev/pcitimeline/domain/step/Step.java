package dev.pcitimeline.domain.step;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.BusNumber;
import dev.pcitimeline.domain.value.DomainId;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One step of a boot sequence (SCENARIOS.md, "Steps"): the vocabulary scenario files, REST and
 * the aggregate share, in one place. Each step type says how it is spelled and parsed
 * ({@link Kind}), how it is written back ({@link #text()}), what it names ({@link #namedDevices()},
 * {@link #namedAddresses()}) and is handled through {@link Visitor}, so adding a step is a compile
 * error in every place that must handle it. Pure values.
 */
public sealed interface Step {

    Kind kind();

    /** The scenario spelling, e.g. {@code dom0-boot}. */
    default String keyword() {
        return kind().keyword();
    }

    /** The step written the way a scenario file writes it (timeline, state's {@code steps}). */
    String text();

    /** Device ids the step names, by argument key: each must be a function in the hardware now. */
    default Map<String, String> namedDevices() {
        return Map.of();
    }

    /** BDFs the step names, by argument key: each must be in the system's segment. */
    default Map<String, Bdf> namedAddresses() {
        return Map.of();
    }

    <R> R accept(Visitor<R> visitor);

    /** Everything that handles every step: one method per step type. */
    interface Visitor<R> {
        R xenBoot(XenBoot s);

        R reboot(Reboot s);

        R dom0Boot(Dom0Boot s);

        R dom0Remove(Dom0Remove s);

        R dom0Rescan(Dom0Rescan s);

        R linuxAssignBusses(LinuxAssignBusses s);

        R writeBridgeBuses(WriteBridgeBuses s);

        R enableSriov(EnableSriov s);

        R disableSriov(DisableSriov s);

        R add(Add s);

        R remove(Remove s);

        R dom0ReportAll(Dom0ReportAll s);

        R assign(Assign s);

        R deassign(Deassign s);

        R unplug(Unplug s);

        R plug(Plug s);
    }

    /**
     * The step types with their scenario syntax. {@code bare}: may be written without arguments;
     * {@code scalarKey}: the key a lone value stands for ({@code add: "0000:06:00.0"}), or null;
     * {@code keys}: the keys of the map form (empty: no map form).
     */
    enum Kind {
        XEN_BOOT("xen-boot", "xen-boot", true, null, Set.of(), false, a -> new XenBoot()),
        REBOOT("reboot", "reboot", true, null, Set.of(), false, a -> new Reboot()),
        DOM0_BOOT("dom0-boot", "dom0-boot or dom0-boot: {assign-busses: true, reporting: discovery}", true, null,
                Set.of("assign-busses", "reporting"), false,
                a -> new Dom0Boot(a.flag("assign-busses"), a.has("reporting") ? a.reporting("reporting") : null)),
        DOM0_REMOVE("dom0-remove", "dom0-remove: {bdf: \"0000:07:01.0\"}", false, null, Set.of("bdf"), false,
                a -> new Dom0Remove(a.bdf("bdf"))),
        DOM0_RESCAN("dom0-rescan", "dom0-rescan: {bus: 6}", false, null, Set.of("bus"), false,
                a -> new Dom0Rescan(a.bus("bus"))),
        LINUX_ASSIGN_BUSSES("linux-assign-busses", "linux-assign-busses", true, null, Set.of(), false,
                a -> new LinuxAssignBusses()),
        WRITE_BRIDGE_BUSES("write-bridge-buses",
                "write-bridge-buses: {bridge: tundra, primary: 5, secondary: 6, subordinate: 8}", false, null,
                Set.of("bridge", "primary", "secondary", "subordinate"), false,
                a -> new WriteBridgeBuses(a.id("bridge"), a.optionalBus("primary"), a.optionalBus("secondary"),
                        a.optionalBus("subordinate"))),
        ENABLE_SRIOV("enable-sriov", "enable-sriov: {pf: igb0, vfs: 7}", false, null, Set.of("pf", "vfs"), false,
                a -> new EnableSriov(a.id("pf"), a.integer("vfs", 0, 0xffff))),
        DISABLE_SRIOV("disable-sriov", "disable-sriov: {pf: igb0}", false, null, Set.of("pf"), false,
                a -> new DisableSriov(a.id("pf"))),
        ADD("add", "add: \"0000:06:00.0\" or add: {bdf: \"0000:03:10.0\", virtfn-of: \"0000:02:00.0\"}", false, "bdf",
                Set.of("bdf", "virtfn-of"), true, a -> new Add(a.bdf("bdf"), a.optionalBdf("virtfn-of"))),
        REMOVE("remove", "remove: \"0000:06:00.0\"", false, "bdf", Set.of(), true, a -> new Remove(a.bdf("bdf"))),
        DOM0_REPORT_ALL("dom0-report-all", "dom0-report-all or dom0-report-all: {remove-first: true}", true, null,
                Set.of("remove-first"), false, a -> new Dom0ReportAll(a.flag("remove-first"))),
        ASSIGN("assign", "assign: {bdf: \"0000:07:00.0\", domain: 1}", false, null, Set.of("bdf", "domain"), true,
                a -> new Assign(a.bdf("bdf"), a.guest("domain"))),
        DEASSIGN("deassign", "deassign: {bdf: \"0000:07:00.0\"}", false, null, Set.of("bdf"), true,
                a -> new Deassign(a.bdf("bdf"))),
        UNPLUG("unplug", "unplug: {device: pcibr, surprise: true}", false, null, Set.of("device", "surprise"), false,
                a -> new Unplug(a.id("device"), a.flag("surprise"))),
        PLUG("plug", "plug: {parent: tundra, function: {id: nic2, devfn: \"02.0\", kind: pci-endpoint}}", false, null,
                Set.of("parent", "function"), false, a -> {
                    String parent = a.id("parent");
                    return new Plug(parent, a.function("function", Plug.ROOT.equals(parent)));
                });

        private final String keyword;
        private final String usage;
        private final boolean bare;
        private final String scalarKey;
        private final Set<String> keys;
        private final boolean singleHypercall;
        private final Function<StepArguments, Step> parser;

        Kind(String keyword, String usage, boolean bare, String scalarKey, Set<String> keys, boolean singleHypercall,
             Function<StepArguments, Step> parser) {
            this.keyword = keyword;
            this.usage = usage;
            this.bare = bare;
            this.scalarKey = scalarKey;
            this.keys = keys;
            this.singleHypercall = singleHypercall;
            this.parser = parser;
        }

        public String keyword() {
            return keyword;
        }

        /** How the step is written, as error messages show it (SCENARIOS.md's examples). */
        public String usage() {
            return usage;
        }

        /** May be written with no arguments at all ({@code - dom0-boot}). */
        public boolean bare() {
            return bare;
        }

        /** The key a lone value stands for ({@code add: "…"} is {@code add: {bdf: "…"}}), or null. */
        public String scalarKey() {
            return scalarKey;
        }

        /** The keys of the map form; empty when the step has no map form. */
        public Set<String> keys() {
            return keys;
        }

        /** One hypercall whose result is the step's outcome (SCENARIOS.md); other steps report ok or HUNG. */
        public boolean singleHypercall() {
            return singleHypercall;
        }

        /** The step these arguments describe (none for a bare step). */
        public Step parse(StepArguments arguments) {
            return parser.apply(arguments);
        }

        public static Kind of(String keyword) {
            for (Kind k : values()) {
                if (k.keyword.equals(keyword)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown step '" + keyword + "': expected one of " + keywords());
        }

        public static boolean exists(String keyword) {
            return Arrays.stream(values()).anyMatch(k -> k.keyword.equals(keyword));
        }

        /** Every keyword, comma-separated, in SCENARIOS.md's order. */
        public static String keywords() {
            return Arrays.stream(values()).map(Kind::keyword).collect(Collectors.joining(", "));
        }
    }

    /** Xen starts with empty state, scans the hardware as it is now, gives every pdev to dom0. */
    record XenBoot() implements Step {
        public Kind kind() {
            return Kind.XEN_BOOT;
        }

        public String text() {
            return keyword();
        }

        public <R> R accept(Visitor<R> v) {
            return v.xenBoot(this);
        }
    }

    /** Firmware resets bridges and VF counts to power-on, then {@code xen-boot}. */
    record Reboot() implements Step {
        public Kind kind() {
            return Kind.REBOOT;
        }

        public String text() {
            return keyword();
        }

        public <R> R accept(Visitor<R> v) {
            return v.reboot(this);
        }
    }

    /** dom0 enumerates the hardware, optionally renumbering ({@code pci=assign-busses}). */
    record Dom0Boot(boolean assignBusses, Reporting reporting) implements Step {
        public Dom0Boot {
            reporting = reporting == null ? Reporting.DISCOVERY : reporting;
        }

        public Kind kind() {
            return Kind.DOM0_BOOT;
        }

        public String text() {
            return "dom0-boot: {assign-busses: " + assignBusses + ", reporting: " + reporting.text() + "}";
        }

        public <R> R accept(Visitor<R> v) {
            return v.dom0Boot(this);
        }
    }

    /** sysfs {@code remove} of the function Linux knows at {@code bdf}. */
    record Dom0Remove(Bdf bdf) implements Step {
        public Kind kind() {
            return Kind.DOM0_REMOVE;
        }

        public String text() {
            return "dom0-remove: {bdf: \"" + bdf + "\"}";
        }

        public Map<String, Bdf> namedAddresses() {
            return Map.of("bdf", bdf);
        }

        public <R> R accept(Visitor<R> v) {
            return v.dom0Remove(this);
        }
    }

    /** sysfs {@code rescan} of one bus. */
    record Dom0Rescan(int bus) implements Step {
        public Dom0Rescan {
            BusNumber.check("bus", bus);
        }

        public Kind kind() {
            return Kind.DOM0_RESCAN;
        }

        public String text() {
            return "dom0-rescan: {bus: " + bus + "}";
        }

        public <R> R accept(Visitor<R> v) {
            return v.dom0Rescan(this);
        }
    }

    /** Linux's renumbering alone: pass 0 and pass 1 over the whole tree, no reports. */
    record LinuxAssignBusses() implements Step {
        public Kind kind() {
            return Kind.LINUX_ASSIGN_BUSSES;
        }

        public String text() {
            return keyword();
        }

        public <R> R accept(Visitor<R> v) {
            return v.linuxAssignBusses(this);
        }
    }

    /** Config write to a bridge's bus registers; a null field keeps its value. */
    record WriteBridgeBuses(String bridge, Integer primary, Integer secondary, Integer subordinate) implements Step {
        public WriteBridgeBuses {
            if (primary != null) {
                BusNumber.check("primary", primary);
            }
            if (secondary != null) {
                BusNumber.check("secondary", secondary);
            }
            if (subordinate != null) {
                BusNumber.check("subordinate", subordinate);
            }
        }

        public Kind kind() {
            return Kind.WRITE_BRIDGE_BUSES;
        }

        public String text() {
            StringBuilder b = new StringBuilder("write-bridge-buses: {bridge: ").append(bridge);
            if (primary != null) {
                b.append(", primary: ").append(primary);
            }
            if (secondary != null) {
                b.append(", secondary: ").append(secondary);
            }
            if (subordinate != null) {
                b.append(", subordinate: ").append(subordinate);
            }
            return b.append('}').toString();
        }

        public Map<String, String> namedDevices() {
            return Map.of("bridge", bridge);
        }

        public <R> R accept(Visitor<R> v) {
            return v.writeBridgeBuses(this);
        }
    }

    /** The PF enables {@code vfs} VFs and dom0 reports each. */
    record EnableSriov(String pf, int vfs) implements Step {
        public Kind kind() {
            return Kind.ENABLE_SRIOV;
        }

        public String text() {
            return "enable-sriov: {pf: " + pf + ", vfs: " + vfs + "}";
        }

        public Map<String, String> namedDevices() {
            return Map.of("pf", pf);
        }

        public <R> R accept(Visitor<R> v) {
            return v.enableSriov(this);
        }
    }

    /** dom0 removes each enabled VF from Xen, then the PF disables them. */
    record DisableSriov(String pf) implements Step {
        public Kind kind() {
            return Kind.DISABLE_SRIOV;
        }

        public String text() {
            return "disable-sriov: {pf: " + pf + "}";
        }

        public Map<String, String> namedDevices() {
            return Map.of("pf", pf);
        }

        public <R> R accept(Visitor<R> v) {
            return v.disableSriov(this);
        }
    }

    /** {@code PHYSDEVOP_pci_device_add}; {@code virtfnOf} is the PF of a virtual function, or null. */
    record Add(Bdf bdf, Bdf virtfnOf) implements Step {
        public Kind kind() {
            return Kind.ADD;
        }

        public String text() {
            return virtfnOf == null ? "add: \"" + bdf + "\""
                    : "add: {bdf: \"" + bdf + "\", virtfn-of: \"" + virtfnOf + "\"}";
        }

        public Map<String, Bdf> namedAddresses() {
            if (virtfnOf == null) {
                return Map.of("bdf", bdf);
            }
            Map<String, Bdf> named = new LinkedHashMap<>();
            named.put("bdf", bdf);
            named.put("virtfn-of", virtfnOf);
            return named;
        }

        public <R> R accept(Visitor<R> v) {
            return v.add(this);
        }
    }

    /** {@code PHYSDEVOP_pci_device_remove}. */
    record Remove(Bdf bdf) implements Step {
        public Kind kind() {
            return Kind.REMOVE;
        }

        public String text() {
            return "remove: \"" + bdf + "\"";
        }

        public Map<String, Bdf> namedAddresses() {
            return Map.of("bdf", bdf);
        }

        public <R> R accept(Visitor<R> v) {
            return v.remove(this);
        }
    }

    /** dom0 reports every function it sees now; with {@code removeFirst}, removes each first. */
    record Dom0ReportAll(boolean removeFirst) implements Step {
        public Kind kind() {
            return Kind.DOM0_REPORT_ALL;
        }

        public String text() {
            return removeFirst ? "dom0-report-all: {remove-first: true}" : keyword();
        }

        public <R> R accept(Visitor<R> v) {
            return v.dom0ReportAll(this);
        }
    }

    /** {@code XEN_DOMCTL_assign_device} to guest {@code domain}. */
    record Assign(Bdf bdf, DomainId domain) implements Step {
        public Kind kind() {
            return Kind.ASSIGN;
        }

        public String text() {
            return "assign: {bdf: \"" + bdf + "\", domain: " + domain.value() + "}";
        }

        public Map<String, Bdf> namedAddresses() {
            return Map.of("bdf", bdf);
        }

        public <R> R accept(Visitor<R> v) {
            return v.assign(this);
        }
    }

    /** {@code XEN_DOMCTL_deassign_device}: back from the guest. */
    record Deassign(Bdf bdf) implements Step {
        public Kind kind() {
            return Kind.DEASSIGN;
        }

        public String text() {
            return "deassign: {bdf: \"" + bdf + "\"}";
        }

        public Map<String, Bdf> namedAddresses() {
            return Map.of("bdf", bdf);
        }

        public <R> R accept(Visitor<R> v) {
            return v.deassign(this);
        }
    }

    /** The function and everything below it leave the hardware; dom0 is told unless {@code surprise}. */
    record Unplug(String device, boolean surprise) implements Step {
        public Kind kind() {
            return Kind.UNPLUG;
        }

        public String text() {
            return surprise ? "unplug: {device: " + device + ", surprise: true}" : "unplug: {device: " + device + "}";
        }

        public Map<String, String> namedDevices() {
            return Map.of("device", device);
        }

        public <R> R accept(Visitor<R> v) {
            return v.unplug(this);
        }
    }

    /** A function (with children) appears under {@code parent} ({@code root}: a root bus) and dom0 reports it. */
    record Plug(String parent, FunctionSpec function) implements Step {
        public static final String ROOT = "root";

        public Kind kind() {
            return Kind.PLUG;
        }

        public String text() {
            return "plug: {parent: " + parent + ", function: {id: " + function.id() + ", devfn: \""
                    + function.devfn() + "\", kind: " + function.kind() + "}}";
        }

        public Map<String, String> namedDevices() {
            return ROOT.equals(parent) ? Map.of() : Map.of("parent", parent);
        }

        public <R> R accept(Visitor<R> v) {
            return v.plug(this);
        }
    }

    /** dom0's reporting mode: at discovery (Linux 3.10+) or after the whole scan (older kernels). */
    enum Reporting {
        DISCOVERY("discovery"),
        AFTER_SCAN("after-scan");

        private final String text;

        Reporting(String text) {
            this.text = text;
        }

        @JsonValue
        public String text() {
            return text;
        }

        @JsonCreator
        public static Reporting parse(String text) {
            for (Reporting r : values()) {
                if (r.text.equals(text)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown reporting '" + text + "': expected discovery or after-scan");
        }
    }
}
