package dev.pcitimeline.app.bench;

import java.nio.file.Path;

/**
 * How to run the bench.
 *
 * @param events      the synthetic history's size N (at least; the last step may add a few)
 * @param seed        the generator's and the random reads' seed
 * @param asOfSamples how many random events the state object is read at
 * @param rebuilds    how many times the views are reset and rebuilt (the median is reported)
 * @param jar         the application jar the library replay runs in a child JVM; null: look for it
 * @param library     the scenario library directory; null: look for it
 * @param warmUpRounds most rounds of the JIT's warm-up ({@link WarmUp}); 0: none
 */
public record BenchOptions(long events, long seed, int asOfSamples, int rebuilds, Path jar, Path library,
                           int warmUpRounds) {
    public BenchOptions {
        if (warmUpRounds < 0) {
            throw new IllegalArgumentException("--warm-up-rounds " + warmUpRounds + ": at least 0");
        }
        if (events < 100) {
            throw new IllegalArgumentException("--events " + events + ": at least 100");
        }
        if (rebuilds < 1) {
            throw new IllegalArgumentException("--rebuilds " + rebuilds + ": at least 1");
        }
        if (asOfSamples < 1) {
            throw new IllegalArgumentException("as-of samples " + asOfSamples + ": at least 1");
        }
    }
}
