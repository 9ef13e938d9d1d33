package dev.pcitimeline.scenarios.synthetic;

import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.hardware.FunctionSpec;
import dev.pcitimeline.domain.hardware.SriovSpec;
import dev.pcitimeline.domain.value.Devfn;
import dev.pcitimeline.domain.value.DeviceKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated server-like machine, as firmware numbered it: a host bridge and integrated
 * multi-function devices on bus 0, then root ports each holding one of a NIC (with BAR2), an
 * SR-IOV physical function (firmware SR-IOV aware or not), a PCIe-to-PCI bridge with a
 * conventional PCI bridge and endpoints behind it, a PCIe switch, or a multi-function card.
 * Deterministic for a given {@link Random}.
 */
final class SyntheticTopology {
    private final Random random;
    private final List<FunctionSpec> roots = new ArrayList<>();
    /** The next bus number firmware hands out, depth first. */
    private int nextBus = 1;

    private SyntheticTopology(Random random) {
        this.random = random;
    }

    /** {@code rootPorts} root ports (1..24) plus the integrated functions of bus 0. */
    static List<FunctionSpec> generate(Random random, int rootPorts) {
        if (rootPorts < 1 || rootPorts > 24) {
            throw new IllegalArgumentException("root ports " + rootPorts + " out of range 1..24");
        }
        return new SyntheticTopology(random).build(rootPorts);
    }

    private List<FunctionSpec> build(int rootPorts) {
        roots.add(endpoint("hb", 0x00, 0, DeviceKind.HOST_BRIDGE));
        // the chipset's multi-function device on bus 0 (LPC, SATA, SMBus), conventional PCI
        roots.add(endpoint("lpc", 0x1f, 0, DeviceKind.PCI_ENDPOINT));
        roots.add(endpoint("sata", 0x1f, 2, DeviceKind.PCI_ENDPOINT));
        roots.add(endpoint("smbus", 0x1f, 3, DeviceKind.PCI_ENDPOINT));
        for (int i = 0; i < rootPorts; i++) {
            // devices 01..18 on bus 0; the kinds cycle so every topology has each of them
            roots.add(rootPort("rp" + i, 0x01 + i, i % 5));
        }
        return List.copyOf(roots);
    }

    private FunctionSpec rootPort(String id, int device, int shape) {
        int secondary = nextBus++;
        List<FunctionSpec> children = new ArrayList<>();
        switch (shape) {
            case 0 -> children.add(nic(id + "-nic"));
            case 1 -> children.add(physicalFunction(id + "-pf"));
            case 2 -> children.add(legacyBridge(id + "-p2p", secondary));
            case 3 -> children.add(pcieSwitch(id + "-sw", secondary));
            default -> {
                for (int f = 0; f < 4; f++) {
                    children.add(endpoint(id + "-mf" + f, 0, f, DeviceKind.PCIE_ENDPOINT));
                }
            }
        }
        int subordinate = nextBus - 1;
        if (shape == 1 && random.nextBoolean()) {
            // SR-IOV aware firmware: the root port spans the bus its VFs land on
            subordinate = nextBus++;
        }
        return bridge(id, device, 0, DeviceKind.ROOT_PORT, 0, secondary, subordinate, children);
    }

    private FunctionSpec nic(String id) {
        FunctionSpec nic = endpoint(id, 0, 0, DeviceKind.PCIE_ENDPOINT);
        // BAR2 bytes 1 and 2 read as "secondary"/"subordinate" where a bridge used to answer
        return random.nextBoolean() ? nic.withBar2(0xf0000000L | (long) random.nextInt(0x100) << 16) : nic;
    }

    private FunctionSpec physicalFunction(String id) {
        int total = 4 + random.nextInt(5);
        int offset = random.nextBoolean() ? 128 : 384;
        int stride = 1 + random.nextInt(2);
        int enabled = random.nextInt(3) == 0 ? 2 : 0;
        return endpoint(id, 0, 0, DeviceKind.PCIE_ENDPOINT).withSriov(new SriovSpec(total, offset, stride, enabled));
    }

    /** A Tundra-like PCIe-to-PCI bridge: a PCI endpoint and a conventional PCI bridge with endpoints behind it. */
    private FunctionSpec legacyBridge(String id, int primary) {
        int secondary = nextBus++;
        List<FunctionSpec> children = new ArrayList<>();
        int pciBus = nextBus++;
        List<FunctionSpec> behind = new ArrayList<>();
        int endpoints = 1 + random.nextInt(3);
        for (int i = 0; i < endpoints; i++) {
            behind.add(endpoint(id + "-old" + i, i, 0, DeviceKind.PCI_ENDPOINT));
        }
        children.add(bridge(id + "-pcibr", 1, 0, DeviceKind.PCI_BRIDGE, secondary, pciBus, pciBus, behind));
        children.add(endpoint(id + "-pci", 2, 0, DeviceKind.PCI_ENDPOINT));
        return bridge(id, 0, 0, DeviceKind.PCIE_TO_PCI_BRIDGE, primary, secondary, nextBus - 1, children);
    }

    /** An upstream port with 2..4 downstream ports, each with an endpoint. */
    private FunctionSpec pcieSwitch(String id, int primary) {
        int internal = nextBus++;
        List<FunctionSpec> ports = new ArrayList<>();
        int count = 2 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            int bus = nextBus++;
            ports.add(bridge(id + "-dp" + i, i, 0, DeviceKind.DOWNSTREAM_PORT, internal, bus, bus,
                    List.of(endpoint(id + "-dp" + i + "-ep", 0, 0,
                            random.nextInt(4) == 0 ? DeviceKind.PCI_ENDPOINT : DeviceKind.PCIE_ENDPOINT))));
        }
        return bridge(id, 0, 0, DeviceKind.UPSTREAM_PORT, primary, internal, nextBus - 1, ports);
    }

    private static FunctionSpec endpoint(String id, int device, int function, DeviceKind kind) {
        return new FunctionSpec(id, Devfn.of(device, function), null, kind, null, 0, null, List.of());
    }

    private static FunctionSpec bridge(String id, int device, int function, DeviceKind kind, int primary,
                                       int secondary, int subordinate, List<FunctionSpec> children) {
        return new FunctionSpec(id, Devfn.of(device, function), null, kind,
                new BridgeBuses(primary, secondary, subordinate), 0, null, children);
    }
}
