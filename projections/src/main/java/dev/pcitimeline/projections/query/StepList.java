package dev.pcitimeline.projections.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.pcitimeline.projections.query.StateDocument.StepEntry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The steps of a state read from the views: the final steps in chunks (one checkpoint's step list each, shared by
 * every state that includes them) and the steps after the last of them. A late state of a long history lists
 * thousands of final steps; they are printed as JSON once per system, in order, into one run of bytes
 * ({@link Printed}), and a state's final steps are a prefix of it, written to the response in one pass
 * ({@link Json}): the cost of printing a state stays close to that of its newest steps and of one copy of the rest.
 * Immutable; equal to any list of the same entries.
 */
final class StepList extends AbstractList<StepEntry> implements RandomAccess {
    /** A checkpoint's final steps. */
    static final class Chunk {
        private final List<StepEntry> entries;

        Chunk(List<StepEntry> entries) {
            this.entries = List.copyOf(entries);
        }

        int size() {
            return entries.size();
        }
    }

    /**
     * The final steps of one system as JSON (the entries, comma-separated), printed chunk after chunk as states reach
     * them, in segments of {@value #SEGMENT} bytes: the JSON of chunks 0..n-1 is always the first bytes, and bytes
     * once printed never change, so a state's final steps are written from a snapshot without holding the lock.
     *
     * <p>Why one run of bytes: kept per chunk (a string and its UTF-8 bytes for every checkpoint), the printed steps
     * of a 1,000,000-event history were ~8,000 small objects scattered over the old generation, and writing the
     * 125,000 steps of a late state took ~3.5 ms, mostly waiting on memory for each chunk in turn (the bench's
     * reads' time grew by ~30 µs per 1,000 steps); one pass over its ~9 MB of contiguous bytes takes ~0.4 ms.
     */
    static final class Printed {
        /** Under half a G1 region of a 512 MiB heap (1 MiB), so no segment is a humongous object. */
        static final int SEGMENT = 256 * 1024;

        private final List<byte[]> segments = new ArrayList<>();
        private int length;
        /** Per chunk printed, the length of the JSON up to its end. */
        private int[] chunkEnds = new int[64];
        private int chunks;
        /** The mapper that printed them: another one (another configuration) prints entry by entry. */
        private ObjectMapper printedWith;

        /**
         * The JSON of {@code chunks[0..count-1]} ({@code chunks}: a prefix's chunks, the same at every index any
         * other prefix of this system has), printing what is missing with {@code mapper}; null when the JSON here
         * was printed with another mapper.
         */
        synchronized Bytes upTo(Chunk[] chunks, int count, ObjectMapper mapper) throws IOException {
            if (count == 0) {
                return Bytes.NONE;
            }
            if (printedWith == null) {
                printedWith = mapper;
            } else if (printedWith != mapper) {
                return null;
            }
            while (this.chunks < count) {
                // a whole chunk or nothing: a chunk printed in part would be printed again after a failure
                ByteArrayOutputStream chunk = new ByteArrayOutputStream();
                for (StepEntry e : chunks[this.chunks].entries) {
                    if (length > 0 || chunk.size() > 0) {
                        chunk.write(',');
                    }
                    chunk.write(mapper.writeValueAsBytes(e));
                }
                append(chunk.toByteArray());
                if (this.chunks == chunkEnds.length) {
                    chunkEnds = Arrays.copyOf(chunkEnds, chunkEnds.length * 2);
                }
                chunkEnds[this.chunks++] = length;
            }
            return new Bytes(segments.toArray(new byte[0][]), chunkEnds[count - 1]);
        }

        private void append(byte[] bytes) {
            int done = 0;
            while (done < bytes.length) {
                int at = length % SEGMENT;
                if (at == 0 && length / SEGMENT == segments.size()) {
                    segments.add(new byte[SEGMENT]);
                }
                int n = Math.min(bytes.length - done, SEGMENT - at);
                System.arraycopy(bytes, done, segments.get(length / SEGMENT), at, n);
                done += n;
                length += n;
            }
        }

