package io.signalbox.chaos;

import static io.signalbox.chaos.Waits.awaitQuietly;
import static io.signalbox.chaos.Waits.deadline;
import static io.signalbox.chaos.Waits.waitUntil;

import io.signalbox.client.Connection;
import io.signalbox.client.Session;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A chaos scenario for the signaling contract: clients in one session send signals without pause
 * while their links are broken at random, and then every send is checked against what every client
 * received.
 *
 * <p>A run:
 * <ol>
 *   <li>joins {@code clients} sessions to one session of the server, each through its own
 *       {@link FaultProxy}, and waits until each sees all the others;</li>
 *   <li>lets each client send a signal every {@code sendInterval}: to everyone or to a random other
 *       client, with retry after reconnect or without, chosen at random; each signal's data says who
 *       sent it, its number among that sender's signals and its retry setting
 *       ({@link SignalTag}, e.g. {@code s3#1042#r});</li>
 *   <li>meanwhile, every {@code dropInterval}, breaks the link of one random client whose link has
 *       been up for at least {@code minUptime} (so that each reconnection gets to deliver what waited
 *       for it before the next drop): a TCP reset, a clean TCP close, or a black hole (one way or both) for up to
 *       {@code maxBlackHole} followed by a reset ({@link DropKind});</li>
 *   <li>after {@code drops} drops (or when {@code timeLimit} runs out), waits for every link to be up,
 *       stops sending, has each client send a last signal to everyone, waits for every future and for
 *       every client to receive everyone's last signal (all bounded by {@code settleTimeout}), and
 *       disconnects everyone;</li>
 *   <li>checks the records ({@link ChaosCheck}) and measures the reconnections.</li>
 * </ol>
 * Every random choice comes from one seed, which the run reports at its start and in its report, so a
 * failing run can be repeated (the timing of the network can not be, so a repeat is likely, not
 * certain, to fail the same way).
 *
 * <p>One thread drives the sends and the drops; the SDK's timers share one more. Every wait is
 * bounded.
 */
public final class ChaosRun {
    /** How long the clients may take to join; longer than the SDK's own connect timeout (10 s). */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(15);
    /** How long the final disconnects may take. */
    private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Options options;
    private final Consumer<String> progress;

    /**
     * @param options  what to run
     * @param progress where the run says what it is doing, a line at a time (its seed first)
     */
    public ChaosRun(Options options, Consumer<String> progress) {
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Starts a server with {@code config}, runs against it, and stops it. */
    public ChaosReport run(ServerConfig config) {
        try (SignalboxServer server = SignalboxServer.start(config)) {
            return run(server);
        }
    }

    /**
     * Runs against a server that is already running, in a new session of it. The server stays up.
     *
     * @throws IllegalStateException when the clients cannot join the session
     * @throws UncheckedIOException  when a proxy cannot be started
     */
    public ChaosReport run(SignalboxServer server) {
        progress.accept("chaos: seed " + options.seed() + ", " + options.clients() + " clients, "
                + options.drops() + " drops, one every " + options.dropInterval().toMillis()
                + " ms, each client sending every " + options.sendInterval().toMillis() + " ms");
        SplittableRandom random = new SplittableRandom(options.seed());
        ScheduledExecutorService driver = singleThread("signalbox-chaos-driver");
        ScheduledExecutorService sdkTimers = singleThread("signalbox-chaos-sdk-timers");
        List<ChaosClient> clients = new ArrayList<>();
        long started = System.nanoTime();
        try {
            String sessionId = server.createSessionId();
            for (int i = 0; i < options.clients(); i++) {
                clients.add(client(i, server, sessionId, random.split(), sdkTimers));
            }
            List<Connection> everyone = join(server, sessionId, clients);
            return exercise(clients, everyone, random.split(), driver, started);
        } finally {
            disconnect(clients); // again, for a run that failed before its own: disconnect() is idempotent
            for (ChaosClient client : clients) client.closeProxies();
            driver.shutdownNow();
            sdkTimers.shutdownNow();
        }
    }

    private ChaosClient client(int index, SignalboxServer server, String sessionId, SplittableRandom random,
                               ScheduledExecutorService sdkTimers) {
        FaultProxy proxy;
        try {
            proxy = FaultProxy.start(server.port());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the proxy of client " + index, e);
        }
        SplittableRandom backoff = random.split();
        return new ChaosClient(index, List.of(proxy), random, listener -> Session.builder(proxy.uri(), sessionId)
                .listener(listener)
                .scheduler(sdkTimers)
                .reconnectBackoff(options.backoffFirst(), options.backoffCap())
                .random(backoff)
                .build());
    }

    /**
     * Joins everyone and waits until each sees all the others; then tells each everyone's connection.
     *
     * @return everyone's connection, by client index
     */
    private List<Connection> join(SignalboxServer server, String sessionId, List<ChaosClient> clients) {
        List<CompletableFuture<Void>> joins = clients.stream()
                .map(c -> c.session().connect(server.tokens().mintJwt(sessionId, Role.PUBLISHER,
                        "name=chaos" + c.index, Duration.ofHours(1))))
                .toList();
        try {
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new))
                    .get(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the chaos clients could not join session " + sessionId + ": "
                    + (e.getCause() != null ? e.getCause() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining", e);
        }
        boolean allSeen = waitUntil(() -> clients.stream()
                .allMatch(c -> c.session().getConnections().size() == clients.size()), deadline(JOIN_TIMEOUT));
        if (!allSeen) throw new IllegalStateException("the chaos clients did not all see each other within " + JOIN_TIMEOUT);
        List<Connection> everyone = clients.stream().map(c -> c.session().getConnection()).toList();
        for (ChaosClient client : clients) client.peers(0, everyone);
        return everyone;
    }

    /** Sends and drops, then settles, checks and reports. */
    private ChaosReport exercise(List<ChaosClient> clients, List<Connection> everyone, SplittableRandom random,
                                 ScheduledExecutorService driver, long started) {
        List<ScheduledFuture<?>> senders = new ArrayList<>();
        long sendNanos = options.sendInterval().toNanos();
        for (ChaosClient client : clients) {
            long offset = sendNanos * client.index / clients.size();
            senders.add(driver.scheduleAtFixedRate(guarded(client::sendOne), offset, sendNanos, TimeUnit.NANOSECONDS));
        }
        LinkBreaker dropper = new LinkBreaker(clients, random, driver, options.drops(), options.maxBlackHole(),
                options.minUptime());
        ScheduledFuture<?> dropping = driver.scheduleWithFixedDelay(guarded(dropper::tick),
                options.dropInterval().toNanos(), options.dropInterval().toNanos(), TimeUnit.NANOSECONDS);
        boolean allDropped = waitUntil(() -> dropper.done() || clients.stream().allMatch(ChaosClient::gone),
                deadline(options.timeLimit()));
        dropping.cancel(false);
        if (!allDropped) progress.accept("chaos: time ran out after " + dropper.drops() + " drops");

        long settleBy = deadline(options.settleTimeout());
        waitUntil(() -> clients.stream().allMatch(c -> c.gone() || c.settled()), settleBy);
        for (ScheduledFuture<?> sender : senders) sender.cancel(false);
        // The driver runs one task at a time: once this one ran, no send is under way any more.
        awaitQuietly(driver.submit(() -> { }), settleBy);
        for (ChaosClient client : clients) client.sendLast();

        List<CompletableFuture<Void>> futures = clients.stream().flatMap(c -> c.futures().stream()).toList();
        awaitQuietly(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)), settleBy);
        List<Integer> live = clients.stream().filter(c -> !c.gone()).map(c -> c.index).toList();
        waitUntil(() -> clients.stream().filter(c -> !c.gone()).allMatch(c -> c.heardLastFrom(live)), settleBy);

        // Outcomes before the disconnects, which would fail what is still pending; what was received
        // after them, so that a late duplicate is seen too (no signal is reported after onDisconnected).
        List<SendRecord> sends = clients.stream().flatMap(c -> c.outcomes().stream()).toList();
        disconnect(clients);
        List<List<Received>> inboxes = clients.stream().map(ChaosClient::inbox).toList();
        return report(clients, everyone, sends, inboxes, dropper, Duration.ofNanos(System.nanoTime() - started));
    }

    private ChaosReport report(List<ChaosClient> clients, List<Connection> everyone, List<SendRecord> sends,
                               List<List<Received>> inboxes, LinkBreaker dropper, Duration elapsed) {
        List<String> ids = everyone.stream().map(Connection::getConnectionId).toList();
        ChaosCheck.Findings found = new ChaosCheck(ids).check(sends, inboxes);

        List<Duration> times = clients.stream().flatMap(c -> c.reconnectTimes().stream()).sorted().toList();
        Duration median = times.isEmpty() ? Duration.ZERO : times.get(times.size() / 2);
        Duration worst = times.isEmpty() ? Duration.ZERO : times.getLast();

        List<String> problems = new ArrayList<>();
        for (ChaosClient client : clients) {
            if (client.gone()) problems.add("c" + client.index + " was disconnected: " + client.goneWhy());
            for (String error : client.errors()) problems.add("c" + client.index + " heard onError " + error);
        }
        problems.addAll(found.problems());
        return new ChaosReport(options.seed(), clients.size(), dropper.drops(), found.sent(), found.delivered(),
                found.failed(), found.lost(), found.duplicated(), found.reordered(), found.pending(), median, worst,
                options.drops(), dropper.byKind(),
                new ChaosReport.Sends(found.toEveryone(), found.toOne(), found.retryOn(), found.retryOff()),
                found.acknowledged(), found.failures(), found.phantom(), found.retryFailed(), found.unknown(),
                found.unexpected(), clients.stream().mapToLong(ChaosClient::missed).sum(),
                unreported(found.lostAfterAckAt(), clients),
                clients.stream().mapToInt(ChaosClient::reconnections).sum(),
                (int) clients.stream().filter(ChaosClient::gone).count(),
                clients.stream().mapToLong(ChaosClient::errorCount).sum(),
                new ChaosReport.Resumed(clients.stream().mapToLong(ChaosClient::resent).sum(),
                        clients.stream().mapToLong(ChaosClient::queuedSent).sum(),
                        clients.stream().mapToLong(ChaosClient::replayed).sum()),
                elapsed, problems);
    }

    /**
     * The lost deliveries of acknowledged signals that no onSignalsMissed accounts for. The SDK tells a
     * count, not which signals, so a receiver's losses count as reported up to the count it was told.
     */
    private static long unreported(List<Long> lostAfterAckAt, List<ChaosClient> clients) {
        long unreported = 0;
        for (ChaosClient client : clients) {
            unreported += Math.max(0, lostAfterAckAt.get(client.index) - client.missed());
        }
        return unreported;
    }

    private void disconnect(List<ChaosClient> clients) {
        CompletableFuture<?>[] leaving = clients.stream().map(c -> c.session().disconnect())
                .toArray(CompletableFuture[]::new);
        awaitQuietly(CompletableFuture.allOf(leaving), deadline(DISCONNECT_TIMEOUT));
    }

    /** A periodic task that survives its own failure: a scheduled task that throws is never run again. */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                progress.accept("chaos: the driver failed: " + e);
            }
        };
    }

    private static ScheduledExecutorService singleThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon(true).factory());
    }

    /**
     * What a chaos run does. Start from {@link #defaults()} and change what differs.
     *
     * @param clients       how many clients join the session; at least 2
     * @param drops         how many links to break
     * @param dropInterval  the pause between two drops
     * @param sendInterval  how often each client sends a signal
     * @param maxBlackHole  the longest a black hole lasts before its reset
     * @param minUptime     how long a client's link is left up after it was restored before it may be
     *                      broken again, so that what waited for the reconnection gets through
     * @param timeLimit     the longest the sending and dropping may last, should drops be slow to make
     * @param settleTimeout the longest the run then waits for links, futures and last signals, in all
     * @param backoffFirst  the SDK's first reconnection wait bound
     * @param backoffCap    the SDK's largest reconnection wait bound
     * @param seed          the seed of every random choice
     */
    public record Options(int clients, int drops, Duration dropInterval, Duration sendInterval,
                          Duration maxBlackHole, Duration minUptime, Duration timeLimit, Duration settleTimeout,
                          Duration backoffFirst, Duration backoffCap, long seed) {

        public Options {
            if (clients < 2) throw new IllegalArgumentException("a chaos run needs at least 2 clients, not " + clients);
            if (drops < 0) throw new IllegalArgumentException("drops must not be negative: " + drops);
            positive(dropInterval, "dropInterval");
            positive(sendInterval, "sendInterval");
            positive(maxBlackHole, "maxBlackHole");
            Objects.requireNonNull(minUptime, "minUptime");
            if (minUptime.isNegative()) throw new IllegalArgumentException("minUptime must not be negative: " + minUptime);
            positive(timeLimit, "timeLimit");
            positive(settleTimeout, "settleTimeout");
            positive(backoffFirst, "backoffFirst");
            positive(backoffCap, "backoffCap");
            if (backoffCap.compareTo(backoffFirst) < 0) throw new IllegalArgumentException("backoffCap must be at least backoffFirst");
        }

        /**
         * Five clients sending every 10 ms; 100 drops, one every 50 ms, black holes up to 150 ms, a
         * link left up at least 50 ms after it was restored; at most 60 s of that, then up to 20 s to
         * settle; backoff from 20 ms up to 500 ms; a new random seed.
         */
        public static Options defaults() {
            return new Options(5, 100, Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofMillis(150),
                    Duration.ofMillis(50), Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofMillis(20), Duration.ofMillis(500),
                    new SplittableRandom().nextLong());
        }

        public Options withClients(int clients) {
            return new Options(clients, drops, dropInterval, sendInterval, maxBlackHole, minUptime, timeLimit, settleTimeout, backoffFirst, backoffCap, seed);
        }

        public Options withDrops(int drops) {
            return new Options(clients, drops, dropInterval, sendInterval, maxBlackHole, minUptime, timeLimit, settleTimeout, backoffFirst, backoffCap, seed);
        }

        public Options withDropInterval(Duration dropInterval) {
            return new Options(clients, drops, dropInterval, sendInterval, maxBlackHole, minUptime, timeLimit, settleTimeout, backoffFirst, backoffCap, seed);
        }

        public Options withSendInterval(Duration sendInterval) {
            return new Options(clients, drops, dropInterval, sendInterval, maxBlackHole, minUptime, timeLimit, settleTimeout, backoffFirst, backoffCap, seed);
        }

        public Options withMaxBlackHole(Duration maxBlackHole) {
            return new Options(clients, drops, dropInterval, sendInterval, maxBlackHole, minUptime, timeLimit, settleTimeout, backoffFirst, backoffCap, seed);
        }

        public Options withMinUptime(Duration minUptime) {
            return new Options(clients, drops, dropInterval, sendInterval, maxBlackHole, minUptime, timeLimit, settleTimeout, backoffFirst, backoffCap, seed);
        }

        public Options withTimeLimit(Duration timeLimit) {
            return new Options(clients, drops, dropInterval, sendInterval, maxBlackHole, minUptime, timeLimit, settleTimeout, backoffFirst, backoffCap, seed);
        }

        public Options withSettleTimeout(Duration settleTimeout) {
            return new Options(clients, drops, dropInterval, sendInterval, maxBlackHole, minUptime, timeLimit, settleTimeout, backoffFirst, backoffCap, seed);
        }

        public Options withBackoff(Duration backoffFirst, Duration backoffCap) {
            return new Options(clients, drops, dropInterval, sendInterval, maxBlackHole, minUptime, timeLimit, settleTimeout, backoffFirst, backoffCap, seed);
        }

        public Options withSeed(long seed) {
            return new Options(clients, drops, dropInterval, sendInterval, maxBlackHole, minUptime, timeLimit, settleTimeout, backoffFirst, backoffCap, seed);
        }

        private static void positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
