package dev.pcitimeline.projections.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pcitimeline.projections.query.StateDocument.StepEntry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

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
        for (List<StepEntry> rest : List.of(all.subList(7, 11), List.<StepEntry>of())) {
            // to a stream (the REST path): the final steps' printed JSON, then the newest steps, or none
            StepList toStream = new StepList(List.of(new StepList.Chunk(all.subList(0, 3)),
                    new StepList.Chunk(List.of()), new StepList.Chunk(all.subList(3, 7))), rest);
            List<StepEntry> same = new ArrayList<>(toStream);
            byte[] plain = compact.writeValueAsBytes(document(same));
            assertThat(new String(compact.writeValueAsBytes(document(toStream)), StandardCharsets.UTF_8))
                    .isEqualTo(new String(plain, StandardCharsets.UTF_8));
            assertThat(compact.writeValueAsBytes(document(toStream))).isEqualTo(plain);
            // printed with another mapper: the second prints entry by entry, the same JSON
            ObjectMapper other = new ObjectMapper();
            assertThat(other.writeValueAsBytes(document(toStream))).isEqualTo(plain);
        }
        assertThat(document(chunked)).isEqualTo(document(all));
        assertThat(new StepList(List.of(), List.of())).isEmpty();
        assertThat(compact.writeValueAsBytes(document(new StepList(List.of(), List.of(step(0))))))
                .isEqualTo(compact.writeValueAsBytes(document(List.of(step(0)))));
        assertThat(compact.writeValueAsString(document(new StepList(List.of(), List.of()))))
                .isEqualTo(compact.writeValueAsString(document(List.of())));
    }

    @Test
    void a_state_that_reaches_further_prints_only_the_chunks_it_adds_and_shares_the_rest() throws Exception {
        List<StepEntry> all = new ArrayList<>();
        List<StepList.Chunk> chunks = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            List<StepEntry> entries = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                entries.add(step(all.size()));
                all.add(step(all.size()));
            }
            chunks.add(new StepList.Chunk(entries));
        }
        // one system's chunks and their printed JSON, shared by prefixes of 1, 25 and 40 chunks (over 9 segments)
        StepList.Prefix whole = StepList.Prefix.of(chunks);
        ObjectMapper compact = new ObjectMapper();
        for (int count : new int[]{25, 1, 40, 0}) {
            StepList.Prefix prefix = new StepList.Prefix(whole.chunks(), whole.starts(), count, 3000 * count,
                    whole.printed());
            List<StepEntry> rest = count == 40 ? List.of() : all.subList(3000 * count, 3000 * count + 2);
            StepList list = new StepList(prefix, rest);
            List<StepEntry> plain = new ArrayList<>(all.subList(0, 3000 * count));
            plain.addAll(rest);
            assertThat(list).isEqualTo(plain);
            assertThat(compact.writeValueAsBytes(document(list))).isEqualTo(compact.writeValueAsBytes(document(plain)));
        }
    }

    @Test
    void a_chunk_that_fails_to_print_leaves_nothing_of_itself_behind() throws Exception {
        List<StepEntry> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            all.add(step(i));
        }
        AtomicBoolean failOnce = new AtomicBoolean(true);
        ObjectMapper flaky = new ObjectMapper() {
            @Override
            public byte[] writeValueAsBytes(Object value) throws JsonProcessingException {
                if (value instanceof StepEntry e && e.index() == 4 && failOnce.getAndSet(false)) {
                    throw new JsonMappingException(null, "no room left");
                }
                return super.writeValueAsBytes(value);
            }
        };
        StepList list = new StepList(List.of(new StepList.Chunk(all.subList(0, 3)),
                new StepList.Chunk(all.subList(3, 7))), List.of());
        assertThatThrownBy(() -> flaky.writeValueAsBytes(document(list))).hasMessageContaining("no room left");
        // step 3 was printed before step 4 failed; the retry prints chunk 1 once, whole
        assertThat(flaky.writeValueAsBytes(document(list))).isEqualTo(flaky.writeValueAsBytes(document(all)));
    }

    @Test
    void the_final_steps_do_not_flush_the_response_early() throws Exception {
        List<StepEntry> all = List.of(step(0), step(1), step(2));
        StepList list = new StepList(List.of(new StepList.Chunk(all.subList(0, 2))), all.subList(2, 3));
        ObjectMapper compact = new ObjectMapper();
        List<Integer> flushedAt = new ArrayList<>();
        ByteArrayOutputStream response = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                flushedAt.add(size());
            }
        };
        try (JsonGenerator gen = compact.getFactory().createGenerator(response)) {
            compact.writeValue(gen, document(list));
            assertThat(response.toString(StandardCharsets.UTF_8)).isEqualTo(compact.writeValueAsString(document(all)));
        }
        // ObjectMapper flushes once, after the whole value (FLUSH_AFTER_WRITE_VALUE); the steps' own flush stays inside
        assertThat(flushedAt).isNotEmpty().allMatch(at -> at == response.size());
    }
}
