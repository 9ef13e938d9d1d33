package dev.pcitimeline.projections.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pcitimeline.projections.query.StateDocument.StepEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A state's steps in chunks print and compare exactly like the same steps in a plain list. */
class StepListTest {
    private static StepEntry step(int i) {
        return new StepEntry(i, i % 2 == 0 ? "add" : "xen-boot", i % 3 == 0 ? "EBUSY" : "ok",
                i % 4 == 0 ? List.of() : List.of(10L * i, 10L * i + 3), "step \"" + i + "\"");
    }

    private static StateDocument document(List<StepEntry> steps) {
        return new StateDocument("sc", "sys", "xen-4.4", 0, 99, steps.size() - 1, false, List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), steps, List.of());
    }

    @Test
    void chunks_print_as_the_plain_list_prints() throws Exception {
        List<StepEntry> all = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            all.add(step(i));
        }
        // chunks of 3, 0 (a checkpoint whose list is empty cannot happen, but must not break), 4; then 4 more
        StepList chunked = new StepList(List.of(new StepList.Chunk(all.subList(0, 3)), new StepList.Chunk(List.of()),
                new StepList.Chunk(all.subList(3, 7))), all.subList(7, 11));
        assertThat(chunked).isEqualTo(all).hasSize(11);
        assertThat(chunked.get(3)).isEqualTo(all.get(3));
        assertThat(chunked.get(10)).isEqualTo(all.get(10));
        assertThatThrownBy(() -> chunked.get(11)).isInstanceOf(IndexOutOfBoundsException.class);

        ObjectMapper compact = new ObjectMapper();
        ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        for (ObjectMapper mapper : List.of(compact, pretty)) {
            String plain = mapper.writeValueAsString(document(all));
            // twice: the second time the chunks' stored JSON is used
            assertThat(mapper.writeValueAsString(document(chunked))).isEqualTo(plain);
            assertThat(mapper.writeValueAsString(document(chunked))).isEqualTo(plain);
        }
        assertThat(document(chunked)).isEqualTo(document(all));
        assertThat(new StepList(List.of(), List.of())).isEmpty();
        assertThat(compact.writeValueAsString(document(new StepList(List.of(), List.of()))))
                .isEqualTo(compact.writeValueAsString(document(List.of())));
    }
}
