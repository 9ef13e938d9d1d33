package dev.pcitimeline.domain.xen;

import dev.pcitimeline.domain.hardware.BridgeBuses;
import dev.pcitimeline.domain.hardware.ConfigSpace;
import dev.pcitimeline.domain.value.DeviceKind;

import java.util.HashMap;
import java.util.Map;

/**
 * Test-only config space: whatever answers at each address, put there by hand, so tests of
 * the Xen model do not depend on the hardware model's routing.
 */
final class MapConfigSpace implements ConfigSpace {

    private final Map<Integer, Answer> answers = new HashMap<>();

    @Override
    public int segment() {
        return 0;
    }

    @Override
    public Answer answerAt(int bus, int devfn) {
        return answers.get(bus << 8 | devfn);
    }

    /** Puts {@code answer} at {@code bdf} ("BB:DD.F" in segment 0), replacing what was there. */
    MapConfigSpace put(String bdf, Answer answer) {
        answers.put(XenModelTest.bdf(bdf).rid(), answer);
        return this;
    }

    MapConfigSpace remove(String bdf) {
        answers.remove(XenModelTest.bdf(bdf).rid());
        return this;
    }

    static Answer bridge(String id, DeviceKind kind, int primary, int secondary, int subordinate) {
        return new Answer(id, kind, new BridgeBuses(primary, secondary, subordinate), 0, false, false);
    }

    static Answer endpoint(String id, DeviceKind kind) {
        return new Answer(id, kind, null, 0, false, false);
    }

    static Answer endpointWithBar2(String id, DeviceKind kind, long bar2) {
        return new Answer(id, kind, null, bar2, false, false);
    }

    /** Function 0 of a multi-function device. */
    static Answer multiFunction(String id, DeviceKind kind) {
        return new Answer(id, kind, null, 0, true, false);
    }

    static Answer virtualFunction(String id) {
        return new Answer(id, DeviceKind.PCIE_ENDPOINT, null, 0, false, true);
    }
}
