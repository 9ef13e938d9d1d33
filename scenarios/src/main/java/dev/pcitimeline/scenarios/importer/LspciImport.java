package dev.pcitimeline.scenarios.importer;

import dev.pcitimeline.domain.value.Bdf;
import dev.pcitimeline.scenarios.format.Scenario;

import java.util.List;
import java.util.Set;

/**
 * An lspci dump turned into a scenario.
 *
 * @param yaml      the scenario file, comments included
 * @param scenario  that file as {@link dev.pcitimeline.scenarios.format.ScenarioParser} reads it
 * @param dumpBdfs  every function the dump shows (virtual functions included)
 * @param vfs       how many of them are virtual functions of a PF whose SR-IOV data is known
 * @param guesses   kinds decided without lspci -v data, one line each ("00:01.1 root-port: why")
 * @param warnings  what the dump left open or contradicts
 * @param skipped   lines of the inputs that were not used
 */
public record LspciImport(String yaml, Scenario scenario, Set<Bdf> dumpBdfs, int vfs, List<String> guesses,
                          List<String> warnings, List<SkippedLine> skipped) {

    public LspciImport {
        dumpBdfs = Set.copyOf(dumpBdfs);
        guesses = List.copyOf(guesses);
        warnings = List.copyOf(warnings);
        skipped = List.copyOf(skipped);
    }

    /** Functions of the dump, virtual functions included. */
    public int functions() {
        return dumpBdfs.size();
    }
}
