package io.signalbox.server;

import io.signalbox.protocol.CloseCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Outlet} on a Jetty WebSocket session. Jetty queues asynchronous writes without limit, so
 * this counts what is queued and not yet written, and refuses frames once either bound is passed:
 * one receiver that does not read must never grow the server's memory or slow the others. What to do
 * then (tell the session, close with a reason) is the owner's, told through {@code onOverflow}, which
 * must not run on the sender's thread: the sender may hold locks.
 *
 * <p>Frames sent by a thread that has a {@link WriteBatch} open are held and written together when the
 * batch ends; once an outlet holds frames, every frame sent to it joins them, whatever the thread, so
 * that frames go out in the order they were sent. Frames are written through Jetty's core session,
 * which can gather several into one write; a broadcast's frame is encoded to UTF-8 once per thread,
 * not once per receiver.
 */
final class JettyOutlet implements Outlet, WriteBatch.Holder {
    private static final Logger log = LoggerFactory.getLogger(JettyOutlet.class);

    private final Session session;
    /** The server's write batches: frames sent by a thread with one open are held for it. */
    private final WriteBatch.Threads batches;
    /** Jetty's session under the API one, which writes frames with batching; null if Jetty's classes differ. */
    private final CoreSession core;
    private final int maxFrames;
    private final long maxBytes;
    private final String remote;
    private final Consumer<JettyOutlet> onOverflow;
    /** Frames handed to Jetty and not yet written; changed by senders and Jetty's write callbacks. */
    private final AtomicInteger queuedFrames = new AtomicInteger();
    /** Characters of those frames, a close enough measure of their bytes; same writers. */
    private final AtomicLong queuedChars = new AtomicLong();
    /** Set once, by whoever closes first. */
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set once, by the sender that found the queue over its bound; no frame is taken after it. */
    private final AtomicBoolean overflowed = new AtomicBoolean();
    /** Frames held for a write batch, oldest first; null until the first batch. Guarded by {@code this}. */
    private ArrayList<String> held;
    /** An emptied list to hold the next frames in; guarded by {@code this}. */
    private ArrayList<String> spare;
    /** Whether frames are held, to be written by {@link #flush}; guarded by {@code this}. */
    private boolean holding;
    /** Whether a thread is writing held frames now; frames sent meanwhile join the held ones. Guarded by {@code this}. */
    private boolean flushing;

    JettyOutlet(Session session, WriteBatch.Threads batches, int maxFrames, long maxBytes,
                Consumer<JettyOutlet> onOverflow) {
        this.session = session;
        this.batches = batches;
        this.core = session instanceof WebSocketSession jetty ? jetty.getCoreSession() : null;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.onOverflow = onOverflow;
        this.remote = String.valueOf(session.getRemoteSocketAddress());
    }

    @Override
    public boolean send(String frame) {
        if (closed.get() || overflowed.get()) return false;
        int frames = queuedFrames.incrementAndGet();
        long chars = queuedChars.addAndGet(frame.length());
        if (frames > maxFrames || chars > maxBytes) {
            queuedFrames.decrementAndGet();
            queuedChars.addAndGet(-frame.length());
            if (overflowed.compareAndSet(false, true)) {
                log.warn("{} is too slow: {} frames ({} characters) wait to be written", remote, frames, chars);
                onOverflow.accept(this);
            }
            return false;
        }
        synchronized (this) {
            if (!holding && !flushing) {
                WriteBatch batch = core == null ? null : batches.current();
                if (batch != null) {
                    if (held == null) held = new ArrayList<>(4);
                    holding = true;
                    batch.hold(this);
                }
            }
            if (holding || flushing) {
                held.add(frame);
                return true;
            }
        }
        // Outside the lock: Jetty may call back into the server from a write (a failed write closes
        // the socket, and the close takes the peer's lock, which a sender may hold while it waits here).
        write(frame, false);
        return true;
    }

    /**
     * Writes the frames held for a batch, as few writes as Jetty can make of them, and any that join
     * them meanwhile: while one thread writes, frames sent to this outlet wait behind the others.
     */
    @Override
    public void flush() {
        ArrayList<String> frames;
        synchronized (this) {
            if (flushing || !holding) return; // nothing held, or another thread is writing it
            holding = false;
            flushing = true;
            frames = takeHeld();
        }
        while (true) {
            // Outside the lock, as in send.
            int last = frames.size() - 1;
            for (int i = 0; i <= last; i++) write(frames.get(i), i < last);
            frames.clear();
            synchronized (this) {
                spare = frames;
                if (held.isEmpty()) {
                    flushing = false;
                    return;
                }
                frames = takeHeld();
            }
        }
    }

    /** The held frames, leaving an empty list in their place. Called holding {@code this}. */
    private ArrayList<String> takeHeld() {
        ArrayList<String> frames = held;
        held = spare != null ? spare : new ArrayList<>(4);
        spare = null;
        return frames;
    }

    /** Hands one frame to Jetty; {@code more} lets Jetty keep it to write with the next. Never called holding {@code this}. */
    private void write(String frame, boolean more) {
        Written done = new Written(frame.length());
        if (core == null) {
            session.sendText(frame, Callback.from(done::succeeded, done::failed));
        } else {
            core.sendFrame(new Frame(OpCode.TEXT, true, ByteBuffer.wrap(Utf8.of(frame))), done, more);
        }
    }

    private void written(int length) {
        queuedFrames.decrementAndGet();
        queuedChars.addAndGet(-length);
    }

    /** Counts a frame out of the queue when Jetty has written it, or failed to. Cheap: Jetty may call it on its selector. */
    private final class Written implements org.eclipse.jetty.util.Callback {
        private final int length;

        Written(int length) {
            this.length = length;
        }

        @Override
        public void succeeded() {
            written(length);
        }

        @Override
        public void failed(Throwable failure) {
            written(length);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    /**
     * The UTF-8 bytes of a frame, remembered per thread for the last frame: a broadcast hands the same
     * frame to every receiver in turn, so it is encoded once, not once per receiver.
     */
    private static final class Utf8 {
        private static final ThreadLocal<Utf8> LAST = ThreadLocal.withInitial(Utf8::new);
        private String frame;
        private byte[] bytes;

        static byte[] of(String frame) {
            Utf8 last = LAST.get();
            if (last.frame != frame) {
                last.bytes = frame.getBytes(StandardCharsets.UTF_8);
                last.frame = frame;
            }
            return last.bytes;
        }
    }

    @Override
    public void close(int code, String reason) {
        if (!closed.compareAndSet(false, true)) return;
        flush(); // what was sent before the close goes before it
        // A close reason is limited to 123 bytes by RFC 6455.
        session.close(code, truncate(reason), Callback.NOOP);
    }

    /** Drops the TCP connection without a close handshake, for a peer that no longer reads. */
    void disconnect() {
        closed.set(true);
        session.disconnect();
    }

    /** How many frames wait to be written. */
    int queuedFrames() {
        return queuedFrames.get();
    }

    /** Marks the outlet closed after the socket closed by itself, so that later sends are refused. */
    void markClosed() {
        closed.set(true);
    }

    @Override
    public boolean isOpen() {
        return !closed.get() && session.isOpen();
    }

    @Override
    public String remote() {
        return remote;
    }

    static String truncate(String reason) {
        if (reason == null) return null;
        byte[] bytes = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length <= 123) return reason;
        int end = Math.min(reason.length(), 120);
        while (end > 0 && reason.substring(0, end).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 120) end--;
        return reason.substring(0, end) + "...";
    }
}
