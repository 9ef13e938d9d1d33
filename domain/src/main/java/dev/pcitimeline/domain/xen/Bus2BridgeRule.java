package dev.pcitimeline.domain.xen;

/** Which piece of Xen wrote a bus2bridge entry (the audit trail names it). */
public enum Bus2BridgeRule {
    ALLOC_FILL("alloc_pdev fill"),
    FREE_COPY("free_pdev copy"),
    INVALIDATE_LOOP("fix-invalidate-loop clear"),
    TRAP_COPY("fix-trap-bus-writes copy"),
    TRAP_FILL("fix-trap-bus-writes fill"),
    FROZEN("hung loop");

    private final String text;

    Bus2BridgeRule(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
