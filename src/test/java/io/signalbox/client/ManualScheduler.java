package io.signalbox.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs nothing until the test {@linkplain #advance advances} time, and then runs what
 * fell due, in order, on the test's thread, moving its {@link FakeClock} to each task's time. So timer
 * logic (timeouts, heartbeat, backoff) is tested step by step, without sleeping.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final FakeClock clock;
    /** Tasks not yet due or not cancelled, earliest first; added by schedule*, taken by advance. Guarded by this. */
    private final PriorityQueue<Task<?>> tasks = new PriorityQueue<>();
    /** Tie-breaker so that tasks due at the same instant run in the order they were scheduled. Guarded by this. */
    private long scheduled;

    public ManualScheduler(FakeClock clock) {
        this.clock = clock;
    }

    /** Moves time forward by {@code duration}, running every task that falls due on the way. */
    public void advance(Duration duration) {
        Instant target = clock.instant().plus(duration);
        while (true) {
            Task<?> task;
            synchronized (this) {
                task = tasks.peek();
                if (task == null || task.due.isAfter(target)) break;
                tasks.poll();
            }
            if (task.due.isAfter(clock.instant())) clock.set(task.due);
            task.run(); // outside the lock: a task may schedule more
        }
        clock.set(target);
    }

    /** Runs what is due now without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** How many tasks are waiting (cancelled ones are removed). */
    public synchronized int pendingCount() {
        return tasks.size();
    }

    /** The delays from now of the waiting tasks, earliest first. */
    public synchronized List<Duration> pendingDelays() {
        List<Task<?>> sorted = new ArrayList<>(tasks);
        sorted.sort(null);
        return sorted.stream().map(t -> Duration.between(clock.instant(), t.due)).toList();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(new Task<>(() -> {
            command.run();
            return null;
        }, due(delay, unit), null));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(new Task<>(callable, due(delay, unit), null));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(new Task<>(() -> {
            command.run();
            return null;
        }, due(initialDelay, unit), Duration.ofNanos(unit.toNanos(period))));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }

    private Instant due(long delay, TimeUnit unit) {
        return clock.instant().plusNanos(unit.toNanos(delay));
    }

    private synchronized <V> Task<V> add(Task<V> task) {
        task.order = scheduled++;
        tasks.add(task);
        return task;
    }

    private synchronized void remove(Task<?> task) {
        tasks.remove(task);
    }

    private final class Task<V> implements ScheduledFuture<V> {
        private final Callable<V> body;
        /** The interval of a periodic task, or null for a one-shot. */
        private final Duration period;
        /** When it runs next; moved by run() for a periodic task. */
        private volatile Instant due;
        /** Position among tasks due at the same instant; set by add(). */
        private volatile long order;
        /** Set by cancel(). */
        private volatile boolean cancelled;
        /** Set when a one-shot task ran. */
        private volatile boolean done;
        /** What the body returned when it last ran. */
        private volatile V result;

        Task(Callable<V> body, Instant due, Duration period) {
            this.body = body;
            this.due = due;
            this.period = period;
        }

        void run() {
            if (cancelled) return;
            try {
                result = body.call();
            } catch (Exception e) {
                throw new AssertionError("a scheduled task failed", e);
            }
            if (period == null) {
                done = true;
            } else if (!cancelled) {
                due = due.plus(period);
                add(this);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(clock.instant(), due));
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> that = (Task<?>) other;
            int byDue = due.compareTo(that.due);
            return byDue != 0 ? byDue : Long.compare(order, that.order);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done || cancelled) return false;
            cancelled = true;
            remove(this);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public V get() {
            if (!done) throw new IllegalStateException("not run yet: advance the ManualScheduler");
            return result;
        }

        @Override
        public V get(long timeout, TimeUnit unit) {
            return get();
        }
    }
}
