package io.signalbox.server;

import io.signalbox.protocol.CloseCodes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Outlet} on a Jetty WebSocket session. Jetty queues asynchronous writes without limit, so
 * this counts what is queued and not yet written, and refuses frames once either bound is passed:
 * one receiver that does not read must never grow the server's memory or slow the others. What to do
 * then (tell the session, close with a reason) is the owner's, told through {@code onOverflow}, which
 * must not run on the sender's thread: the sender may hold locks.
 */
final class JettyOutlet implements Outlet {
    private static final Logger log = LoggerFactory.getLogger(JettyOutlet.class);

    private final Session session;
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

    JettyOutlet(Session session, int maxFrames, long maxBytes, Consumer<JettyOutlet> onOverflow) {
        this.session = session;
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
        int length = frame.length();
        session.sendText(frame, Callback.from(() -> written(length), failure -> written(length)));
        return true;
    }

    private void written(int length) {
        queuedFrames.decrementAndGet();
        queuedChars.addAndGet(-length);
    }

    @Override
    public void close(int code, String reason) {
        if (!closed.compareAndSet(false, true)) return;
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
