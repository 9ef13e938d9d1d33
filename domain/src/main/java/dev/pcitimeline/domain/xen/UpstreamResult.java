package dev.pcitimeline.domain.xen;

/**
 * find_upstream_bridge's answer: result -1 (loop), 0 (no upstream bridge) or 1 with the
 * top-most bridge's bus/devfn and the bus just below it ({@code secbus}).
 *
 * @param walkedDevfn the caller's devfn as the walk leaves it (XEN-MODEL.md §4b "walked devfn"):
 *                    the devfn of the last bus2bridge entry read (the top-most bridge's, or where a
 *                    -1 walk stopped), the caller's own when no entry was read. The undo paths of
 *                    the later releases pass it on.
 */
public record UpstreamResult(int result, int bus, int devfn, int secbus, int walkedDevfn) {

    /** Result 1: the walked devfn is the top-most bridge's. */
    public UpstreamResult(int result, int bus, int devfn, int secbus) {
        this(result, bus, devfn, secbus, devfn);
    }

    /** Result 0: no entry was read, the caller's devfn is untouched. */
    static UpstreamResult none(int callerDevfn) {
        return new UpstreamResult(0, 0, 0, 0, callerDevfn);
    }

    /** Result -1 after more than 256 hops, the devfn of the entry where the walk stopped. */
    static UpstreamResult loop(int walkedDevfn) {
        return new UpstreamResult(-1, 0, 0, 0, walkedDevfn);
    }
}
