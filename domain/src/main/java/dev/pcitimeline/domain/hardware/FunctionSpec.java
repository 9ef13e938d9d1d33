package dev.pcitimeline.domain.hardware;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pcitimeline.domain.value.Devfn;
import dev.pcitimeline.domain.value.DeviceKind;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One function of the machine as firmware left it at power-on (a node of the scenario's
 * {@code topology}). Immutable; the live, mutable tree is {@link Hardware}.
 *
 * @param rootBus  top-level functions only: the root bus they sit on (null = not top level or default 0)
 * @param buses    bridges only: power-on primary/secondary/subordinate
 * @param bar2     endpoints only: BAR2, whose bytes 1 and 2 read as "secondary"/"subordinate"
 * @param sriov    physical functions only, may be null
 * @param children bridges only: functions on its secondary bus
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FunctionSpec(
        String id,
        Devfn devfn,
        Integer rootBus,
        DeviceKind kind,
        BridgeBuses buses,
        long bar2,
        SriovSpec sriov,
        List<FunctionSpec> children) {

    public static final Pattern ID = Pattern.compile("[a-z0-9._-]{1,40}");

    public FunctionSpec {
        children = children == null ? List.of() : List.copyOf(children);
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id '" + id + "' must match [a-z0-9._-]{1,40}");
        }
        if (devfn == null) {
            throw new IllegalArgumentException(id + ": devfn is required");
        }
        if (kind == null) {
            throw new IllegalArgumentException(id + ": kind is required");
        }
        if (rootBus != null && (rootBus < 0 || rootBus > 0xff)) {
            throw new IllegalArgumentException(id + ": bus " + rootBus + " is out of range 0..255");
        }
        if (kind.isBridge() && buses == null) {
            throw new IllegalArgumentException(id + ": a " + kind + " needs buses [primary, secondary, subordinate]");
        }
        if (!kind.isBridge() && buses != null) {
            throw new IllegalArgumentException(id + ": buses are for bridges only, not a " + kind);
        }
        if (!kind.isBridge() && !children.isEmpty()) {
            throw new IllegalArgumentException(id + ": children are for bridges only, not a " + kind);
        }
        if (!kind.isEndpoint() && bar2 != 0) {
            throw new IllegalArgumentException(id + ": bar2 is for endpoints only, not a " + kind);
        }
        if (bar2 < 0 || bar2 > 0xffffffffL) {
            throw new IllegalArgumentException(id + ": bar2 " + bar2 + " is not a 32-bit value");
        }
        if (sriov != null && !kind.isEndpoint()) {
            throw new IllegalArgumentException(id + ": sriov is for endpoints (physical functions) only, not a " + kind);
        }
    }

    public int rootBusOrDefault() {
        return rootBus == null ? 0 : rootBus;
    }

    public static FunctionSpec endpoint(String id, String devfn, DeviceKind kind) {
        return new FunctionSpec(id, Devfn.parse(devfn), null, kind, null, 0, null, List.of());
    }

    public static FunctionSpec bridge(String id, String devfn, DeviceKind kind, int primary, int secondary,
                                      int subordinate, FunctionSpec... children) {
        return new FunctionSpec(id, Devfn.parse(devfn), null, kind, new BridgeBuses(primary, secondary, subordinate),
                0, null, List.of(children));
    }

    public FunctionSpec onRootBus(int bus) {
        return new FunctionSpec(id, devfn, bus, kind, buses, bar2, sriov, children);
    }

    public FunctionSpec withBar2(long value) {
        return new FunctionSpec(id, devfn, rootBus, kind, buses, value, sriov, children);
    }

    public FunctionSpec withSriov(SriovSpec value) {
        return new FunctionSpec(id, devfn, rootBus, kind, buses, bar2, value, children);
    }
}
