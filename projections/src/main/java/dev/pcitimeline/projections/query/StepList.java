package dev.pcitimeline.projections.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.pcitimeline.projections.query.StateDocument.StepEntry;

import java.io.IOException;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The steps of a state read from the views: the final steps in chunks (one checkpoint's step list each, shared by
 * every state that includes them) and the steps after the last of them. A late state of a long history lists
 * thousands of final steps; each chunk is printed as JSON once and then copied as it is ({@link Json}), which
 * keeps the cost of printing a state close to that of its newest steps. Immutable; equal to any list of the same
 * entries.
 */
final class StepList extends AbstractList<StepEntry> implements RandomAccess {
    /** A checkpoint's final steps and, once printed, their JSON (the entries, comma-separated). */
    static final class Chunk {
        private final List<StepEntry> entries;
        private volatile SerializedString json;

        Chunk(List<StepEntry> entries) {
            this.entries = List.copyOf(entries);
        }

        int size() {
            return entries.size();
        }

        private SerializedString json(ObjectMapper mapper) throws IOException {
            SerializedString printed = json;
            if (printed == null) {
                StringBuilder b = new StringBuilder(entries.size() * 96);
                for (StepEntry e : entries) {
                    if (b.length() > 0) {
                        b.append(',');
                    }
                    b.append(mapper.writeValueAsString(e));
                }
                printed = new SerializedString(b.toString());
                json = printed;
            }
            return printed;
        }
    }

    /**
     * The first {@code count} chunks of {@code chunks}, the step index each starts at ({@code starts}) and the number
     * of steps they hold: a prefix of arrays that a caller only ever appends to (see StateQueries' final steps), so
     * a state shares them instead of copying thousands of chunk references per read. Positions below {@code count}
     * must never change.
     */
    record Prefix(Chunk[] chunks, int[] starts, int count, int steps) {
        static final Prefix EMPTY = new Prefix(new Chunk[0], new int[0], 0, 0);

        /** A prefix of its own arrays, holding all of {@code chunks}. */
        static Prefix of(List<Chunk> chunks) {
            Chunk[] array = chunks.toArray(new Chunk[0]);
            int[] starts = new int[array.length];
            int n = 0;
            for (int i = 0; i < array.length; i++) {
                starts[i] = n;
                n += array[i].size();
            }
            return new Prefix(array, starts, array.length, n);
        }
    }

    private final Chunk[] chunks;
    /** The index of each chunk's first entry. */
    private final int[] starts;
    private final int chunkCount;
    private final int finalSteps;
    private final List<StepEntry> rest;

    StepList(List<Chunk> chunks, List<StepEntry> rest) {
        this(Prefix.of(chunks), rest);
    }

    StepList(Prefix finalSteps, List<StepEntry> rest) {
        this.chunks = finalSteps.chunks();
        this.starts = finalSteps.starts();
        this.chunkCount = finalSteps.count();
        this.finalSteps = finalSteps.steps();
        this.rest = List.copyOf(rest);
    }

    @Override
    public StepEntry get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("step " + index + " of " + size());
        }
        if (index >= finalSteps) {
            return rest.get(index - finalSteps);
        }
        int at = Arrays.binarySearch(starts, 0, chunkCount, index);
        int chunk = at >= 0 ? at : -at - 2;
        // empty chunks share their start with the next one: take the last chunk starting at or before index
        while (chunk + 1 < chunkCount && starts[chunk + 1] <= index) {
            chunk++;
        }
        return chunks[chunk].entries.get(index - starts[chunk]);
    }

    @Override
    public int size() {
        return finalSteps + rest.size();
    }

    /**
     * Prints a state's {@code steps}: a {@link StepList}'s chunks as their stored JSON when the generator prints
     * compactly (no pretty printer) with an {@link ObjectMapper}, everything else entry by entry.
     */
    static final class Json extends StdSerializer<List<StepEntry>> {
        @SuppressWarnings("unchecked")
        Json() {
            super((Class<List<StepEntry>>) (Class<?>) List.class);
        }

        @Override
        public void serialize(List<StepEntry> steps, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            ObjectCodec codec = gen.getCodec();
            gen.writeStartArray(steps, steps.size());
            if (steps instanceof StepList list && gen.getPrettyPrinter() == null && codec instanceof ObjectMapper m) {
                for (int i = 0; i < list.chunkCount; i++) {
                    Chunk c = list.chunks[i];
                    if (c.size() > 0) {
                        gen.writeRawValue(c.json(m));
                    }
                }
                for (StepEntry e : list.rest) {
                    provider.defaultSerializeValue(e, gen);
                }
            } else {
                for (StepEntry e : steps) {
                    provider.defaultSerializeValue(e, gen);
                }
            }
            gen.writeEndArray();
        }
    }
}
