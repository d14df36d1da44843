package io.signalbox.server;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket after its upgrade: Jetty's connection on the socket, reading the client's frames
 * ({@link FrameParser}) and writing the server's ({@link Frames}), and the {@link Outlet} through
 * which the connection it carries is sent to. Before authentication it carries no peer.
 *
 * <p>It keeps little of its own: no upgrade request, no read buffer while the socket is quiet (one is
 * taken from Jetty's pool for each read and given back), no write buffer but the frames waiting. On a
 * single node the reads run on Jetty's selector thread, with no hand-off to another thread per read:
 * handling a message never blocks there (routing is in memory, writes never wait). In a cluster,
 * handling a message may wait for Redis, so the reads are handed to Jetty's pool.
 *
 * <p>Writes: frames are queued and written by one thread at a time, as many as are waiting in one
 * gathering write. Frames sent by a thread with a {@link WriteBatch} open are held and written when
 * the batch ends (before the thread reads again); once frames are held, every frame sent joins them,
 * whatever the thread, so they go out in the order they were sent. What is queued and not yet written
 * is bounded: one receiver that does not read must never grow the server's memory or slow the others.
 * Past the bound the link refuses frames and tells the endpoint, which closes it as too slow.
 */
final class Link extends AbstractConnection implements Connection.UpgradeTo, Outlet, WriteBatch.Holder,
        FrameParser.Sink {
    private static final Logger log = LoggerFactory.getLogger(Link.class);
    private static final ByteBuffer[] NO_BUFFERS = new ByteBuffer[0];
    /** The size of the buffer each read takes from the pool; a frame larger than it gets one of its own. */
    private static final int READ_BUFFER_BYTES = 16 * 1024;
    /** How long a closing socket waits for the client's close before it is cut. */
    private static final long CLOSE_GRACE_MS = 5_000;

    private final SignalingEndpoint endpoint;
    private final WriteBatch.Threads batches;
    private final ByteBufferPool pool;
    private final FrameParser parser;
    private final int maxFrames;
    private final long maxBytes;
    private final long idleTimeoutMs;
    /** Jetty's callback for read readiness: run on the selector, or handed to the pool (see the class). */
    private final Callback readable;
    private final Written written = new Written();

    /** The connection this socket carries; set once, by the socket's reader, at connect. */
    volatile Peer peer;
    /** Closes the socket if it never authenticates; set at open, cancelled at connect or close. */
    volatile ScheduledFuture<?> authTimer;
    /** The client's address, for logs (the socket forgets it once closed); set at open. */
    private volatile SocketAddress remote;

    // The reader's: touched only by the thread reading the socket.
    /** Bytes read and not yet parsed (flush mode); null while there are none. */
    private ByteBuffer in;
    /** The pooled buffer {@code in} is, to be given back; null when {@code in} is the link's own. */
    private RetainableByteBuffer pooled;

    // Guarded by this.
    /** Frames waiting to be written, oldest first; null until the first. */
    private ArrayList<ByteBuffer> pending;
    /** Frames and bytes accepted and not yet written (waiting or being written). */
    private int queuedFrames;
    private long queuedBytes;
    /** Frames and bytes of the write in progress. */
    private int writingFrames;
    private long writingBytes;
    /** Whether a write is in progress: then frames sent wait for it and go in the next. */
    private boolean writing;
    /** Whether the write in progress has returned; false while the thread that began it is inside it. */
    private boolean writeReturned = true;
    /** Whether the write in progress completed before it returned, for the thread that began it to go on. */
    private boolean completedInline;
    /** Whether frames are held for a write batch, to be written when it ends. */
    private boolean holding;
    /** Whether the close frame is among the frames waiting or being written; no frame is taken after it. */
    private boolean closeQueued;
    /** Whether the write in progress carries the close frame: the output is shut when it is done. */
    private boolean writingClose;
    /** Whether the queue passed its bound; no frame is taken after it. */
    private boolean overflowed;
    /** Whether the endpoint has been told that the socket closed (it is told once). */
    private boolean reportedClosed;
    /** Whether the socket is closed or closing, for {@link #isOpen}; written under the lock. */
    private volatile boolean closed;

    Link(EndPoint endPoint, Executor executor, ByteBufferPool pool, SignalingEndpoint endpoint,
         WriteBatch.Threads batches, int maxMessageBytes, int maxFrames, long maxBytes, long idleTimeoutMs,
         boolean readOnSelector) {
        super(endPoint, executor);
        this.endpoint = endpoint;
        this.batches = batches;
        this.pool = pool;
        this.parser = new FrameParser(maxMessageBytes, this);
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.idleTimeoutMs = idleTimeoutMs;
        this.readable = Callback.from(readOnSelector ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING,
                this::onFillable, this::onFillInterestedFailed);
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        // Frames the client sent right behind its upgrade request, read with it.
        in = ByteBuffer.allocate(Math.max(buffer.remaining(), 1024));
        in.put(buffer).flip();
    }

    @Override
    public void onOpen() {
        super.onOpen();
        remote = getEndPoint().getRemoteSocketAddress();
        getEndPoint().setIdleTimeout(idleTimeoutMs);
        endpoint.onOpen(this);
        if (in != null) {
            onFillable();
        } else {
            fillInterested(readable);
        }
    }

    // ---- reading

    @Override
    public void onFillable() {
        try {
            if (in != null && in.hasRemaining()) parse();
            while (true) {
                // What the messages of the last read sent goes out before the next read (see WriteBatch).
                batches.flush();
                ByteBuffer buffer = readBuffer();
                int filled = getEndPoint().fill(buffer);
                if (filled > 0) {
                    parse();
                    continue;
                }
                keepOrRelease();
                if (filled < 0) {
                    ended();
                } else {
                    fillInterested(readable);
                }
                return;
            }
        } catch (Throwable failure) {
            batches.flush();
            keepOrRelease();
            endpoint.onError(this, failure);
            getEndPoint().close(failure);
        }
    }

    /** A buffer to read into, with room: the pool's, or the link's own holding the start of a frame. */
    private ByteBuffer readBuffer() {
        if (in != null && !in.hasRemaining()) {
            if (pooled == null) {
                in = null; // the link's own, used up: the pool's from now on
            } else {
                in.clear().flip(); // empty, in flush mode
            }
        }
        if (in == null) {
            pooled = pool.acquire(READ_BUFFER_BYTES, false);
            in = pooled.getByteBuffer();
            in.clear().flip(); // empty, in flush mode
        }
        return in;
    }

    /** Hands on every whole frame read; keeps the start of a frame not yet all read, in a buffer it fits. */
    private void parse() {
        int needed = parser.parse(in);
        if (parser.isStopped() || !in.hasRemaining()) {
            in.position(in.limit());
            return;
        }
        if (needed > in.capacity()) {
            ByteBuffer larger = ByteBuffer.allocate(needed);
            larger.put(in).flip();
            keepOrRelease();
            in = larger;
        } else {
            in.compact().flip();
        }
    }

    /**
     * Gives the read buffer back to the pool once this read is done with it. The start of a frame not
     * yet all read is kept, in a buffer of the link's own: a pooled buffer never outlives the read.
     */
    private void keepOrRelease() {
        if (in == null) return;
        if (in.hasRemaining()) {
            if (pooled == null) return;
            ByteBuffer own = ByteBuffer.allocate(Math.max(READ_BUFFER_BYTES, in.remaining()));
            own.put(in).flip();
            pooled.release();
            pooled = null;
            in = own;
            return;
        }
        if (pooled != null) pooled.release();
        pooled = null;
        in = null;
    }

    /** The client closed its side of the TCP connection. */
    private void ended() {
        report(Frames.ABNORMAL, "the client closed the connection");
        getEndPoint().close();
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        // Idle for longer than the timeout, or the socket failed: nothing more will be read.
        getEndPoint().close(cause);
    }

    @Override
    public void onText(String message) {
        endpoint.onMessage(this, message);
    }

    @Override
    public void onBinary() {
        endpoint.onBinary(this);
    }

    @Override
    public void onPing(byte[] payload) {
        queueControl(Frames.frame(Frames.PONG, payload, payload.length));
    }

    @Override
    public void onCloseFrame(int code, String reason) {
        // The client's close, or its answer to ours: answered in kind, then the client ends the TCP connection.
        queueClose(code == Frames.NO_STATUS ? Frames.frame(Frames.CLOSE, new byte[0], 0) : Frames.close(code, ""));
        report(code, reason);
    }

    @Override
    public void onViolation(int code, String reason) {
        endpoint.onViolation(this, code, reason);
    }

    // ---- writing

    @Override
    public boolean send(String frame) {
        ByteBuffer bytes = Frames.text(frame);
        WriteBatch batch;
        int frames;
        long queued;
        synchronized (this) {
            if (closeQueued || overflowed) return false;
            frames = queuedFrames;
            queued = queuedBytes;
            if (frames + 1 > maxFrames || queued + bytes.remaining() > maxBytes) {
                overflowed = true;
                batch = null;
            } else {
                enqueue(bytes);
                if (writing || holding) return true;
                batch = batches.current();
                if (batch == null) {
                    writing = true; // this thread writes, below
                } else {
                    holding = true;
                }
            }
        }
        if (batch != null) {
            batch.hold(this);
        } else if (frames + 1 > maxFrames || queued + bytes.remaining() > maxBytes) {
            log.warn("{} is too slow: {} frames ({} bytes) wait to be written", remote(), frames, queued);
            endpoint.onOverflow(this);
            return false;
        } else {
            write();
        }
        return true;
    }

    /** Writes the frames held for a write batch, and any that join them meanwhile. */
    @Override
    public void flush() {
        synchronized (this) {
            if (!holding) return;
            holding = false;
            if (writing) return; // the write in progress takes them when it is done
            writing = true;
        }
        write();
    }

    /** Queues a control frame: not bounded, never held for a batch, written after what waits before it. */
    private void queueControl(byte[] frame) {
        queueUnbounded(frame, false);
    }

    /** Queues the close frame, after every frame sent before it; nothing is taken after it. */
    private void queueClose(byte[] frame) {
        queueUnbounded(frame, true);
    }

    private void queueUnbounded(byte[] frame, boolean close) {
        synchronized (this) {
            if (closeQueued) return;
            enqueue(ByteBuffer.wrap(frame));
            if (close) {
                closeQueued = true;
                closed = true;
            }
            if (writing) return;
            holding = false;
            writing = true;
        }
        write();
    }

    /** Adds a frame to the waiting ones. Called holding {@code this}. */
    private void enqueue(ByteBuffer frame) {
        if (pending == null) pending = new ArrayList<>(4);
        pending.add(frame);
        queuedFrames++;
        queuedBytes += frame.remaining();
    }

    /**
     * Writes what waits, again and again while more comes and the writes complete at once. Called by
     * the thread that set {@code writing}; a write that completes later goes on from its callback.
     */
    private void write() {
        while (true) {
            ByteBuffer[] frames;
            synchronized (this) {
                if (holding || pending == null || pending.isEmpty()) {
                    writing = false;
                    return;
                }
                frames = pending.toArray(NO_BUFFERS);
                pending.clear();
                writingFrames = frames.length;
                writingBytes = 0;
                for (ByteBuffer frame : frames) writingBytes += frame.remaining();
                writingClose = closeQueued;
                writeReturned = false;
                completedInline = false;
            }
            getEndPoint().write(written, frames);
            synchronized (this) {
                writeReturned = true;
                if (!completedInline) return; // the callback goes on when the write is done
            }
        }
    }

    /** The end of a write: counts its frames out, shuts the output after the close, goes on with what waits. */
    private final class Written implements Callback {
        @Override
        public void succeeded() {
            boolean shut;
            boolean goOn;
            synchronized (Link.this) {
                queuedFrames -= writingFrames;
                queuedBytes -= writingBytes;
                shut = writingClose;
                if (!writeReturned) {
                    completedInline = true; // the thread in write() goes on
                    goOn = false;
                } else {
                    goOn = true;
                }
            }
            if (shut) {
                getEndPoint().shutdownOutput();
                getEndPoint().setIdleTimeout(CLOSE_GRACE_MS);
            }
            if (goOn) write();
        }

        @Override
        public void failed(Throwable failure) {
            synchronized (Link.this) {
                closeQueued = true;
                closed = true;
                if (pending != null) pending.clear();
                queuedFrames = 0;
                queuedBytes = 0;
                writeReturned = true;
                writing = false;
            }
            getEndPoint().close(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    // ---- closing

    @Override
    public void close(int code, String reason) {
        queueClose(Frames.close(code, reason));
    }

    /** Drops the TCP connection without a close handshake, for a peer that no longer reads. */
    void disconnect() {
        closed = true;
        getEndPoint().close();
    }

    @Override
    public void onClose(Throwable cause) {
        synchronized (this) {
            closeQueued = true;
            closed = true;
            if (pending != null) pending.clear();
        }
        report(Frames.ABNORMAL, cause == null ? "the connection closed" : cause.toString());
        super.onClose(cause);
    }

    /** Tells the endpoint the socket closed, once: the first close frame read, or else the end of the connection. */
    private void report(int code, String reason) {
        synchronized (this) {
            closed = true;
            if (reportedClosed) return;
            reportedClosed = true;
        }
        parser.stop();
        endpoint.onClose(this, code, reason);
    }

    @Override
    public boolean isOpen() {
        return !closed && getEndPoint().isOpen();
    }

    @Override
    public String remote() {
        return String.valueOf(remote);
    }
}
