package dev.pcitimeline.domain.hardware;

import dev.pcitimeline.domain.hardware.ConfigSpace.Answer;

import java.util.function.IntPredicate;

/**
 * What config reads reach in one version of the hardware, kept per bus: Xen's boot scan alone reads 8192 addresses,
 * and the views read every function after each event. Every answer is the one routing walk's,
 * {@link Hardware#route}; this only decides when to walk and keeps what it gave. {@link Hardware} starts a new cache
 * with every change (keeping, after a bridge's register write, the rows of the buses it cannot have changed), so
 * nothing here is ever invalidated.
 */
final class HardwareAnswerCache {
    /** Reads of one version after which the buses where nothing can answer are worked out (a command reads a few). */
    private static final int READS_BEFORE_EMPTY_BUSES = 64;
    /** Shared by every bus where nothing answers. */
    private static final Answer[] NOTHING = new Answer[256];

    private final Hardware hardware;
    /** Per bus, what a read at each devfn reaches; null: not tabulated. A row is never modified once built. */
    private final Answer[][] rows;
    /** Buses read once: a lone read (common right after a register write) is routed, a second one tabulates the bus. */
    private final boolean[] routedOnce;
    /** See {@link #busesThatMayAnswer}; null: not worked out yet. Never modified once worked out. */
    private boolean[] mayAnswer;
    private int reads;

    HardwareAnswerCache(Hardware hardware) {
        this(hardware, new Answer[256][], new boolean[256], null);
    }

    private HardwareAnswerCache(Hardware hardware, Answer[][] rows, boolean[] routedOnce, boolean[] mayAnswer) {
        this.hardware = hardware;
        this.rows = rows;
        this.routedOnce = routedOnce;
        this.mayAnswer = mayAnswer;
    }

    /** The cache of a copy of the hardware: same tree, same registers, so the same answers (rows are shared). */
    HardwareAnswerCache copyFor(Hardware copy) {
        return new HardwareAnswerCache(copy, rows.clone(), routedOnce.clone(), mayAnswer);
    }

    /**
     * The cache of {@code hardware} after a change that can alter only the buses {@code dropped} names (a bridge's
     * register write: see {@link Hardware#writeBridgeBuses}): every other bus keeps its row and its routed-once mark
     * (rows are shared, never modified); which buses may answer is worked out again.
     */
    HardwareAnswerCache withBusesDropped(Hardware hardware, IntPredicate dropped) {
        Answer[][] keptRows = rows.clone();
        boolean[] keptRouted = routedOnce.clone();
        for (int bus = 0; bus < 256; bus++) {
            if (dropped.test(bus)) {
                keptRows[bus] = null;
                keptRouted[bus] = false;
            }
        }
        return new HardwareAnswerCache(hardware, keptRows, keptRouted, null);
    }

    Answer answerAt(int bus, int devfn) {
        if ((bus & ~0xff) != 0 || (devfn & ~0xff) != 0) {
            return hardware.route(bus, devfn); // not an address of this segment: routed as asked, never kept
        }
        boolean[] buses = mayAnswer != null || ++reads < READS_BEFORE_EMPTY_BUSES ? mayAnswer : busesThatMayAnswer();
        if (buses != null && !buses[bus]) {
            return null;
        }
        Answer[] row = rows[bus];
        if (row == null) {
            if (!routedOnce[bus]) {
                routedOnce[bus] = true;
                return hardware.route(bus, devfn);
            }
            row = hardware.route(bus, 0, 0xff);
            if (row == null) {
                row = NOTHING;
            }
            rows[bus] = row;
        }
        return row[devfn];
    }

    /** False only when nothing answers at any devfn of {@code bus} (see {@link #busesThatMayAnswer}). */
    boolean mayAnswerOn(int bus) {
        if ((bus & ~0xff) != 0) {
            return true; // not a bus of this segment: answerAt routes such reads as asked
        }
        return (mayAnswer != null ? mayAnswer : busesThatMayAnswer())[bus];
    }

    /**
     * The buses where anything can answer: the walk stops on the bus of a level (a root bus or a bridge's secondary)
     * and reaches a function there, or a VF of a PF of that level, whose RIDs run from the PF's first VF to its last.
     * Every other bus answers nothing at every devfn (most of the 256 Xen's boot scan reads).
     */
    private boolean[] busesThatMayAnswer() {
        boolean[] buses = new boolean[256];
        for (int root : hardware.rootBusNumbers()) {
            if ((root & ~0xff) == 0) {
                buses[root] = true;
            }
        }
        for (HardwareFunction f : hardware.functions()) {
            if (f.isBridge()) {
                buses[f.buses().secondary()] = true;
            }
            if (f.vfsEnabled() > 0) {
                long lastBus = Math.min(0xff, f.vfRid(f.vfsEnabled() - 1) >> 8);
                for (long bus = f.vfRid(0) >> 8; bus <= lastBus; bus++) {
                    buses[(int) bus] = true;
                }
            }
        }
        mayAnswer = buses;
        return buses;
    }
}
