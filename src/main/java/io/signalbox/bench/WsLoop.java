package io.signalbox.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread that runs many {@link WsConn}s: their reads, their writes, and any task handed
 * to it. Everything a connection does happens on its loop's thread, so a connection needs no lock;
 * other threads reach it through {@link #execute}.
 *
 * <p>The generator needs one or two of these for thousands of sockets: a thread per socket would cost
 * the CPU the server is meant to have.
 */
final class WsLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WsLoop.class);

    private final Selector selector;
    private final Thread thread;
    /** Work handed in by other threads; drained by the loop after each select. */
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Whether a wakeup is already on its way, so that a burst of tasks costs one wakeup syscall. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** Cleared once by close(); the loop ends at its next turn. */
    private volatile boolean running = true;
    /** Where every socket of this loop reads into; only the loop thread touches it. */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    /** Where frames are put together before a write; only the loop thread touches it. */
    private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(80 * 1024);
    /** The connections this loop runs, in the order they started; only the loop thread touches it. */
    final java.util.List<WsConn> conns = new java.util.ArrayList<>();
    /** Latencies seen by the connections of this loop; only the loop thread records into it. */
    final LatencyHistogram latencies = new LatencyHistogram();

    WsLoop(String name) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** The loop's write buffer, cleared, with room for at least {@code bytes}; loop thread only. */
    ByteBuffer writeBuffer(int bytes) {
        if (writeBuffer.capacity() < bytes) writeBuffer = ByteBuffer.allocateDirect(bytes);
        return writeBuffer.clear();
    }

    Selector selector() {
        return selector;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs a task on the loop's thread: at once when called there, else at the loop's next turn. */
    void execute(Runnable task) {
        if (inLoop()) {
            task.run();
            return;
        }
        tasks.add(task);
        if (wakeupPending.compareAndSet(false, true)) selector.wakeup();
    }

    private void run() {
        while (running) {
            try {
                selector.select(50);
            } catch (IOException e) {
                log.warn("selector failed", e);
                return;
            }
            wakeupPending.set(false);
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("a task on {} failed", thread.getName(), e);
                }
            }
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                WsConn conn = (WsConn) key.attachment();
                try {
                    conn.ready(key);
                } catch (RuntimeException e) {
                    log.warn("a connection on {} failed", thread.getName(), e);
                    conn.fail("generator error: " + e);
                }
            }
        }
        for (SelectionKey key : selector.keys()) ((WsConn) key.attachment()).fail("generator stopped");
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("closing the selector failed", e);
        }
    }

    /** Stops the loop and closes its sockets; waits up to two seconds for the thread to end. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
