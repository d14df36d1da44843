package io.signalbox.soak;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What a soak run does. Start from {@link #defaults()} and change what differs.
 *
 * @param duration       how long the traffic runs, settling and the final reading not counted
 * @param clients        SDK clients, spread over the sessions in blocks
 * @param sessions       signaling sessions the clients are spread over; each gets at least 2
 * @param rate           signals per second in all: client broadcasts and private signals, REST signals
 * @param interval       time between two progress lines, each with a reading of the server
 * @param dropsPerMinute links cut per minute in all, each a random client's whose link is up
 * @param maxOffline     the longest a cut client stays offline before it may reconnect
 * @param seed           the seed of every random choice of the run
 */
public record SoakOptions(Duration duration, int clients, int sessions, int rate, Duration interval,
                          int dropsPerMinute, Duration maxOffline, long seed) {

    public SoakOptions {
        positive(duration, "the duration");
        positive(interval, "the interval");
        positive(maxOffline, "the longest offline time");
        if (clients < 2) throw new IllegalArgumentException("a soak needs at least 2 clients, not " + clients);
        if (sessions < 1) throw new IllegalArgumentException("a soak needs at least 1 session, not " + sessions);
        if (clients < 2 * sessions) {
            throw new IllegalArgumentException(clients + " clients cannot fill " + sessions + " sessions with at least 2 each");
        }
        if (rate < 1) throw new IllegalArgumentException("the rate must be at least 1 signal a second, not " + rate);
        if (dropsPerMinute < 0) throw new IllegalArgumentException("drops per minute must not be negative: " + dropsPerMinute);
        if (maxOffline.compareTo(Duration.ofSeconds(30)) > 0) {
            // The server keeps a dropped connection for its reconnection window, 60 s unless told.
            throw new IllegalArgumentException("the longest offline time is 30 s, well within the reconnection window; not " + maxOffline);
        }
    }

    /**
     * 30 minutes; 1000 clients in 10 sessions of 100; 200 signals a second; a progress line every
     * minute; 60 drops a minute, each client offline for up to 5 s; a new seed.
     */
    public static SoakOptions defaults() {
        return new SoakOptions(Duration.ofMinutes(30), 1000, 10, 200, Duration.ofSeconds(60), 60,
                Duration.ofSeconds(5), new SplittableRandom().nextLong());
    }

    public SoakOptions withDuration(Duration duration) {
        return new SoakOptions(duration, clients, sessions, rate, interval, dropsPerMinute, maxOffline, seed);
    }

    public SoakOptions withClients(int clients, int sessions) {
        return new SoakOptions(duration, clients, sessions, rate, interval, dropsPerMinute, maxOffline, seed);
    }

    public SoakOptions withRate(int rate) {
        return new SoakOptions(duration, clients, sessions, rate, interval, dropsPerMinute, maxOffline, seed);
    }

    public SoakOptions withInterval(Duration interval) {
        return new SoakOptions(duration, clients, sessions, rate, interval, dropsPerMinute, maxOffline, seed);
    }

    public SoakOptions withDrops(int dropsPerMinute, Duration maxOffline) {
        return new SoakOptions(duration, clients, sessions, rate, interval, dropsPerMinute, maxOffline, seed);
    }

    public SoakOptions withSeed(long seed) {
        return new SoakOptions(duration, clients, sessions, rate, interval, dropsPerMinute, maxOffline, seed);
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException(name + " must be positive: " + duration);
    }
}