        /** The first {@code length} bytes of the segments. */
        record Bytes(byte[][] segments, int length) {
            static final Bytes NONE = new Bytes(new byte[0][], 0);

            void writeTo(OutputStream out) throws IOException {
                for (int i = 0, left = length; left > 0; i++, left -= SEGMENT) {
                    out.write(segments[i], 0, Math.min(left, SEGMENT));
                }
            }
        }
    }

    /**
     * The first {@code count} chunks of {@code chunks}, the step index each starts at ({@code starts}), the number
     * of steps they hold and their system's printed JSON: a prefix of arrays that a caller only ever appends to (see
     * StateQueries' final steps), so a state shares them instead of copying thousands of chunk references per read.
     * Positions below {@code count} must never change.
     */
    record Prefix(Chunk[] chunks, int[] starts, int count, int steps, Printed printed) {
        static final Prefix EMPTY = new Prefix(new Chunk[0], new int[0], 0, 0, new Printed());

        /** A prefix of its own arrays, holding all of {@code chunks}. */
        static Prefix of(List<Chunk> chunks) {
            Chunk[] array = chunks.toArray(new Chunk[0]);
            int[] starts = new int[array.length];
            int n = 0;
            for (int i = 0; i < array.length; i++) {
                starts[i] = n;
                n += array[i].size();
            }
            return new Prefix(array, starts, array.length, n, new Printed());
        }
    }

    private final Chunk[] chunks;
    /** The index of each chunk's first entry. */
    private final int[] starts;
    private final int chunkCount;
    private final int finalSteps;
    private final List<StepEntry> rest;
    private final Printed printed;

    StepList(List<Chunk> chunks, List<StepEntry> rest) {
        this(Prefix.of(chunks), rest);
    }

    StepList(Prefix finalSteps, List<StepEntry> rest) {
        this.chunks = finalSteps.chunks();
        this.starts = finalSteps.starts();
        this.chunkCount = finalSteps.count();
        this.finalSteps = finalSteps.steps();
        this.rest = List.copyOf(rest);
        this.printed = finalSteps.printed();
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
     * Prints a state's {@code steps}. A {@link StepList} going to an {@link OutputStream} compactly (no pretty
     * printer) with an {@link ObjectMapper}: its final steps as their printed JSON, written straight to the stream
     * after the generator's buffer (one copy, not one through the generator's buffer per chunk), then the newest
     * steps; everything else entry by entry, as Jackson prints any list.
     */
    static final class Json extends StdSerializer<List<StepEntry>> {
        @SuppressWarnings("unchecked")
        Json() {
            super((Class<List<StepEntry>>) (Class<?>) List.class);
        }

        @Override
        public void serialize(List<StepEntry> steps, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            gen.writeStartArray(steps, steps.size());
            if (steps instanceof StepList list && gen.getPrettyPrinter() == null
                    && gen.getCodec() instanceof ObjectMapper mapper
                    && gen.getOutputTarget() instanceof OutputStream out) {
                Printed.Bytes finals = list.printed.upTo(list.chunks, list.chunkCount, mapper);
                if (finals != null) {
                    if (finals.length() > 0) {
                        // what the generator holds ("[" at least) goes first; a flush here is not the response's
                        boolean passFlush = gen.isEnabled(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
                        gen.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
                        try {
                            gen.flush();
                        } finally {
                            gen.configure(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM, passFlush);
                        }
                        finals.writeTo(out);
                        if (!list.rest.isEmpty()) {
                            // the generator saw no element of this array: it writes no comma before the first
                            out.write(',');
                        }
                    }
                    for (StepEntry e : list.rest) {
                        provider.defaultSerializeValue(e, gen);
                    }
                    gen.writeEndArray();
                    return;
                }
            }
            for (StepEntry e : steps) {
                provider.defaultSerializeValue(e, gen);
            }
            gen.writeEndArray();
        }
    }
}
