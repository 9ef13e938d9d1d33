package dev.pcitimeline.projections.timeline;

import dev.pcitimeline.domain.view.Finding;

/** A finding with the first event of its current continuous run ({@code since}). */
public record DatedFinding(Finding finding, long since) {

    /** Kind and subject: the same finding across events (see {@link Finding#key()}). */
    public String key() {
        return finding.key();
    }
}
