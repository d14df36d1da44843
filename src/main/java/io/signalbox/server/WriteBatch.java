package io.signalbox.server;

import java.util.ArrayList;

/**
 * The frames one server thread writes while it handles what one read of a socket brought in, held
 * back and written when that read is used up. A sender that has several signals waiting in the socket
 * (a broadcast window, a burst of chat) is read in one go; with the batch, each receiver then gets
 * the frames of all of them in one write instead of one write each. Writes are system calls, and on
 * the fan-out path they are most of the server's CPU; holding frames costs no latency, since the
 * thread writes them before it waits for anything.
 *
 * <p>A batch is opened by the WebSocket handler when a message comes in, and written before the
 * thread {@linkplain BatchingEndPoint reads} a socket again, by the handler when a socket closes, and
 * by the thread pool when the thread's task ends, whichever comes first: it holds at most what one
 * read brought in. Frames written
 * by a thread without an open batch (timers, the REST API's requests) go out at once. One batch per
 * thread; it is only ever touched by its thread.
 */
final class WriteBatch {
    private static final ThreadLocal<WriteBatch> CURRENT = ThreadLocal.withInitial(WriteBatch::new);

    /** The outlets holding frames for this batch, in the order they first held one. */
    private final ArrayList<JettyOutlet> held = new ArrayList<>();
    private boolean open;

    private WriteBatch() {}

    /** Opens this thread's batch, if it is not open yet. */
    static void open() {
        CURRENT.get().open = true;
    }

    /** This thread's batch when it is open, else null: then a frame is to be written at once. */
    static WriteBatch current() {
        WriteBatch batch = CURRENT.get();
        return batch.open ? batch : null;
    }

    /** Whether this thread has an open batch; for tests. */
    static boolean isOpen() {
        return CURRENT.get().open;
    }

    /** Records that {@code outlet} holds frames to write when the batch ends. */
    void hold(JettyOutlet outlet) {
        held.add(outlet);
    }

    /** Writes everything this thread's batch holds and closes it; nothing when it is not open. */
    static void flush() {
        WriteBatch batch = CURRENT.get();
        if (!batch.open) return;
        // Closed first: what the writes below may send in turn goes out at once.
        batch.open = false;
        ArrayList<JettyOutlet> outlets = batch.held;
        try {
            for (int i = 0; i < outlets.size(); i++) outlets.get(i).flush();
        } finally {
            outlets.clear();
        }
    }
}
