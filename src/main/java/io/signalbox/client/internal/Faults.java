package io.signalbox.client.internal;

import io.signalbox.client.FaultInjector;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fault injector of one session. It wraps the session's transports: while no fault was ever asked
 * for, a wrapped transport passes every call straight through, so the injector costs a volatile read
 * per frame and nothing more.
 */
public final class Faults implements FaultInjector {
    private final Transport.Factory real;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    /** Called to drop the session's current link; set by the session once it exists. */
    private volatile Runnable dropCurrent = () -> {};
    /** Until when new links fail as if there were no network; null when online. Set by goOffline. */
    private volatile Instant offlineUntil;
    /** Whether new links fail until released; set by block/release. */
    private volatile boolean blocked;
    /** The delay added to every frame, each way; zero when none. */
    private volatile Duration latency = Duration.ZERO;

    public Faults(Transport.Factory real, Clock clock, ScheduledExecutorService scheduler) {
        this.real = Objects.requireNonNull(real, "real");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** The factory the session uses: real transports, wrapped so faults can reach them. */
    public Transport.Factory factory() {
        return () -> new FaultyTransport(real.create());
    }

    /** Tells the injector how to drop the session's current link. */
    public void onDrop(Runnable dropCurrent) {
        this.dropCurrent = Objects.requireNonNull(dropCurrent, "dropCurrent");
    }

    @Override
    public void dropLink() {
        dropCurrent.run();
    }

    @Override
    public void goOffline(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) throw new IllegalArgumentException("duration must not be negative");
        offlineUntil = clock.instant().plus(duration);
        dropCurrent.run();
    }

    @Override
    public void blockReconnection() {
        blocked = true;
    }

    @Override
    public void releaseReconnection() {
        blocked = false;
    }

    @Override
    public void setLatency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) throw new IllegalArgumentException("latency must not be negative");
        this.latency = latency;
    }

    @Override
    public State state() {
        Instant until = offlineUntil;
        if (until != null && !clock.instant().isBefore(until)) until = null;
        return new State(until, blocked, latency);
    }

    /** Why a new link may not open now, or null when it may. */
    private String refusal() {
        Instant until = offlineUntil;
        if (until != null && clock.instant().isBefore(until)) return "offline (fault injected) until " + until;
        if (blocked) return "reconnection blocked (fault injected)";
        return null;
    }

    /** A transport that faults can reach; straight through while there are none. */
    private final class FaultyTransport implements Transport {
        private final Transport inner;
        /** When the last delayed frame each way is due, so frames never overtake each other. */
        private long lastOutDue;
        private long lastInDue;

        FaultyTransport(Transport inner) {
            this.inner = inner;
        }

        @Override
        public void open(URI uri, TransportListener listener) {
            String refusal = refusal();
            if (refusal != null) {
                // As a network that is down: the attempt fails, a little later, never at once.
                scheduler.schedule(() -> listener.onFailure(new java.net.ConnectException(refusal)),
                        50, TimeUnit.MILLISECONDS);
                return;
            }
            inner.open(uri, new TransportListener() {
                @Override
                public void onOpen() {
                    listener.onOpen();
                }

                @Override
                public void onMessage(String frame) {
                    Duration delay = latency;
                    if (delay.isZero()) {
                        listener.onMessage(frame);
                    } else {
                        delayed(true, delay, () -> listener.onMessage(frame));
                    }
                }

                @Override
                public void onClosed(int code, String reason) {
                    listener.onClosed(code, reason);
                }

                @Override
                public void onFailure(Throwable failure) {
                    listener.onFailure(failure);
                }
            });
        }

        @Override
        public void send(String frame) {
            Duration delay = latency;
            if (delay.isZero()) {
                inner.send(frame);
            } else {
                delayed(false, delay, () -> inner.send(frame));
            }
        }

        private void delayed(boolean in, Duration delay, Runnable task) {
            long due;
            synchronized (this) {
                long now = System.nanoTime();
                long last = in ? lastInDue : lastOutDue;
                due = Math.max(now + delay.toNanos(), last);
                if (in) lastInDue = due; else lastOutDue = due;
            }
            scheduler.schedule(task, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        @Override
        public void close(int code, String reason) {
            inner.close(code, reason);
        }

        @Override
        public void abort() {
            inner.abort();
        }
    }
}
