package dev.pcitimeline.domain.event;

import dev.pcitimeline.domain.value.Bdf;

/**
 * One config-space read Xen made: at which address, which register, the value it got and
 * which function answered ({@code null}: nothing answered, the read was all ones).
 *
 * @param register {@code class}, {@code secondary} or {@code subordinate}
 */
public record ConfigRead(Bdf at, String register, int value, String answeredBy) {
}
