package dev.pcitimeline.projections.audit;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.xen.Bus2BridgeEntry;
import dev.pcitimeline.domain.xen.Bus2BridgeWriteCause;
import dev.pcitimeline.domain.xen.ContextChangeCause;
import dev.pcitimeline.domain.xen.Pdev;
import dev.pcitimeline.domain.xen.XenTrace;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link XenTrace} that writes down, in order, everything Xen did inside the event being folded. The
 * audit takes the list after each event ({@link #drain()}): the order matters, because it is what ties a
 * bus2bridge write to the config reads and the pdev that caused it.
 */
final class EventTrace implements XenTrace {

    /** One thing Xen did inside an event. */
    sealed interface Item {
    }

    record Read(Bdf at, String register, int value, String answeredBy) implements Item {
    }

    /** A bus2bridge write with its cause: the rule and the pdev it ran for, as the model gave them. */
    record Write(int bus, Bus2BridgeEntry before, Bus2BridgeEntry after, Bus2BridgeWriteCause cause) implements Item {
        Bus2BridgeWriteCause.Rule rule() {
            return cause.rule();
        }
    }

    record Added(Pdev pdev) implements Item {
    }

    record Removed(Pdev pdev) implements Item {
    }

    record OwnerChanged(Pdev before, Pdev after) implements Item {
    }

    record Mapped(int rid, DomainId domain, ContextChangeCause cause) implements Item {
    }

    record Unmapped(int rid, DomainId domain, ContextChangeCause cause) implements Item {
    }

    record Crashed(DomainId domain) implements Item {
    }

    record Hung(String where) implements Item {
    }

    private List<Item> items = new ArrayList<>();

    /** What Xen did since the last call, in order. */
    List<Item> drain() {
        List<Item> out = items;
        items = new ArrayList<>();
        return out;
    }

    @Override
    public void configRead(Bdf at, String register, int value, String answeredBy) {
        items.add(new Read(at, register, value, answeredBy));
    }

    @Override
    public void bus2bridgeWritten(int bus, Bus2BridgeEntry before, Bus2BridgeEntry after, Bus2BridgeWriteCause cause) {
        items.add(new Write(bus, before, after, cause));
    }

    @Override
    public void pdevAdded(Pdev pdev) {
        items.add(new Added(pdev));
    }

    @Override
    public void pdevRemoved(Pdev pdev) {
        items.add(new Removed(pdev));
    }

    @Override
    public void pdevOwnerChanged(Pdev before, Pdev after) {
        items.add(new OwnerChanged(before, after));
    }

    @Override
    public void contextMapped(int rid, DomainId domain, ContextChangeCause cause) {
        items.add(new Mapped(rid, domain, cause));
    }

    @Override
    public void contextUnmapped(int rid, DomainId domain, ContextChangeCause cause) {
        items.add(new Unmapped(rid, domain, cause));
    }

    @Override
    public void domainCrashed(DomainId domain) {
        items.add(new Crashed(domain));
    }

    @Override
    public void hung(String where) {
        items.add(new Hung(where));
    }
}
