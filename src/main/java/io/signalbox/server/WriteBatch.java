package io.signalbox.server;

import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The frames one server thread writes while it handles what one read of a socket brought in, held
 * back and written when that read is used up. A sender that has several signals waiting in the socket
 * (a broadcast window, a burst of chat) is read in one go; with the batch, each receiver then gets
 * the frames of all of them in one write instead of one write each. Writes are system calls, and on
 * the fan-out path they are most of the server's CPU; holding frames costs no latency, since the
 * thread writes them before it reads or waits for anything.
 *
 * <p>A batch is opened by the WebSocket handler when a message comes in, and written by the
 * {@linkplain Link socket's reader} before it reads again (the messages of the last read are all
 * handled then), when the socket closes and when its read fails: it holds at most what one read
 * brought in. Should a thread ever be handed messages in a way none of these sees, the
 * {@linkplain #sweep sweep} writes what a batch has held for longer than a moment. Frames written by
 * a thread without an open batch (timers, the REST API's requests) go out at once.
 *
 * <p>One batch per thread and per server; a batch is used by its thread, and by the sweep, under its
 * own lock, which its thread alone takes but for the sweep.
 */
final class WriteBatch {
    /** Something that holds frames for a batch (an outlet), and writes them when told. */
    interface Holder {
        /** Writes the frames held; safe to call from any thread, and when nothing is held. */
        void flush();
    }

    /** The batches of one server's threads. */
    static final class Threads {
        private final ThreadLocal<WriteBatch> current = ThreadLocal.withInitial(this::newBatch);
        private final Set<WriteBatch> all = ConcurrentHashMap.newKeySet();
        private final LongSupplier nanoTime;

        Threads(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
        }

        private WriteBatch newBatch() {
            WriteBatch batch = new WriteBatch(nanoTime);
            all.add(batch);
            return batch;
        }

        /** Opens this thread's batch, if it is not open yet. */
        void open() {
            current.get().open();
        }

        /** This thread's batch when it is open, else null: then a frame is to be written at once. */
        WriteBatch current() {
            WriteBatch batch = current.get();
            return batch.isOpen() ? batch : null;
        }

        /** Writes everything this thread's batch holds and closes it; nothing when it is not open. */
        void flush() {
            current.get().flush();
        }

        /** Writes what any batch has held for {@code olderThanNanos} or longer. Returns how many it wrote. */
        int sweep(long olderThanNanos) {
            long now = nanoTime.getAsLong();
            int swept = 0;
            for (WriteBatch batch : all) {
                if (batch.heldSince(now, olderThanNanos)) {
                    batch.flush();
                    swept++;
                }
            }
            return swept;
        }
    }

    private final LongSupplier nanoTime;
    /** What holds frames for this batch, in the order each first held one; guarded by {@code this}. */
    private final ArrayList<Holder> held = new ArrayList<>();
    /** Written only by the batch's thread; read by the sweep under the lock. */
    private volatile boolean open;
    /** When the first outlet held a frame; guarded by {@code this}, 0 while nothing is held. */
    private long heldSince;

    private WriteBatch(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    private void open() {
        open = true;
    }

    private boolean isOpen() {
        return open;
    }

    /** Records that {@code holder} holds frames to write when the batch ends. */
    synchronized void hold(Holder holder) {
        if (held.isEmpty()) heldSince = nanoTime.getAsLong();
        held.add(holder);
    }

    private synchronized boolean heldSince(long now, long olderThanNanos) {
        return !held.isEmpty() && now - heldSince >= olderThanNanos;
    }

    /** Writes everything this batch holds and closes it. */
    private void flush() {
        Holder[] holders;
        synchronized (this) {
            // Closed first: what the writes below may send in turn goes out at once.
            open = false;
            if (held.isEmpty()) return;
            holders = held.toArray(Holder[]::new);
            held.clear();
            heldSince = 0;
        }
        // Outside the lock: writing may call back into the server.
        for (Holder holder : holders) holder.flush();
    }
}
