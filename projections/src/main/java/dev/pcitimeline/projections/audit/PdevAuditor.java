package dev.pcitimeline.projections.audit;

import dev.pcitimeline.domain.event.SegmentEvent;
import dev.pcitimeline.domain.event.SegmentEvent.AssignDeviceCalled;
import dev.pcitimeline.domain.event.SegmentEvent.DeassignDeviceCalled;
import dev.pcitimeline.domain.event.SegmentEvent.PciDeviceAddCalled;
import dev.pcitimeline.domain.event.SegmentEvent.PciDeviceRemoveCalled;
import dev.pcitimeline.domain.event.SegmentEvent.XenBooted;
import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.domain.value.DomainId;
import dev.pcitimeline.domain.view.MachineView.HardwareRow;
import dev.pcitimeline.domain.view.MachineView.PdevRow;
import dev.pcitimeline.domain.view.MachineView.UpstreamRow;
import dev.pcitimeline.domain.xen.ContextChangeCause;
import dev.pcitimeline.domain.xen.Pdev;
import dev.pcitimeline.projections.audit.EventTrace.Item;
import dev.pcitimeline.projections.audit.PdevAudit.Happening;
import dev.pcitimeline.projections.timeline.Advance;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.pcitimeline.projections.audit.AuditFold.last;
import static dev.pcitimeline.projections.audit.AuditFold.range;

/**
 * Collects what happened to the pdev at one address during an {@link AuditFold}: allocations (with the type
 * classified and who answered), owner changes, the context entries Xen created or removed for it or at its
 * requester ID, changes of what config space reaches there while Xen holds a pdev, and removals.
 */
final class PdevAuditor implements AuditFold.Listener {
    private final Bdf bdf;
    private final List<Happening> history = new ArrayList<>();
    /** The latest allocation, and the first event after it at which its function stopped answering there. */
    private Happening allocation;
    private Happening left;
    /** {@code step 0 xen-boot} for those two. */
    private String allocationStep;
    private String leftStep;

    PdevAuditor(Bdf bdf) {
        this.bdf = bdf;
    }

    List<Happening> history() {
        return List.copyOf(history);
    }

    /** The latest allocation of a pdev at the address, or null. */
    Happening allocation() {
        return allocation;
    }

    /** The first change of what answers at the address after {@link #allocation()}, or null. */
    Happening left() {
        return left;
    }

    String allocationStep() {
        return allocationStep;
    }

    String leftStep() {
        return leftStep;
    }

