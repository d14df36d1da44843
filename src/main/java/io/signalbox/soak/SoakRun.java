package io.signalbox.soak;

import static io.signalbox.chaos.Waits.deadline;
import static io.signalbox.chaos.Waits.sleepUntil;
import static io.signalbox.chaos.Waits.waitUntil;

import io.signalbox.bench.ServerProcess;
import io.signalbox.client.Connection;
import io.signalbox.client.Session;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.ProjectAuth;
import io.signalbox.server.auth.Role;
import io.signalbox.server.auth.SessionIds;
import io.signalbox.server.auth.Tokens;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A soak: many SDK clients against one server for a long time, with mixed traffic and random link
 * drops, every signal checked, and the server's heap and open files read at intervals.
 *
 * <p>A run:
 * <ol>
 *   <li>joins {@code clients} SDK sessions to {@code sessions} signaling sessions of the server, in
 *       blocks (client {@code i} of 1000 in 10 sessions is in session {@code i / 100}), and waits until
 *       each sees its whole session; reads the server's vitals;</li>
 *   <li>sends {@code rate} signals a second in all, each from a random client or through the REST API
 *       into a random session: {@value #BROADCAST_PERCENT}% client broadcasts, {@value #PRIVATE_PERCENT}%
 *       client signals to one other client of the session, {@value #REST_ALL_PERCENT}% REST signals to
 *       everyone in a session, the rest REST signals to one connection; client signals with retry
 *       after reconnect, one in {@value #NO_RETRY_ONE_IN} without; data of a tag
 *       ({@code s<stream>#<n>#r}) and 0 to {@value #MAX_FILLER} bytes of filler;</li>
 *   <li>meanwhile cuts {@code dropsPerMinute} links a minute, each a random client's whose link is up,
 *       with the SDK's fault injector: the socket is closed at once and the client stays offline for
 *       up to {@code maxOffline}, then resumes within the server's reconnection window; what it sends
 *       meanwhile is queued;</li>
 *   <li>every {@code interval}, prints a line: signals sent and delivered in the interval and per
 *       second, the server's heap after GC, open files and resident memory, reconnections so far;</li>
 *   <li>after {@code duration}, stops, waits for every link to be up and every queue empty, sends a
 *       last signal to everyone on each stream, waits until every client has it and every send's
 *       outcome is known, reads the server's vitals a last time, checks the {@link Ledger}, and
 *       disconnects everyone.</li>
 * </ol>
 *
 * <p>One thread drives the sends and drops; the SDK's timers share two more; the run's own thread
 * reads the server and prints. Every wait is bounded.
 */
public final class SoakRun {
    static final int BROADCAST_PERCENT = 30;
    static final int PRIVATE_PERCENT = 50;
    static final int REST_ALL_PERCENT = 10;
    static final int NO_RETRY_ONE_IN = 10;
    static final int MAX_FILLER = 256;
    private static final String FILLER = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(8).substring(0, MAX_FILLER);
    /** How often the driver sends what is due. */
    private static final Duration TICK = Duration.ofMillis(10);
    /** The shortest time a dropped client stays offline. */
    private static final Duration MIN_OFFLINE = Duration.ofMillis(100);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final int CONNECTING_AT_ONCE = 64;

    private final SoakOptions options;
    private final Consumer<String> progress;

    /**
     * @param options  what to run
     * @param progress where the run's lines go: what it does, then one per interval
     */
    public SoakRun(SoakOptions options, Consumer<String> progress) {
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Starts a server in a process of its own (this JVM's {@code java} and class path, a free loopback
     * port, no rate limits), runs against it, and stops it.
     *
     * @param jvmOptions the server JVM's options, e.g. {@code -Xmx512m}
     * @param log        where the server's log goes, or null to drop it
     */
    public SoakReport runWithServer(List<String> jvmOptions, Path log, ApiCredentials credentials) {
        ServerProcess.Launch launch = new ServerProcess.Launch(null, jvmOptions, List.of(), log);
        try (ServerProcess server = ServerProcess.start(launch, credentials, 60_000)) {
            progress.accept("soak: server pid " + server.pid() + " listening on " + server.uri());
            return run(server.uri(), credentials, server.pid());
        }
    }

    /**
     * Runs against a server already running. Its REST API must not limit the rate the run sends at,
     * and its sessions must admit {@code clients / sessions} connections.
     *
     * @param serverPid its process id when it runs on this machine, for {@code /proc} figures and a
     *                  collection before each reading; -1 when unknown
     * @throws IllegalStateException when the clients cannot join
     */
    public SoakReport run(URI url, ApiCredentials credentials, long serverPid) {
        Ledger.Layout layout = new Ledger.Layout(options.clients(), options.sessions());
        progress.accept(String.format(java.util.Locale.ROOT,
                "soak: seed %d, %d clients in %d sessions, %d signals/s (%d%% broadcast, %d%% private, %d%% REST to all,"
                        + " %d%% REST to one), %d drops/min of up to %d ms offline, for %s",
                options.seed(), options.clients(), options.sessions(), options.rate(), BROADCAST_PERCENT,
                PRIVATE_PERCENT, REST_ALL_PERCENT, 100 - BROADCAST_PERCENT - PRIVATE_PERCENT - REST_ALL_PERCENT,
                options.dropsPerMinute(), options.maxOffline().toMillis(), SoakReport.clock(options.duration())));
        long started = System.nanoTime();
        SplittableRandom random = new SplittableRandom(options.seed());
        SecureRandom secure = new SecureRandom();
        Ledger ledger = new Ledger(layout);
        List<String> sessionIds = new ArrayList<>();
        for (int g = 0; g < options.sessions(); g++) {
            sessionIds.add(SessionIds.create(credentials.apiKey(), Instant.now(), secure));
        }
        ScheduledThreadPoolExecutor sdkTimers = new ScheduledThreadPoolExecutor(2,
                Thread.ofPlatform().name("signalbox-soak-sdk-timers").daemon().factory());
        sdkTimers.setRemoveOnCancelPolicy(true);
        ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("signalbox-soak-driver").daemon().factory());
        List<SoakClient> clients = new ArrayList<>();
        for (int i = 0; i < options.clients(); i++) {
            SplittableRandom backoff = random.split();
            String sessionId = sessionIds.get(layout.sessionOf(i));
            clients.add(new SoakClient(i, ledger, listener -> Session.builder(url, sessionId)
                    .listener(listener)
                    .scheduler(sdkTimers)
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                    .random(backoff)
                    .build()));
        }
        try (ServerWatch watch = new ServerWatch(url, serverPid, true);
             RestSender rest = new RestSender(url, credentials.apiKey(),
                     new ProjectAuth(credentials, Clock.systemUTC(), secure), ledger, sessionIds)) {
            Tokens tokens = new Tokens(credentials, Clock.systemUTC(), secure);
            List<Connection> everyone = join(clients, layout, sessionIds, tokens, started);
            ledger.connectionIds(everyone.stream().map(Connection::getConnectionId).toList());
            ServerWatch.Vitals start = watch.read();
            progress.accept("soak: server at the start: heap after GC " + SoakReport.mb(start.heapAfterGc())
                    + ", " + start.openFiles() + " files open, RSS " + SoakReport.mb(start.rss())
                    + (watch.collects() ? " (each reading after a full GC, by jcmd)" : " (heap as of the server's last GC; none forced)")
                    + (start.error() == null ? "" : "; " + start.error()));
            return exercise(clients, everyone, layout, ledger, rest, watch, driver, random, start, serverPid, started);
        } finally {
            disconnect(clients);
            driver.shutdownNow();
            sdkTimers.shutdownNow();
        }
    }

    /** Joins every client, a window at a time, and waits until each sees its whole session; everyone's connection. */
    private List<Connection> join(List<SoakClient> clients, Ledger.Layout layout, List<String> sessionIds,
                                  Tokens tokens, long started) {
        long deadline = deadline(JOIN_TIMEOUT);
        List<CompletableFuture<Void>> window = new ArrayList<>();
        for (SoakClient client : clients) {
            String token = tokens.mintJwt(sessionIds.get(layout.sessionOf(client.index)), Role.PUBLISHER,
                    "name=soak" + client.index, Duration.ofDays(1));
            window.add(client.session().connect(token));
            if (window.size() == CONNECTING_AT_ONCE) {
                awaitJoins(window, deadline);
                window.clear();
            }
        }
        awaitJoins(window, deadline);
        boolean seen = waitUntil(() -> clients.stream().allMatch(
                c -> c.session().getConnections().size() == layout.size(layout.sessionOf(c.index))), deadline);
        if (!seen) throw new IllegalStateException("the clients did not all see their whole session within " + JOIN_TIMEOUT.toSeconds() + " s");
        progress.accept(String.format(java.util.Locale.ROOT, "soak: %d clients joined in %.1f s",
                clients.size(), (System.nanoTime() - started) / 1e9));
        return clients.stream().map(c -> c.session().getConnection()).toList();
    }

    private static void awaitJoins(List<CompletableFuture<Void>> joins, long deadline) {
        try {
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a client could not join: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the clients did not join within " + JOIN_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining", e);
        }
    }

    /** The traffic, the drops and the readings; then settling, the last reading, and the check. */
    private SoakReport exercise(List<SoakClient> clients, List<Connection> everyone, Ledger.Layout layout, Ledger ledger,
                                RestSender rest, ServerWatch watch, ScheduledExecutorService driver,
                                SplittableRandom random, ServerWatch.Vitals start, long serverPid, long started) {
        Traffic traffic = new Traffic(clients, everyone, layout, rest, random.split(), options.rate());
        Dropper dropper = new Dropper(clients, random.split(), options.maxOffline());
        long trafficStart = System.nanoTime();
        traffic.start(trafficStart, options.duration());
        List<ScheduledFuture<?>> tasks = new ArrayList<>();
        tasks.add(driver.scheduleAtFixedRate(guarded(traffic::tick), 0, TICK.toNanos(), TimeUnit.NANOSECONDS));
        if (options.dropsPerMinute() > 0) {
            long every = TimeUnit.MINUTES.toNanos(1) / options.dropsPerMinute();
            tasks.add(driver.scheduleAtFixedRate(guarded(dropper::tick), every, every, TimeUnit.NANOSECONDS));
        }

        progress.accept(SoakReport.header());
        List<SoakReport.Sample> samples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long end = trafficStart + options.duration().toNanos();
        long lastAt = trafficStart, lastSent = 0, lastDelivered = 0;
        for (long at = trafficStart + options.interval().toNanos(); at <= end; at += options.interval().toNanos()) {
            sleepUntil(at);
            long now = System.nanoTime();
            long sent = ledger.sent(), delivered = ledger.delivered();
            ServerWatch.Vitals vitals = watch.read();
            if (vitals.error() != null) problems.add(SoakReport.clock(Duration.ofNanos(now - trafficStart)) + ": " + vitals.error());
            SoakReport.Sample sample = new SoakReport.Sample(Duration.ofNanos(now - trafficStart), (now - lastAt) / 1e9,
                    sent - lastSent, delivered - lastDelivered, vitals, reconnects(clients), dropper.drops());
            samples.add(sample);
            progress.accept(SoakReport.line(sample));
            lastAt = now;
            lastSent = sent;
            lastDelivered = delivered;
        }
        sleepUntil(end);
        for (ScheduledFuture<?> task : tasks) task.cancel(false);
        // The driver runs one task at a time: once this one ran, no send or drop is under way.
        try {
            driver.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            problems.add("the driver did not stop: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }

        long settleStart = System.nanoTime();
        boolean settled = settle(clients, layout, ledger, rest, problems);
        progress.accept(String.format(java.util.Locale.ROOT, "soak: traffic stopped; %s in %.1f s",
                settled ? "settled" : "NOT settled", (System.nanoTime() - settleStart) / 1e9));
        ServerWatch.Vitals last = watch.read();
        if (last.error() != null) problems.add("the last reading: " + last.error());
        Ledger.Findings findings = ledger.findings();

        for (SoakClient client : clients) {
            if (client.gone() != null) problems.add("c" + client.index + " was disconnected: " + client.gone());
            for (String error : client.errors()) problems.add("c" + client.index + " heard onError " + error);
        }
        SoakReport.Activity activity = new SoakReport.Activity(dropper.drops(), reconnects(clients),
                clients.stream().mapToLong(SoakClient::missed).sum(),
                clients.stream().mapToLong(SoakClient::errorCount).sum(), rest.skipped(),
                problems.size() > Ledger.MAX_PROBLEMS ? problems.subList(0, Ledger.MAX_PROBLEMS) : problems);
        return new SoakReport(options, serverPid, watch.collects(), start, samples, last, findings, activity,
                settled, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Waits for every link to be up and every queue and REST stream empty; sends the last signal of
     * every stream; waits until every client has every stream's last and every outcome is known.
     * Whether all that happened within {@link #SETTLE_TIMEOUT}.
     */
    private boolean settle(List<SoakClient> clients, Ledger.Layout layout, Ledger ledger, RestSender rest,
                           List<String> problems) {
        long deadline = deadline(SETTLE_TIMEOUT);
        if (!waitUntil(() -> clients.stream().allMatch(c -> c.gone() != null || c.settled()) && rest.backlog() == 0, deadline)) {
            long unsettled = clients.stream().filter(c -> c.gone() == null && !c.settled()).count();
            problems.add(unsettled + " clients not back, or their queues not empty, " + SETTLE_TIMEOUT.toSeconds()
                    + " s after the traffic stopped; " + rest.backlog() + " REST calls unanswered");
        }
        for (SoakClient client : clients) client.sendLast();
        for (int g = 0; g < layout.sessions(); g++) rest.send(g, SoakClient.LAST, Ledger.EVERYONE, null, "");
        List<long[]> latest = new ArrayList<>();
        for (int g = 0; g < layout.sessions(); g++) latest.add(ledger.latest(g));
        boolean heard = waitUntil(() -> clients.stream().allMatch(
                c -> ledger.reached(c.index, latest.get(layout.sessionOf(c.index)))), deadline);
        if (!heard) problems.add("not every client received every stream's last signal in time");
        boolean known = waitUntil(() -> ledger.pending() == 0, deadline);
        if (!known) problems.add(ledger.pending() + " sends still without an outcome");
        return heard && known;
    }

    private static long reconnects(List<SoakClient> clients) {
        return clients.stream().mapToLong(SoakClient::reconnections).sum();
    }

    private void disconnect(List<SoakClient> clients) {
        CompletableFuture<?>[] leaving = clients.stream().map(c -> c.session().disconnect()).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(leaving).get(DISCONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            progress.accept("soak: not every client disconnected cleanly: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A periodic task that survives its own failure: a scheduled task that throws is never run again. */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                progress.accept("soak: the driver failed: " + e);
            }
        };
    }

    /** Sends what is due at the run's rate, on the driver thread. */
    private static final class Traffic {
        private final List<SoakClient> clients;
        private final List<Connection> everyone;
        private final Ledger.Layout layout;
        private final RestSender rest;
        private final SplittableRandom random;
        private final int rate;
        /** When the traffic started and when it stops, by System.nanoTime; set once by start(). */
        private long startedAt;
        private long endsAt;
        /** Sends made so far; driver thread only. */
        private long made;

        Traffic(List<SoakClient> clients, List<Connection> everyone, Ledger.Layout layout, RestSender rest,
                SplittableRandom random, int rate) {
            this.clients = clients;
            this.everyone = everyone;
            this.layout = layout;
            this.rest = rest;
            this.random = random;
            this.rate = rate;
        }

        void start(long nanoTime, Duration duration) {
            this.startedAt = nanoTime;
            this.endsAt = nanoTime + duration.toNanos();
        }

        void tick() {
            // Not past the end, however late the driver stops the ticks (a slow server read may delay it).
            long due = (Math.min(System.nanoTime(), endsAt) - startedAt) * rate / 1_000_000_000L;
            while (made < due) {
                sendOne();
                made++;
            }
        }

        private void sendOne() {
            SoakClient client = clients.get(random.nextInt(clients.size()));
            int session = layout.sessionOf(client.index);
            String filler = FILLER.substring(0, random.nextInt(MAX_FILLER + 1));
            int roll = random.nextInt(100);
            if (roll < BROADCAST_PERCENT) {
                client.sendToEveryone(filler, retry());
            } else if (roll < BROADCAST_PERCENT + PRIVATE_PERCENT) {
                int target = otherInSession(client.index, session);
                client.sendTo(target, everyone.get(target), filler, retry());
            } else if (roll < BROADCAST_PERCENT + PRIVATE_PERCENT + REST_ALL_PERCENT) {
                rest.send(session, SoakClient.TYPE, Ledger.EVERYONE, null, filler);
            } else {
                int target = layout.first(session) + random.nextInt(layout.size(session));
                rest.send(session, SoakClient.TYPE, target, everyone.get(target).getConnectionId(), filler);
            }
        }

        private boolean retry() {
            return random.nextInt(NO_RETRY_ONE_IN) != 0;
        }

        private int otherInSession(int client, int session) {
            int target = layout.first(session) + random.nextInt(layout.size(session) - 1);
            return target >= client ? target + 1 : target;
        }
    }

    /** Cuts the link of a random client whose link is up, on the driver thread. */
    private static final class Dropper {
        private final List<SoakClient> clients;
        private final SplittableRandom random;
        private final Duration maxOffline;
        /** Links cut so far; written by the driver thread, read by the run's. */
        private volatile long drops;

        Dropper(List<SoakClient> clients, SplittableRandom random, Duration maxOffline) {
            this.clients = clients;
            this.random = random;
            this.maxOffline = maxOffline;
        }

        void tick() {
            List<SoakClient> candidates = clients.stream().filter(SoakClient::mayDrop).toList();
            if (candidates.isEmpty()) return;
            SoakClient victim = candidates.get(random.nextInt(candidates.size()));
            long offline = MIN_OFFLINE.toMillis() + random.nextLong(Math.max(1, maxOffline.toMillis() - MIN_OFFLINE.toMillis() + 1));
            victim.drop(Duration.ofMillis(offline));
            drops++;
        }

        long drops() {
            return drops;
        }
    }
}
