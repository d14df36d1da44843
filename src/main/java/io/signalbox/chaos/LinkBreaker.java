package io.signalbox.chaos;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Breaks links of a chaos run, one random client's at a time, on the run's driver thread: a TCP
 * reset, a clean TCP close, or a black hole (one way or both) for up to {@code maxBlackHole} followed
 * by a reset ({@link DropKind}).
 */
final class LinkBreaker {
    private final List<ChaosClient> clients;
    private final SplittableRandom random;
    private final ScheduledExecutorService driver;
    /** How many links to break in all. */
    private final int limit;
    private final Duration maxBlackHole;
    private final Duration minUptime;
    /** Drops made so far, by kind; driver thread only. */
    private final Map<DropKind, Integer> byKind = new EnumMap<>(DropKind.class);
    /** Drops made so far; written by the driver thread, read by the waiting one. */
    private volatile int drops;

    /**
     * @param driver       the run's driver thread, where the resets that end black holes are scheduled
     * @param limit        how many links to break in all
     * @param maxBlackHole the longest a black hole lasts before its reset
     * @param minUptime    how long a client's link is left up after it was restored before it may be
     *                     broken again, so that what waited for the reconnection gets through
     */
    LinkBreaker(List<ChaosClient> clients, SplittableRandom random, ScheduledExecutorService driver, int limit,
                Duration maxBlackHole, Duration minUptime) {
        this.clients = List.copyOf(clients);
        this.random = random;
        this.driver = driver;
        this.limit = limit;
        this.maxBlackHole = maxBlackHole;
        this.minUptime = minUptime;
    }

    /**
     * Breaks the link of a random client whose link has been up for the minimum uptime, if there is
     * one and drops are left to make.
     */
    void tick() {
        if (done()) return;
        List<ChaosClient> candidates = clients.stream()
                .filter(c -> c.mayDrop(minUptime) && !c.held() && c.linkCount() > 0)
                .toList();
        if (candidates.isEmpty()) return;
        ChaosClient victim = candidates.get(random.nextInt(candidates.size()));
        DropKind kind = DropKind.values()[random.nextInt(DropKind.values().length)];
        victim.dropped();
        switch (kind) {
            case RESET -> victim.resetLinks();
            case CLOSE -> victim.closeLinks();
            case BLACK_HOLE -> {
                FaultProxy.Direction direction = FaultProxy.Direction.values()[
                        random.nextInt(FaultProxy.Direction.values().length)];
                long holdMillis = 1 + random.nextLong(Math.max(1, maxBlackHole.toMillis()));
                victim.held(true);
                victim.blackHole(direction);
                driver.schedule(() -> {
                    victim.resetLinks();
                    victim.held(false);
                }, holdMillis, TimeUnit.MILLISECONDS);
            }
        }
        byKind.merge(kind, 1, Integer::sum);
        drops++;
    }

    boolean done() {
        return drops >= limit;
    }

    int drops() {
        return drops;
    }

    /** The drops by kind; read once the driver stopped dropping. */
    Map<DropKind, Integer> byKind() {
        return byKind;
    }
}
