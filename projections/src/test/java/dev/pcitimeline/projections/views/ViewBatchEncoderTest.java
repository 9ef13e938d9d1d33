package dev.pcitimeline.projections.views;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A batch encodes its checkpoints on its encoder, and its rows wait for them (the rebuild encodes on a thread). */
class ViewBatchEncoderTest {

    @Test
    void checkpointsAreEncodedByTheBatchsEncoderAndTheirRowsHoldWhatItMade() {
        List<Runnable> queued = new ArrayList<>();
        ViewBatch batch = new ViewBatch(queued::add);
        batch.checkpoint("s", 10, 2, null, () -> new byte[][]{{1}, {2}, {3}});

        assertThat(queued).as("handed to the encoder, not run by the caller").hasSize(1);
        assertThat(batch.pendingCheckpoint("s").event()).isEqualTo(10);
        queued.forEach(Runnable::run);
        assertThat(batch.checkpointInserts()).singleElement()
                .satisfies(row -> assertThat(row).containsExactly("s", 10L, 2, new byte[]{1}, new byte[]{2},
                        new byte[]{3}));
    }

    @Test
    void aBatchWithoutEncoderEncodesOnTheCallersThreadAtOnce() {
        AtomicReference<Thread> encodedOn = new AtomicReference<>();
        ViewBatch batch = new ViewBatch();
        batch.checkpoint("s", 5, 1, null, () -> {
            encodedOn.set(Thread.currentThread());
            return new byte[][]{{}, {}, {}};
        });
        assertThat(encodedOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void anEncodingFailureSurfacesWhenTheRowsAreRead() {
        ViewBatch batch = new ViewBatch(Runnable::run);
        batch.checkpoint("s", 10, 2, null, () -> {
            throw new IllegalStateException("cannot write a views checkpoint of system s");
        });
        assertThatThrownBy(batch::checkpointInserts).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot write a views checkpoint of system s");
    }
}
