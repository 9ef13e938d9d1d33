package dev.pcitimeline.domain.xen;

import dev.pcitimeline.domain.event.ConfigRead;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;

import java.util.ArrayList;
import java.util.List;

/** Records what the Xen model reports: reads and bus2bridge writes as values, the rest as short lines in order. */
final class RecordingTrace implements XenTrace {

    record Write(int bus, Bus2BridgeEntry before, Bus2BridgeEntry after, Bus2BridgeWriteCause.Rule rule) {
    }

    /** The cause of each write, in order: which pdev each loop ran for. */
    final List<Bus2BridgeWriteCause> causes = new ArrayList<>();

    final List<ConfigRead> reads = new ArrayList<>();
    final List<Write> writes = new ArrayList<>();
    /** pdev, owner, context and hang notices, in the order they happened. */
    final List<String> log = new ArrayList<>();

    @Override
    public void configRead(Bdf at, String register, int value, String answeredBy) {
        reads.add(new ConfigRead(at, register, value, answeredBy));
    }

    @Override
    public void bus2bridgeWritten(int bus, Bus2BridgeEntry before, Bus2BridgeEntry after, Bus2BridgeWriteCause cause) {
        writes.add(new Write(bus, before, after, cause.rule()));
        causes.add(cause);
    }

    @Override
    public void pdevAdded(Pdev pdev) {
        log.add("added " + pdev.bdf().shortText());
    }

    @Override
    public void pdevRemoved(Pdev pdev) {
        log.add("removed " + pdev.bdf().shortText());
    }

    @Override
    public void pdevOwnerChanged(Pdev before, Pdev after) {
        log.add("owner " + after.bdf().shortText() + " " + before.owner() + "->" + after.owner());
    }

    @Override
    public void contextMapped(int rid, DomainId domain, ContextChangeCause cause) {
        log.add((cause == ContextChangeCause.TAKEOVER ? "takeover " : "map ") + Bdf.ofRid(0, rid).shortText() + " " + domain);
    }

    @Override
    public void contextUnmapped(int rid, DomainId domain, ContextChangeCause cause) {
        log.add("unmap " + Bdf.ofRid(0, rid).shortText() + " " + domain);
    }

    @Override
    public void domainCrashed(DomainId domain) {
        log.add("crashed " + domain);
    }

    @Override
    public void hung(String where) {
        log.add("hung " + where);
    }
}
