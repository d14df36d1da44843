package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The rules of a thread's write batch, and the sweep that writes what a batch held too long. */
class WriteBatchSweepTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final WriteBatch.Threads batches = new WriteBatch.Threads(now::get);
    private final List<String> flushed = new ArrayList<>();

    private WriteBatch.Holder holder(String name) {
        return () -> flushed.add(name);
    }

    @Test
    @DisplayName("no batch until one is opened; frames held in an open one are written in order when it ends")
    void openHoldFlush() {
        assertThat(batches.current()).isNull();
        batches.open();
        WriteBatch batch = batches.current();
        assertThat(batch).isNotNull();
        batch.hold(holder("a"));
        batch.hold(holder("b"));
        assertThat(flushed).isEmpty();

        batches.flush();

        assertThat(flushed).containsExactly("a", "b");
        assertThat(batches.current()).as("closed by the flush").isNull();
        batches.flush();
        assertThat(flushed).as("nothing written twice").containsExactly("a", "b");
    }

    @Test
    @DisplayName("the sweep writes a batch that held frames for too long, and leaves a young one alone")
    void sweepWritesOldBatches() throws Exception {
        batches.open();
        batches.current().hold(holder("old"));
        // Another thread's batch, as a second Jetty thread would have.
        Thread other = Thread.ofPlatform().start(() -> {
            now.addAndGet(30);
            batches.open();
            batches.current().hold(holder("young"));
        });
        other.join();

        now.addAndGet(30); // "old" has held for 60, "young" for 30
        assertThat(batches.sweep(50)).isEqualTo(1);
        assertThat(flushed).containsExactly("old");
        assertThat(batches.current()).as("the swept batch is closed: its thread now writes at once").isNull();

        now.addAndGet(30);
        assertThat(batches.sweep(50)).isEqualTo(1);
        assertThat(flushed).containsExactly("old", "young");
        assertThat(batches.sweep(50)).isZero();
    }
}
