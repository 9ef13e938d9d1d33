package dev.pcitimeline.domain.spec;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/spec/ holds the project's copies of the shared specification, which the code and documents
 * cite; ../shared/ beside the checkout is the source (docs/spec/README.md). A copy that drifts from
 * its source fails here, in CI, where ../shared is always present.
 */
class SpecCopiesTest {

    /** The repository root: this module's parent folder. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @ParameterizedTest(name = "docs/spec/{1} is {0}")
    @CsvSource({
            "spec/XEN-MODEL.md, XEN-MODEL.md",
            "spec/SCENARIOS.md, SCENARIOS.md",
            "spec/API.md, API.md",
            "seed/xen-devel-assign-busses.txt, xen-devel-assign-busses.txt"})
    void the_copy_in_docs_spec_equals_its_source_in_shared(String source, String copy) throws IOException {
        Path shared = ROOT.resolveSibling("shared").resolve(source);
        Assumptions.assumeTrue(Files.isRegularFile(shared), "no " + shared + " beside this checkout to compare with");
        Path ours = ROOT.resolve("docs/spec").resolve(copy);
        assertThat(ours).as("docs/spec/%s (copy it from %s: see docs/spec/README.md)", copy, shared).exists();
        assertThat(Files.readString(ours))
                .as("docs/spec/%s differs from %s: copy it (docs/spec/README.md) and follow the change in the code", copy,
                        shared)
                .isEqualTo(Files.readString(shared));
    }
}
