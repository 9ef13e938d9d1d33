package dev.pcitimeline.app.reliability;

import java.util.List;
import java.util.Random;

/**
 * The machine and the steps the reliability tests drive: the seed report's machine (SR-IOV PF, PCIe-to-PCI
 * bridge, PCI bridge, conventional NIC) and steps that the model always accepts, macro steps that write dozens of
 * events in one command (reboot, dom0-boot, dom0-report-all, linux-assign-busses) mixed with single hypercalls
 * whose errno answers are 200s too.
 */
final class Workload {
    static final String TOPOLOGY = """
              - id: rp1
                devfn: "01.0"
                kind: root-port
                buses: [0, 1, 1]
                children:
                  - {id: igb, devfn: "00.0", kind: pcie-endpoint,
                     sriov: {total-vfs: 7, vf-offset: 384, vf-stride: 2, enabled: 0}}
              - id: rp3
                devfn: "1c.0"
                kind: root-port
                buses: [0, 2, 4]
                children:
                  - id: tundra
                    devfn: "00.0"
                    kind: pcie-to-pci-bridge
                    buses: [2, 3, 4]
                    children:
                      - id: pcibr
                        devfn: "01.0"
                        kind: pci-bridge
                        buses: [3, 4, 4]
                        children:
                          - {id: nic, devfn: "00.0", kind: pci-endpoint}
            """;

    /** What a new system runs when it is created. */
    static final List<String> CREATION_STEPS = List.of("\"xen-boot\"", "{\"dom0-boot\": {\"assign-busses\": true}}");

    /** Steps in JSON (the REST syntax); none is ever refused by the model, whatever ran before. */
    static final List<String> STEPS = List.of(
            "\"reboot\"",
            "{\"dom0-boot\": {\"assign-busses\": true}}",
            "{\"add\": \"0000:04:00.0\"}",
            "{\"assign\": {\"bdf\": \"0000:05:00.0\", \"domain\": 1}}",
            "\"dom0-report-all\"",
            "{\"deassign\": {\"bdf\": \"0000:05:00.0\"}}",
            "{\"remove\": \"0000:04:00.0\"}",
            "{\"dom0-rescan\": {\"bus\": 3}}",
            "\"linux-assign-busses\"",
            "{\"dom0-report-all\": {\"remove-first\": true}}",
            "{\"write-bridge-buses\": {\"bridge\": \"pcibr\", \"subordinate\": 6}}",
            "\"xen-boot\"");

    private Workload() {
    }

    static String creationScenario(String name) {
        return Consistency.scenario(name, TOPOLOGY, CREATION_STEPS);
    }

    static String randomStep(Random random) {
        return STEPS.get(random.nextInt(STEPS.size()));
    }
}