    @Override
    public void event(Advance advance, List<Item> items, AuditFold fold) {
        SegmentEvent e = advance.payload();
        Bdf subject = operand(e);
        boolean removed = false;
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item instanceof EventTrace.Added a) {
                subject = a.pdev().bdf();
                if (subject.equals(bdf)) {
                    allocated(advance, a.pdev(), AuditFold.reads(items, i, bdf));
                }
            } else if (item instanceof EventTrace.OwnerChanged o) {
                subject = o.after().bdf();
                if (subject.equals(bdf)) {
                    owner(advance, o.before(), o.after());
                }
            } else if (item instanceof EventTrace.Mapped m && (bdf.equals(subject) || m.rid() == bdf.rid())) {
                context(advance, true, m.rid(), m.domain(), m.cause(), subject, fold.segment());
            } else if (item instanceof EventTrace.Unmapped u && (bdf.equals(subject) || u.rid() == bdf.rid())) {
                context(advance, false, u.rid(), u.domain(), u.cause(), subject, fold.segment());
            } else if (item instanceof EventTrace.Removed r && r.pdev().bdf().equals(bdf)) {
                removed = true;
                add(advance, "removed", null, null, null, null, null, List.of(), "free_pdev dropped it"
                        + (e instanceof PciDeviceRemoveCalled ? " (the call returned " + advance.outcome() + ")" : ""));
            }
        }
        boolean before = pdev(advance.viewBefore().pdevs()) != null;
        boolean after = pdev(advance.view().pdevs()) != null;
        if (before && !after && !removed) {
            add(advance, "reset", null, null, null, null, null, List.of(), e instanceof XenBooted
                    ? "xen-boot: Xen starts with an empty pdev list" : "the pdev left Xen's list");
        }
        HardwareRow was = AuditFold.answerAt(advance.viewBefore().hardware(), bdf);
        HardwareRow is = AuditFold.answerAt(advance.view().hardware(), bdf);
        String wasId = was == null ? null : was.id();
        String isId = is == null ? null : is.id();
        if ((before || after) && advance.event() > 1 && !Objects.equals(wasId, isId)) {
            String text = (wasId == null ? "nothing answered" : wasId + " no longer answers") + " at " + bdf.shortText()
                    + "; now " + (isId == null ? "nothing answers there" : isId + " (" + is.kind().text() + ") answers there");
            Happening h = add(advance, "answer", null, isId, null, null, null, List.of(), text);
            if (allocation != null && after) {
                // The first change away from the function it was allocated for, until that one answers again.
                if (Objects.equals(isId, allocation.answeredBy())) {
                    left = null;
                } else if (left == null) {
                    left = h;
                    leftStep = AuditFold.stepPhrase(advance);
                }
            }
        }
    }

    private void allocated(Advance advance, Pdev pdev, List<ConfigReadEntry> reads) {
        StringBuilder text = new StringBuilder("alloc_pdev: ")
                .append(pdev.allocatedFor() == null ? "nothing answered" : pdev.allocatedFor() + " answered")
                .append(" at ").append(bdf.shortText()).append(", classified ").append(pdev.type());
        if (pdev.virtfnOf() != null) {
            text.append(", a virtual function of ").append(pdev.virtfnOf().shortText());
        }
        ConfigReadEntry s = last(reads, "secondary");
        ConfigReadEntry u = last(reads, "subordinate");
        if (pdev.type().fillsBus2Bridge() && s != null && u != null) {
            text.append("; it read secondary ").append(AuditFold.hex(s.value())).append(", subordinate ")
                    .append(AuditFold.hex(u.value()));
            text.append(s.value() <= u.value() ? " and filled bus2bridge " + range(s.value(), u.value()) + " with "
                    + bdf.shortText() : " and filled nothing (secondary above subordinate)");
        }
        allocation = add(advance, "allocated", pdev.type().name(), pdev.allocatedFor(), null, null, null, reads,
                text.toString());
        allocationStep = AuditFold.stepPhrase(advance);
        left = null;
    }

    private void owner(Advance advance, Pdev before, Pdev after) {
        DomainId was = before.owner();
        DomainId is = after.owner();
        String text = "owner " + (was == null ? "none" : was) + " -> " + (is == null ? "none" : is);
        SegmentEvent e = advance.payload();
        if (is == null) {
            text += ": domain_context_mapping failed (" + advance.outcome() + "), the pdev stays without owner";
        } else if (e instanceof AssignDeviceCalled) {
            text += ": passed through";
        } else if (e instanceof DeassignDeviceCalled) {
            text += ": back to dom0";
        } else if (is.isDom0()) {
            text += ", then domain_context_mapping for it";
        }
        add(advance, "owner", null, null, is == null ? null : is.value(), was == null ? null : was.value(), null,
                List.of(), text);
    }

    private void context(Advance advance, boolean mapped, int rid, DomainId domain, ContextChangeCause cause,
                         Bdf subject, int segment) {
        Bdf entry = Bdf.ofRid(segment, rid);
        String relation;
        if (rid == bdf.rid() && bdf.equals(subject)) {
            relation = "its own requester ID";
        } else if (bdf.equals(subject)) {
            String role = role(advance, mapped, bdf, entry);
            relation = UPSTREAM.equals(role) ? "the requester ID of its upstream bridge (find_upstream_bridge)"
                    : ALIAS.equals(role) ? "the secbus:00.0 alias requests from behind its PCIe-to-PCI bridge carry"
                    : "a requester ID Xen " + (mapped ? "maps" : "unmaps") + " along with it";
        } else if (subject != null) {
            String role = role(advance, mapped, subject, entry);
            relation = "its requester ID, " + (role == null ? "while Xen " + (mapped ? "mapped " : "unmapped ")
                    + subject.shortText() : "as the " + role + " of " + subject.shortText());
        } else {
            relation = "its requester ID";
        }
        String change = cause == ContextChangeCause.TAKEOVER ? " taken over by " : " created for ";
        String text = (mapped ? "context entry " + entry.shortText() + change + domain
                : "context entry " + entry.shortText() + " (" + domain + ") removed") + ": " + relation
                // the rules of the later releases name their row of XEN-MODEL.md §4b
                + (cause.row() == null ? "" : " (" + cause.text() + ", §4b row " + cause.row() + ")");
        add(advance, mapped ? "context-mapped" : "context-unmapped", null, null, domain.value(), null, entry.toString(),
                List.of(), text);
    }

    private static final String UPSTREAM = "upstream bridge";
    private static final String ALIAS = "secbus:00.0 alias";

    /** What {@code entry} is to the pdev at {@code of}: its upstream bridge, the PCIe-to-PCI alias, or null. */
    private static String role(Advance advance, boolean mapped, Bdf of, Bdf entry) {
        // A mapping happens after the event's bus2bridge changes, an unmap before them.
        UpstreamRow up = upstream(mapped ? advance.view().upstream() : advance.viewBefore().upstream(), of);
        if (up == null) {
            up = upstream(mapped ? advance.viewBefore().upstream() : advance.view().upstream(), of);
        }
        if (up != null && up.result() == 1) {
            if (up.bridge().equals(entry)) {
                return UPSTREAM;
            }
            if (up.secbus() != null && entry.rid() == up.secbus() * 256) {
                return ALIAS;
            }
        }
        return null;
    }

    private Happening add(Advance a, String what, String type, String answeredBy, Integer domain, Integer previous,
                          String context, List<ConfigReadEntry> reads, String explanation) {
        Happening h = new Happening(a.event(), a.step(), AuditFold.stepText(a), Operations.of(a.payload()),
                a.outcome().text(), what, type, answeredBy, domain, previous, context, List.copyOf(reads), explanation);
        history.add(h);
        return h;
    }

    private PdevRow pdev(List<PdevRow> rows) {
        for (PdevRow r : rows) {
            if (r.bdf().equals(bdf)) {
                return r;
            }
        }
        return null;
    }

    private static UpstreamRow upstream(List<UpstreamRow> rows, Bdf of) {
        for (UpstreamRow r : rows) {
            if (r.bdf().equals(of)) {
                return r;
            }
        }
        return null;
    }

    /** The pdev a hypercall is about, before Xen says otherwise (a VF's PF is added first). */
    private static Bdf operand(SegmentEvent e) {
        if (e instanceof PciDeviceAddCalled a) {
            return a.bdf();
        } else if (e instanceof PciDeviceRemoveCalled r) {
            return r.bdf();
        } else if (e instanceof AssignDeviceCalled a) {
            return a.bdf();
        } else if (e instanceof DeassignDeviceCalled d) {
            return d.bdf();
        }
        return null;
    }
}
