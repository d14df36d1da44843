package io.signalbox.chaos;

import static io.signalbox.chaos.Waits.awaitQuietly;
import static io.signalbox.chaos.Waits.deadline;
import static io.signalbox.chaos.Waits.sleepUntil;
import static io.signalbox.chaos.Waits.waitUntil;

import io.signalbox.bench.RedisProcess;
import io.signalbox.bench.ServerProcess;
import io.signalbox.client.Connection;
import io.signalbox.client.Session;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.ProjectAuth;
import io.signalbox.server.auth.Role;
import io.signalbox.server.auth.SessionIds;
import io.signalbox.server.auth.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A chaos run across a cluster, to show that scale-out survives the death of a node under load: nothing
 * lost, doubled or reordered among the clients that resumed elsewhere, and nobody told they left.
 *
 * <p>A run:
 * <ol>
 *   <li>starts a Redis of its own (or takes one), and {@code nodes} server processes on it
 *       ({@code signalbox server --redis ...}, this JVM's {@code java} and class path, free loopback
 *       ports, fresh credentials, no rate limits);</li>
 *   <li>joins {@code clients} SDK sessions to {@code sessions} signaling sessions, in blocks, the
 *       clients of each session spread over every node in turn. Each client reaches each node through
 *       a {@link FaultProxy} of its own and is given all of them
 *       ({@link Session#builder(List, String)}), its own node first, so a client whose node dies
 *       resumes on the next that takes it over. Through which proxy a link goes tells on which node a
 *       client is;</li>
 *   <li>lets each client send a signal every {@code sendInterval}, to everyone in its session or to
 *       one other client of it, with retry after reconnect or without, as {@link ChaosRun} does; and
 *       sends REST signals into every session through every node ({@link RestStream}: one stream per
 *       session and node), to everyone or to one client;</li>
 *   <li>meanwhile breaks {@code drops} links at random over the traffic time ({@link LinkBreaker});</li>
 *   <li>at {@code killAt}, kills one node chosen by the seed outright ({@code SIGKILL}): its clients
 *       lose their links, try it again, try the others, and are taken over by one of them once the
 *       cluster finds the node dead (its key in Redis expires after 5 s); the traffic goes on;</li>
 *   <li>after {@code traffic}, waits for every link to be up, stops sending, has every client and
 *       every live REST stream send a last signal to everyone, waits for every outcome and for every
 *       client to have every last signal of its session, and checks every send against what each
 *       client received ({@link ChaosCheck}), with when each lost, doubled or late delivery was sent
 *       and acknowledged relative to the kill, and where each client ended.</li>
 * </ol>
 * Every random choice comes from one seed (the node killed included), reported first and in the
 * report. Every wait is bounded. One thread drives the sends, the REST streams and the drops; the
 * SDK's timers share one more; the run's own thread kills the node and watches.
 */
public final class ClusterChaosRun {
    /** How long the nodes may take to start, side by side on a busy machine. */
    private static final Duration NODE_START_TIMEOUT = Duration.ofSeconds(90);
    /** How long the clients may take to join and see each other across the nodes. */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The link faults, as the single-node run's defaults. */
    private static final Duration MAX_BLACK_HOLE = Duration.ofMillis(150);
    private static final Duration MIN_UPTIME = Duration.ofMillis(100);
    /**
     * The SDK's backoff: a client whose node died goes round the nodes every second or so, so it is
     * back within half a second of the takeover becoming possible.
     */
    private static final Duration BACKOFF_FIRST = Duration.ofMillis(20);
    private static final Duration BACKOFF_CAP = Duration.ofMillis(500);
    /**
     * The nodes' JVMs: the run checks correctness, not speed, and C1 alone starts three JVMs fast on
     * a machine that runs the clients too.
     */
    private static final List<String> NODE_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    private final Options options;
    private final Consumer<String> progress;

    /**
     * @param options  what to run
     * @param progress where the run says what it is doing, a line at a time (its seed first)
     */
    public ClusterChaosRun(Options options, Consumer<String> progress) {
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Runs: starts Redis (unless given) and the nodes, exercises them, and stops them all.
     *
     * @throws IllegalStateException when Redis, a node or the clients cannot start or join
     * @throws UncheckedIOException  when a proxy cannot be started
     */
    public ClusterChaosReport run() {
        long started = System.nanoTime();
        Layout layout = new Layout(options.nodes(), options.sessions(), options.clients());
        SplittableRandom random = new SplittableRandom(options.seed());
        int killed = random.nextInt(options.nodes());
        progress.accept(String.format(Locale.ROOT, "chaos: seed %d, %d nodes, %d clients in %d session(s), %s of traffic,"
                        + " node %d killed at %s, %d drops, each client sending every %d ms, REST every %d ms per session and node",
                options.seed(), options.nodes(), options.clients(), options.sessions(), seconds(options.traffic()),
                killed + 1, seconds(options.killAt()), options.drops(), options.sendInterval().toMillis(),
                options.restInterval().toMillis()));
        SecureRandom secure = new SecureRandom();
        ApiCredentials credentials = ApiCredentials.generate(secure);
        ScheduledExecutorService driver = singleThread("signalbox-chaos-driver");
        ScheduledExecutorService sdkTimers = singleThread("signalbox-chaos-sdk-timers");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        RedisProcess ownRedis = null;
        List<ServerProcess> nodes = new ArrayList<>();
        List<ChaosClient> clients = new ArrayList<>();
        List<RestStream> streams = new ArrayList<>();
        try {
            if (options.redis() == null) {
                try {
                    ownRedis = RedisProcess.start(null, launched -> { });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting redis-server", e);
                }
            }
            URI redis = ownRedis != null ? ownRedis.uri() : options.redis();
            nodes.addAll(startNodes(redis, credentials));
            for (int n = 0; n < nodes.size(); n++) {
                progress.accept("chaos: node " + (n + 1) + " (pid " + nodes.get(n).pid() + ") listening on "
                        + nodes.get(n).uri() + ", on " + redis);
            }

            List<String> sessionIds = new ArrayList<>();
            for (int g = 0; g < layout.sessions(); g++) {
                sessionIds.add(SessionIds.create(credentials.apiKey(), Instant.now(), secure));
            }
            for (int i = 0; i < layout.clients(); i++) {
                clients.add(client(i, layout, nodes, sessionIds.get(layout.sessionOf(i)), random.split(), sdkTimers));
            }
            List<Connection> everyone = join(clients, layout, sessionIds, new Tokens(credentials, Clock.systemUTC(), secure));
            ProjectAuth auth = new ProjectAuth(credentials, Clock.systemUTC(), secure);
            for (int g = 0; g < layout.sessions(); g++) {
                List<String> members = everyone.subList(layout.first(g), layout.first(g) + layout.size(g)).stream()
                        .map(Connection::getConnectionId).toList();
                for (int n = 0; n < layout.nodes(); n++) {
                    streams.add(new RestStream(layout.clients() + streams.size(), n, nodes.get(n).uri(),
                            credentials.apiKey(), g, sessionIds.get(g), layout.first(g), members, http, auth, random.split()));
                }
            }
            return exercise(layout, clients, everyone, streams, nodes, killed, random.split(), driver, started);
        } finally {
            for (RestStream stream : streams) stream.stop();
            disconnect(clients); // again, for a run that failed before its own: disconnect() is idempotent
            for (ChaosClient client : clients) client.closeProxies();
            driver.shutdownNow();
            sdkTimers.shutdownNow();
            http.close();
            for (ServerProcess node : nodes) node.close();
            if (ownRedis != null) ownRedis.close();
        }
    }

    /** Starts the nodes side by side; all of them, or none. */
    private List<ServerProcess> startNodes(URI redis, ApiCredentials credentials) {
        List<Future<ServerProcess>> starting = new ArrayList<>();
        List<ServerProcess> nodes = new ArrayList<>();
        try (ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int n = 0; n < options.nodes(); n++) {
                ServerProcess.Launch launch = new ServerProcess.Launch(null, NODE_JVM,
                        List.of("--redis", redis.toString(), "--reconnect-window", options.reconnectWindow().toSeconds() + "s"),
                        nodeLog(n));
                starting.add(starter.submit(() -> ServerProcess.start(launch, credentials, NODE_START_TIMEOUT.toMillis())));
            }
            RuntimeException failure = null;
            for (Future<ServerProcess> node : starting) {
                try {
                    nodes.add(node.get());
                } catch (ExecutionException e) {
                    if (failure == null) failure = new IllegalStateException("a node did not start: " + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    if (failure == null) failure = new IllegalStateException("interrupted while the nodes started", e);
                }
            }
            if (failure != null) {
                for (ServerProcess node : nodes) node.close();
                throw failure;
            }
        }
        return nodes;
    }

    private Path nodeLog(int node) {
        if (options.nodeLogs() == null) return null;
        try {
            Files.createDirectories(options.nodeLogs());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + options.nodeLogs(), e);
        }
        return options.nodeLogs().resolve("node-" + (node + 1) + ".log");
    }

    /** A client with a proxy to every node, given them all, its own node first. */
    private ChaosClient client(int index, Layout layout, List<ServerProcess> nodes, String sessionId,
                               SplittableRandom random, ScheduledExecutorService sdkTimers) {
        List<FaultProxy> proxies = new ArrayList<>();
        try {
            for (ServerProcess node : nodes) proxies.add(FaultProxy.start(node.uri().getPort()));
        } catch (IOException e) {
            for (FaultProxy proxy : proxies) proxy.close();
            throw new UncheckedIOException("cannot start the proxies of client " + index, e);
        }
        int home = layout.home(index);
        List<URI> urls = new ArrayList<>();
        for (int k = 0; k < proxies.size(); k++) urls.add(proxies.get((home + k) % proxies.size()).uri());
        SplittableRandom backoff = random.split();
        return new ChaosClient(index, proxies, random, listener -> Session.builder(urls, sessionId)
                .listener(listener)
                .scheduler(sdkTimers)
                .reconnectBackoff(BACKOFF_FIRST, BACKOFF_CAP)
                .random(backoff)
                .build());
    }

    /**
     * Joins everyone, each on its own node, and waits until each sees its whole session across the
     * nodes; then tells each the connections of its session.
     *
     * @return everyone's connection, by client index
     */
    private List<Connection> join(List<ChaosClient> clients, Layout layout, List<String> sessionIds, Tokens tokens) {
        List<CompletableFuture<Void>> joins = clients.stream()
                .map(c -> c.session().connect(tokens.mintJwt(sessionIds.get(layout.sessionOf(c.index)), Role.PUBLISHER,
                        "name=chaos" + c.index, Duration.ofHours(2))))
                .toList();
        try {
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the chaos clients could not join: " + (e.getCause() != null ? e.getCause() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining", e);
        }
        boolean allSeen = waitUntil(() -> clients.stream()
                .allMatch(c -> c.session().getConnections().size() == layout.size(layout.sessionOf(c.index))), deadline(JOIN_TIMEOUT));
        if (!allSeen) throw new IllegalStateException("the chaos clients did not all see their session within " + JOIN_TIMEOUT);
        List<Connection> everyone = clients.stream().map(c -> c.session().getConnection()).toList();
        for (ChaosClient client : clients) {
            int g = layout.sessionOf(client.index);
            client.peers(layout.first(g), everyone.subList(layout.first(g), layout.first(g) + layout.size(g)));
        }
        return everyone;
    }

    /** The traffic, the drops and the kill; then settling, the check and the report. */
    private ClusterChaosReport exercise(Layout layout, List<ChaosClient> clients, List<Connection> everyone,
                                        List<RestStream> streams, List<ServerProcess> nodes, int killed,
                                        SplittableRandom random, ScheduledExecutorService driver, long started) {
        List<String> problems = new ArrayList<>();
        List<Integer> homes = new ArrayList<>();
        for (ChaosClient client : clients) {
            int server = client.server();
            int home = layout.home(client.index);
            if (server != home) problems.add("c" + client.index + " joined through node " + (server + 1) + ", not " + (home + 1));
            homes.add(home);
        }
        List<ChaosClient> victims = clients.stream().filter(c -> homes.get(c.index) == killed).toList();

        long trafficStart = System.nanoTime();
        List<ScheduledFuture<?>> senders = new ArrayList<>();
        long sendNanos = options.sendInterval().toNanos();
        for (ChaosClient client : clients) {
            senders.add(driver.scheduleAtFixedRate(guarded(client::sendOne), sendNanos * client.index / clients.size(),
                    sendNanos, TimeUnit.NANOSECONDS));
        }
        long restNanos = options.restInterval().toNanos();
        for (int s = 0; s < streams.size(); s++) {
            senders.add(driver.scheduleAtFixedRate(guarded(streams.get(s)::sendOne), restNanos * s / streams.size(),
                    restNanos, TimeUnit.NANOSECONDS));
        }
        LinkBreaker breaker = new LinkBreaker(clients, random, driver, options.drops(), MAX_BLACK_HOLE, MIN_UPTIME);
        ScheduledFuture<?> dropping = null;
        if (options.drops() > 0) {
            long every = options.traffic().toNanos() / (options.drops() + 1);
            dropping = driver.scheduleAtFixedRate(guarded(breaker::tick), every, every, TimeUnit.NANOSECONDS);
        }

        sleepUntil(trafficStart + options.killAt().toNanos());
        for (RestStream stream : streams) {
            if (stream.node == killed) stream.stop();
        }
        long killedAt = System.nanoTime();
        nodes.get(killed).kill();
        progress.accept(String.format(Locale.ROOT, "chaos: killed node %d (pid %d) at %s; its clients: %s", killed + 1,
                nodes.get(killed).pid(), seconds(Duration.ofNanos(killedAt - trafficStart)),
                victims.stream().map(c -> "c" + c.index).collect(Collectors.joining(", "))));
        long trafficEnd = trafficStart + options.traffic().toNanos();
        boolean allBack = waitUntil(() -> victims.stream().allMatch(c -> resumedAfter(c, killedAt)), trafficEnd);
        long lastBack = victims.stream().flatMap(c -> c.outages().stream())
                .mapToLong(ChaosClient.Outage::resumedAt).filter(t -> t - killedAt > 0).max().orElse(killedAt);
        progress.accept(allBack
                ? "chaos: every client of node " + (killed + 1) + " resumed, the last "
                        + seconds(Duration.ofNanos(lastBack - killedAt)) + " after the kill; the traffic goes on"
                : "chaos: not every client of node " + (killed + 1) + " was back when the traffic time ran out");
        sleepUntil(trafficEnd);
        if (dropping != null) dropping.cancel(false);

        long settleBy = deadline(options.settleTimeout());
        if (!waitUntil(() -> clients.stream().allMatch(c -> c.gone() || c.settled()), settleBy)) {
            problems.add("not every link was up " + seconds(options.settleTimeout()) + " after the traffic ended: "
                    + clients.stream().filter(c -> !c.gone() && !c.settled()).map(c -> "c" + c.index).toList());
        }
        for (ScheduledFuture<?> sender : senders) sender.cancel(false);
        // The driver runs one task at a time: once this one ran, no send is under way any more.
        awaitQuietly(driver.submit(() -> { }), settleBy);
        for (ChaosClient client : clients) client.sendLast();
        for (RestStream stream : streams) stream.sendLast();

        List<CompletableFuture<Void>> futures = clients.stream().flatMap(c -> c.futures().stream()).toList();
        awaitQuietly(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)), settleBy);
        waitUntil(() -> streams.stream().allMatch(RestStream::idle), settleBy);
        boolean heard = waitUntil(() -> clients.stream().filter(c -> !c.gone())
                .allMatch(c -> c.heardLastFrom(liveSenders(layout, layout.sessionOf(c.index), clients, streams))), settleBy);
        if (!heard) problems.add("not every client received every last signal of its session in time");
        progress.accept("chaos: traffic stopped and settled " + seconds(Duration.ofNanos(System.nanoTime() - trafficEnd))
                + " after; checking");

        // Outcomes and where everyone is before the disconnects; what was received after them, so that
        // a late duplicate is seen too (no signal is reported after onDisconnected).
        List<SendRecord> sends = new ArrayList<>();
        for (ChaosClient client : clients) sends.addAll(client.outcomes());
        for (RestStream stream : streams) sends.addAll(stream.outcomes());
        List<ClusterChaosReport.ClientLine> lines = new ArrayList<>();
        for (ChaosClient client : clients) {
            lines.add(line(client, layout, everyone.get(client.index).getConnectionId(), homes.get(client.index), killedAt, killed));
        }
        for (RestStream stream : streams) stream.stop();
        disconnect(clients);
        List<List<Received>> inboxes = clients.stream().map(ChaosClient::inbox).toList();
        List<List<ChaosClient.Outage>> outages = clients.stream().map(ChaosClient::outages).toList();

        ChaosCheck.Roster roster = new ChaosCheck.Roster(everyone.stream().map(Connection::getConnectionId).toList(),
                clients.stream().map(c -> layout.sessionOf(c.index)).toList(),
                streams.stream().map(s -> s.session).toList());
        ChaosCheck.Findings found = new ChaosCheck(roster).check(sends, inboxes);
        for (ChaosClient client : clients) {
            if (client.gone()) problems.add("c" + client.index + " was disconnected: " + client.goneWhy());
            for (String error : client.errors()) problems.add("c" + client.index + " heard onError " + error);
        }
        problems.addAll(found.problems());

        Timeline timeline = new Timeline(layout, streams, homes, outages, killedAt);
        ClusterChaosReport.Totals totals = new ClusterChaosReport.Totals(
                sends.stream().filter(s -> s.tag().sender() < layout.clients()).count(),
                sends.stream().filter(s -> s.tag().sender() >= layout.clients()).count(),
                found.acknowledged(), found.failures(), found.pending(), found.delivered(), found.lost(),
                found.duplicated(), found.reordered(), found.phantom(), found.retryFailed(), found.unexpected(),
                clients.stream().mapToLong(ChaosClient::missed).sum(),
                (int) clients.stream().filter(ChaosClient::gone).count(),
                clients.stream().mapToLong(ChaosClient::errorCount).sum());
        ClusterChaosReport.Setup setup = new ClusterChaosReport.Setup(layout.nodes(), layout.sessions(), layout.clients(),
                killed + 1, Duration.ofNanos(killedAt - trafficStart), Duration.ofNanos(trafficEnd - trafficStart),
                breaker.drops(), breaker.byKind());
        return new ClusterChaosReport(options.seed(), setup, totals, lines, timeline.of(found.incidents().lost()),
                timeline.of(found.incidents().doubled()), timeline.of(found.incidents().reordered()), problems,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** The senders of a session whose last signal its clients wait for: its clients still in, its REST streams still going. */
    private static List<Integer> liveSenders(Layout layout, int session, List<ChaosClient> clients, List<RestStream> streams) {
        List<Integer> live = new ArrayList<>();
        for (int i = layout.first(session); i < layout.first(session) + layout.size(session); i++) {
            if (!clients.get(i).gone()) live.add(i);
        }
        for (RestStream stream : streams) {
            if (stream.session == session && !stream.stopped()) live.add(stream.index);
        }
        return live;
    }

    private static boolean resumedAfter(ChaosClient client, long nanoTime) {
        return client.outages().stream().anyMatch(o -> o.resumedAt() - nanoTime > 0);
    }

    /** A client's line of the report, read before the disconnects. */
    private static ClusterChaosReport.ClientLine line(ChaosClient client, Layout layout, String joinedAs, int home,
                                                      long killedAt, int killed) {
        Connection now = client.session().getConnection();
        ChaosClient.Outage afterKill = home != killed ? null : client.outages().stream()
                .filter(o -> o.resumedAt() - killedAt > 0).findFirst().orElse(null);
        return new ClusterChaosReport.ClientLine(client.index, layout.sessionOf(client.index), joinedAs,
                now != null && joinedAs.equals(now.getConnectionId()), home + 1, client.server() + 1,
                client.reconnections(),
                afterKill == null ? null : Duration.ofNanos(afterKill.lostAt() - killedAt),
                afterKill == null ? null : Duration.ofNanos(afterKill.resumedAt() - killedAt),
                client.replayed(), client.membership(), client.outages().stream()
                        .map(o -> new ClusterChaosReport.Away(Duration.ofNanos(o.lostAt() - killedAt),
                                Duration.ofNanos(o.resumedAt() - killedAt), o.server() + 1, o.resumption().replayed(),
                                o.resumption().resent(), o.resumption().queuedSent()))
                        .toList());
    }

    /** Turns the check's incidents into the report's findings, placed in the run's timeline. */
    private record Timeline(Layout layout, List<RestStream> streams, List<Integer> homes,
                            List<List<ChaosClient.Outage>> outages, long killedAt) {

        List<ClusterChaosReport.Finding> of(List<ChaosCheck.Incident> incidents) {
            return incidents.stream().map(this::of).toList();
        }

        private ClusterChaosReport.Finding of(ChaosCheck.Incident incident) {
            SendRecord send = incident.send();
            int sender = send.tag().sender();
            String from = sender < layout.clients() ? "c" + sender : streams.get(sender - layout.clients()).describe();
            String outcome = switch (send.outcome()) {
                case ACKNOWLEDGED -> "acknowledged";
                case FAILED -> "failed " + send.error();
                case PENDING -> "pending";
            };
            // A client's signal sent while it was reconnecting waited in its queue until it was back.
            Long queuedUntil = sender >= layout.clients() ? null : outages.get(sender).stream()
                    .filter(o -> within(send.sentAt(), o)).map(ChaosClient.Outage::resumedAt).findFirst().orElse(null);
            // The server acknowledges once it has routed: the acknowledgement places a signal best.
            Long acknowledged = send.outcome() == SendRecord.Outcome.ACKNOWLEDGED ? send.settledAt() : null;
            long routedAt = acknowledged != null ? acknowledged : queuedUntil != null ? queuedUntil : send.sentAt();
            boolean away = outages.get(incident.receiver()).stream().anyMatch(o -> within(routedAt, o));
            return new ClusterChaosReport.Finding(send.tag().toString(), from,
                    send.toEveryone() ? "everyone" : "c" + send.target(), outcome, incident.receiver(),
                    homes.get(incident.receiver()) + 1, Duration.ofNanos(send.sentAt() - killedAt),
                    queuedUntil == null ? null : Duration.ofNanos(queuedUntil - killedAt),
                    acknowledged == null ? null : Duration.ofNanos(acknowledged - killedAt),
                    incident.received() == null ? null : Duration.ofNanos(incident.received().at() - killedAt), away);
        }

        private static boolean within(long nanoTime, ChaosClient.Outage outage) {
            return nanoTime - outage.lostAt() >= 0 && outage.resumedAt() - nanoTime >= 0;
        }
    }

    private void disconnect(List<ChaosClient> clients) {
        CompletableFuture<?>[] leaving = clients.stream().map(c -> c.session().disconnect()).toArray(CompletableFuture[]::new);
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

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toNanos() / 1e9);
    }

    /**
     * Where the clients are: sessions in blocks (the first {@code clients % sessions} one larger), and
     * within a session, its clients on the nodes in turn, so that every session has clients on every node.
     */
    record Layout(int nodes, int sessions, int clients) {
        int size(int session) {
            return clients / sessions + (session < clients % sessions ? 1 : 0);
        }

        int first(int session) {
            int first = 0;
            for (int g = 0; g < session; g++) first += size(g);
            return first;
        }

        int sessionOf(int client) {
            int g = 0;
            while (client >= first(g) + size(g)) g++;
            return g;
        }

        /** The node a client joins on, by number from 0. */
        int home(int client) {
            return (client - first(sessionOf(client))) % nodes;
        }
    }

    /**
     * What a cluster run does. Start from {@link #defaults()} and change what differs.
     *
     * @param nodes           server processes on the one Redis; at least 2
     * @param sessions        signaling sessions; at least 1
     * @param clients         SDK clients, in the sessions in blocks; at least {@code nodes} per session, so
     *                        that every session has a client on every node
     * @param traffic         how long the clients and REST streams send
     * @param killAt          when a node is killed, from the start of the traffic; before its end. The
     *                        takeover of its clients takes some 5 to 7 s, so leave the traffic time to
     *                        run on after it
     * @param drops           links broken at random over the traffic time
     * @param sendInterval    how often each client sends a signal
     * @param restInterval    how often each REST stream (one per session and node) sends, when its
     *                        previous call was answered
     * @param reconnectWindow the nodes' reconnection window ({@code --reconnect-window}); the takeover
     *                        must come within it
     * @param settleTimeout   the longest the run waits for links, outcomes and last signals after the traffic
     * @param redis           a Redis to use, or null to start one of the run's own
     * @param nodeLogs        a directory for the nodes' logs ({@code node-N.log}), or null to drop them
     * @param seed            the seed of every random choice, the node killed included
     */
    public record Options(int nodes, int sessions, int clients, Duration traffic, Duration killAt, int drops,
                          Duration sendInterval, Duration restInterval, Duration reconnectWindow, Duration settleTimeout,
                          URI redis, Path nodeLogs, long seed) {

        public Options {
            if (nodes < 2) throw new IllegalArgumentException("a cluster run needs at least 2 nodes, not " + nodes);
            if (sessions < 1) throw new IllegalArgumentException("a cluster run needs at least 1 session, not " + sessions);
            if (clients < sessions * nodes) {
                throw new IllegalArgumentException("with " + nodes + " nodes and " + sessions + " session(s), at least "
                        + sessions * nodes + " clients are needed (one per node in each session), not " + clients);
            }
            positive(traffic, "traffic");
            positive(killAt, "killAt");
            if (killAt.compareTo(traffic) >= 0) {
                throw new IllegalArgumentException("the node must be killed before the traffic ends: at " + seconds(killAt)
                        + ", with " + seconds(traffic) + " of traffic");
            }
            if (drops < 0) throw new IllegalArgumentException("drops must not be negative: " + drops);
            positive(sendInterval, "sendInterval");
            positive(restInterval, "restInterval");
            positive(reconnectWindow, "reconnectWindow");
            if (reconnectWindow.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("reconnectWindow is whole seconds: " + reconnectWindow);
            }
            positive(settleTimeout, "settleTimeout");
        }

        /**
         * Three nodes, one session of six clients each sending every 20 ms, REST every 50 ms per node;
         * 30 s of traffic with a node killed at 10 s and 30 drops; a 60 s window; up to 30 s to settle;
         * a Redis of the run's own, the nodes' logs dropped; a new random seed.
         */
        public static Options defaults() {
            return new Options(3, 1, 6, Duration.ofSeconds(30), Duration.ofSeconds(10), 30, Duration.ofMillis(20),
                    Duration.ofMillis(50), Duration.ofSeconds(60), Duration.ofSeconds(30), null, null,
                    new SplittableRandom().nextLong());
        }

        public Options withNodes(int nodes) {
            return new Options(nodes, sessions, clients, traffic, killAt, drops, sendInterval, restInterval, reconnectWindow, settleTimeout, redis, nodeLogs, seed);
        }

        public Options withClients(int clients, int sessions) {
            return new Options(nodes, sessions, clients, traffic, killAt, drops, sendInterval, restInterval, reconnectWindow, settleTimeout, redis, nodeLogs, seed);
        }

        public Options withTraffic(Duration traffic, Duration killAt) {
            return new Options(nodes, sessions, clients, traffic, killAt, drops, sendInterval, restInterval, reconnectWindow, settleTimeout, redis, nodeLogs, seed);
        }

        public Options withDrops(int drops) {
            return new Options(nodes, sessions, clients, traffic, killAt, drops, sendInterval, restInterval, reconnectWindow, settleTimeout, redis, nodeLogs, seed);
        }

        public Options withSendInterval(Duration sendInterval) {
            return new Options(nodes, sessions, clients, traffic, killAt, drops, sendInterval, restInterval, reconnectWindow, settleTimeout, redis, nodeLogs, seed);
        }

        public Options withRestInterval(Duration restInterval) {
            return new Options(nodes, sessions, clients, traffic, killAt, drops, sendInterval, restInterval, reconnectWindow, settleTimeout, redis, nodeLogs, seed);
        }

        public Options withReconnectWindow(Duration reconnectWindow) {
            return new Options(nodes, sessions, clients, traffic, killAt, drops, sendInterval, restInterval, reconnectWindow, settleTimeout, redis, nodeLogs, seed);
        }

        public Options withSettleTimeout(Duration settleTimeout) {
            return new Options(nodes, sessions, clients, traffic, killAt, drops, sendInterval, restInterval, reconnectWindow, settleTimeout, redis, nodeLogs, seed);
        }

        public Options withRedis(URI redis) {
            return new Options(nodes, sessions, clients, traffic, killAt, drops, sendInterval, restInterval, reconnectWindow, settleTimeout, redis, nodeLogs, seed);
        }

        public Options withNodeLogs(Path nodeLogs) {
            return new Options(nodes, sessions, clients, traffic, killAt, drops, sendInterval, restInterval, reconnectWindow, settleTimeout, redis, nodeLogs, seed);
        }

        public Options withSeed(long seed) {
            return new Options(nodes, sessions, clients, traffic, killAt, drops, sendInterval, restInterval, reconnectWindow, settleTimeout, redis, nodeLogs, seed);
        }

        private static void positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
