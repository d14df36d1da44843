package io.signalbox.client.internal;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in the order they were submitted, on a thread of its own that it starts
 * when work arrives and that ends after it has been idle for a while. So a session that is done with
 * holds no thread and needs no shutdown.
 *
 * <p>A thread pool with {@code allowCoreThreadTimeOut} is not used because, as its last worker times
 * out, a task submitted at that instant can start on a fresh worker ahead of one still queued, and
 * order is the point of this class.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final ThreadFactory threads;
    private final long keepAliveNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition taskAdded = lock.newCondition();

    /** Tasks not yet started, oldest first; added by {@link #execute}, taken by the runner. Guarded by lock. */
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** The thread running tasks, or null when none; started by execute, cleared by itself as it ends. Guarded by lock. */
    private Thread runner;

    /**
     * @param threadName the name of the thread that runs the tasks (a virtual thread, so daemon)
     * @param keepAlive  how long that thread waits for more work before it ends, in milliseconds
     */
    public SerialExecutor(String threadName, long keepAlive) {
        // Virtual: every session has two of these, and a process may hold a thousand sessions (a load
        // generator, a test of reconnection storms); a platform thread each would be thousands of stacks.
        this.threads = Thread.ofVirtual().name(Objects.requireNonNull(threadName)).factory();
        this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAlive);
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        lock.lock();
        try {
            tasks.add(task);
            if (runner == null) {
                runner = threads.newThread(this::run);
                runner.start();
            } else {
                taskAdded.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the calling thread is the one running this executor's tasks. */
    public boolean isRunnerThread() {
        lock.lock();
        try {
            return Thread.currentThread() == runner;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            Runnable task = next();
            if (task == null) return;
            try {
                task.run();
            } catch (Throwable t) {
                log.error("a task on {} failed", Thread.currentThread().getName(), t);
            }
        }
    }

    /** The next task, waiting up to the keep-alive for one; null (and the runner cleared) when none came. */
    private Runnable next() {
        lock.lock();
        try {
            long nanos = keepAliveNanos;
            Runnable task;
            while ((task = tasks.poll()) == null) {
                if (nanos <= 0) {
                    runner = null;
                    return null;
                }
                try {
                    nanos = taskAdded.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    // Nobody but this class owns the thread; an interrupt only cuts the idle wait short.
                    nanos = 0;
                }
            }
            return task;
        } finally {
            lock.unlock();
        }
    }
}
