package dev.pcitimeline.domain.xen;

/**
 * find_upstream_bridge's answer: result -1 (loop), 0 (no upstream bridge) or 1 with the
 * top-most bridge's bus/devfn and the bus just below it ({@code secbus}).
 */
public record UpstreamResult(int result, int bus, int devfn, int secbus) {
    public static final UpstreamResult NONE = new UpstreamResult(0, 0, 0, 0);
    public static final UpstreamResult LOOP = new UpstreamResult(-1, 0, 0, 0);
}
