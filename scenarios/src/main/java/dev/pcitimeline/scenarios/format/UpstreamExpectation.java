package dev.pcitimeline.scenarios.format;

import dev.pcitimeline.domain.value.Bdf;

/**
 * The expected find_upstream_bridge result for one pdev: -1 (loop), 0 (no bridge), or 1 with
 * the bridge it returns (written as that bridge's BDF in {@code expect.upstream}).
 */
public record UpstreamExpectation(int result, Bdf bridge) {

    public UpstreamExpectation {
        if (result == 1 ? bridge == null : (result != 0 && result != -1) || bridge != null) {
            throw new IllegalArgumentException("an upstream result is -1, 0, or 1 with its bridge");
        }
    }

    public static UpstreamExpectation loop() {
        return new UpstreamExpectation(-1, null);
    }

    public static UpstreamExpectation none() {
        return new UpstreamExpectation(0, null);
    }

    public static UpstreamExpectation bridge(Bdf bridge) {
        return new UpstreamExpectation(1, bridge);
    }

    /** The file's spelling: {@code -1}, {@code 0} or the bridge BDF. */
    @Override
    public String toString() {
        return result == 1 ? bridge.toString() : Integer.toString(result);
    }
}
