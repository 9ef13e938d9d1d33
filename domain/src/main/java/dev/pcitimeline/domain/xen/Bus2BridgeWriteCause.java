package dev.pcitimeline.domain.xen;

import java.util.Objects;

/**
 * Why a bus2bridge entry was written: the piece of Xen that wrote it and the pdev (a bridge)
 * it ran for. The model hands it over with every write, so an audit never has to guess the
 * pdev from the order of the calls around the write.
 *
 * @param rule the loop or rule that wrote the entry
 * @param pdev the bridge pdev being allocated, freed or trapped when the entry was written
 */
public record Bus2BridgeWriteCause(Rule rule, Pdev pdev) {

    public Bus2BridgeWriteCause {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(pdev, "pdev");
    }

    /** Which piece of Xen wrote the entry (the audit trail names it). */
    public enum Rule {
        ALLOC_FILL("alloc_pdev fill"),
        FREE_COPY("free_pdev copy"),
        INVALIDATE_LOOP("fix-invalidate-loop clear"),
        TRAP_COPY("fix-trap-bus-writes copy"),
        TRAP_FILL("fix-trap-bus-writes fill"),
        FROZEN("hung loop");

        private final String text;

        Rule(String text) {
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
}
