package dev.pcitimeline.domain.view;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pcitimeline.domain.value.Bdf;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static dev.pcitimeline.domain.view.Finding.Kind.BUS2BRIDGE_STALE;
import static dev.pcitimeline.domain.view.Finding.Kind.PDEV_MISSING;
import static org.assertj.core.api.Assertions.assertThat;

/** A finding is a value (kind, subject, message) however its message was given: written out or from a template. */
class FindingTest {
    private final AtomicInteger written = new AtomicInteger();
    /** Writes "<value> answers there", counting how often it is asked to. */
    private final Finding.Template answers = v -> {
        written.incrementAndGet();
        return v[0] + " answers there";
    };
    private final Bdf at = Bdf.parse("0000:05:00.0");

    @Test
    void aTemplateFindingEqualsTheFindingWithItsTextWrittenOut() {
        Finding lazy = Finding.of(PDEV_MISSING, null, at, null, answers, "nic");
        Finding written = new Finding(PDEV_MISSING, null, at, null, "nic answers there");

        assertThat(lazy).isEqualTo(written);
        assertThat(written).isEqualTo(lazy);
        assertThat(lazy.hashCode()).isEqualTo(written.hashCode());
        assertThat(lazy.message()).isEqualTo("nic answers there");
        assertThat(lazy.toString()).isEqualTo(written.toString());
    }

    @Test
    void equalTemplatesAndValuesAreEqualWithoutWritingTheText() {
        Finding a = Finding.of(PDEV_MISSING, null, at, null, answers, "nic");
        Finding b = Finding.of(PDEV_MISSING, null, at, null, answers, "nic");

        assertThat(a.equals(b)).isTrue();
        assertThat(written.get()).isZero();
        assertThat(a.message()).isEqualTo(b.message());
        a.message();
        assertThat(written.get()).as("written once per finding, then kept").isEqualTo(2);
    }

    @Test
    void differentValuesAreComparedByTheirTexts() {
        Finding.Template sameText = v -> "unmapped";
        Finding staleTargetA = Finding.of(BUS2BRIDGE_STALE, 7, null, null, sameText, 1);
        Finding staleTargetB = Finding.of(BUS2BRIDGE_STALE, 7, null, null, sameText, 2);
        assertThat(staleTargetA).isEqualTo(staleTargetB);

        Finding otherFunction = Finding.of(PDEV_MISSING, null, at, null, answers, "disk");
        assertThat(otherFunction).isNotEqualTo(Finding.of(PDEV_MISSING, null, at, null, answers, "nic"));
    }

    @Test
    void anotherSubjectIsAnotherFindingWhateverTheText() {
        Finding a = Finding.of(PDEV_MISSING, null, at, null, answers, "nic");
        Finding b = Finding.of(PDEV_MISSING, null, Bdf.parse("0000:06:00.0"), null, answers, "nic");
        assertThat(a).isNotEqualTo(b);
        assertThat(written.get()).as("subjects differ: no text needed").isZero();
    }

    @Test
    void jsonHoldsTheWrittenMessageAndReadsBackEqual() throws Exception {
        Finding lazy = Finding.of(PDEV_MISSING, null, at, null, answers, "nic");
        // the store's mapping (fields, no getters) and a default one (the API's) give the same properties
        ObjectMapper fields = JsonMapper.builder()
                .visibility(PropertyAccessor.FIELD, Visibility.ANY)
                .visibility(PropertyAccessor.GETTER, Visibility.NONE)
                .visibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
                .build();
        for (ObjectMapper mapper : new ObjectMapper[]{fields, new ObjectMapper()}) {
            String json = mapper.writeValueAsString(lazy);
            assertThat(mapper.readTree(json).properties()).extracting(java.util.Map.Entry::getKey)
                    .containsExactlyInAnyOrder("kind", "bus", "bdf", "domain", "message");
            assertThat(mapper.readTree(json).get("message").asText()).isEqualTo("nic answers there");
            assertThat(mapper.readValue(json, Finding.class)).isEqualTo(lazy);
        }
    }
}
