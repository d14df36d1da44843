package io.signalbox.bench;

import io.signalbox.chaos.FaultProxy;
import io.signalbox.client.Connection;
import io.signalbox.client.DisconnectReason;
import io.signalbox.client.Resumption;
import io.signalbox.client.Session;
import io.signalbox.client.SessionListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A reconnection storm: N SDK sessions, in sessions of K, reach the server through one
 * {@link FaultProxy}; every link is reset at once and the proxy refuses new ones for the outage, while
 * each client queues signals to everyone; then the proxy lets them through. Measures the time until
 * every session is back and until every queued send is acknowledged and delivered, and checks per
 * sender sequence numbers that nothing was lost, doubled or reordered.
 *
 * <p>The sessions share one scheduler and Tyrus's shared container, as a process with many sessions
 * should.
 */
final class StormBench {

    /**
     * @param clients      SDK sessions
     * @param perSession   sessions per signaling session
     * @param signals      signals each client queues during the outage
     * @param outageMillis how long the proxy refuses links after the drop
     */
    record Options(int clients, int perSession, int signals, long outageMillis) {
        Options {
            if (clients < 2 || perSession < 2) throw new IllegalArgumentException("storm needs groups of at least 2 clients");
        }
    }

    /** Signals each client sends and has acknowledged before the drop. */
    private static final int BEFORE = 2;
    private static final long STEP_TIMEOUT_NANOS = 60_000_000_000L;
    private static final int CONNECTING_AT_ONCE = 64;

    private final Options o;
    private final Target target;
    private final Consumer<String> progress;
    private final List<Client> clients = new ArrayList<>();
    private final AtomicInteger reconnecting = new AtomicInteger();
    private final AtomicInteger reconnected = new AtomicInteger();
    private final AtomicInteger disconnected = new AtomicInteger();
    private final AtomicLong lastReconnected = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong lastDelivered = new AtomicLong();
    private final AtomicLong doubled = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();

    private StormBench(Target target, Options o, Consumer<String> progress) {
        this.target = target;
        this.o = o;
        this.progress = progress;
    }

    static Report run(Target target, Options o, Consumer<String> progress) throws InterruptedException {
        return new StormBench(target, o, progress).run();
    }

    /** One SDK session and what its listener saw; the listener runs on the session's event thread. */
    private final class Client implements SessionListener {
        final int index;
        final int group;
        /** Per sender in the group, the next number expected from it; event thread only. */
        final int[] next;
        Session session;

        Client(int index, int group, int groupSize) {
            this.index = index;
            this.group = group;
            this.next = new int[groupSize];
            Arrays.fill(next, 1);
        }

        @Override
        public void onSignalReceived(Session s, String type, String data, Connection from) {
            int colon = data.indexOf(':');
            int sender = Integer.parseInt(data, 0, colon, 10) - group * o.perSession();
            int k = Integer.parseInt(data, colon + 1, data.length(), 10);
            if (k < next[sender]) {
                doubled.incrementAndGet();
                return;
            }
            if (k > next[sender]) outOfOrder.incrementAndGet();
            next[sender] = k + 1;
            delivered.incrementAndGet();
            lastDelivered.set(System.nanoTime());
        }

        @Override
        public void onReconnecting(Session s) {
            reconnecting.incrementAndGet();
        }

        @Override
        public void onReconnected(Session s) {
            reconnected.incrementAndGet();
            lastReconnected.set(System.nanoTime());
        }

        @Override
        public void onResumed(Session s, Resumption resumption) {
            missed.addAndGet(resumption.missed());
        }

        @Override
        public void onSignalsMissed(Session s, int count) {
            missed.addAndGet(count);
        }

        @Override
        public void onDisconnected(Session s, DisconnectReason reason) {
            if (reason != DisconnectReason.CLIENT_DISCONNECTED) disconnected.incrementAndGet();
        }
    }

    private Report run() throws InterruptedException {
        if (!"127.0.0.1".equals(target.uri().getHost())) {
            throw new IllegalArgumentException("storm relays through a loopback proxy to 127.0.0.1; the server is at " + target.uri());
        }
        Credentials credentials = new Credentials(target);
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2,
                Thread.ofPlatform().name("bench-storm-timers").daemon().factory());
        timers.setRemoveOnCancelPolicy(true);
        FaultProxy proxy;
        try {
            proxy = FaultProxy.start(target.uri().getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fault proxy", e);
        }
        try (proxy) {
            int groups = (o.clients() + o.perSession() - 1) / o.perSession();
            List<String> tokens = new ArrayList<>();
            List<String> sessionIds = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                String id = credentials.newSessionId();
                sessionIds.add(id);
                tokens.add(credentials.token(id));
            }
            for (int i = 0; i < o.clients(); i++) {
                int g = i / o.perSession();
                int size = Math.min(o.perSession(), o.clients() - g * o.perSession());
                Client c = new Client(i, g, size);
                c.session = Session.builder(proxy.uri(), sessionIds.get(g)).listener(c).scheduler(timers)
                        .maxQueuedSignals(Math.max(1000, o.signals() * 2)).build();
                clients.add(c);
            }
            progress.accept("connecting " + o.clients() + " SDK sessions through the fault proxy");
            connectAll(tokens);
            await("everyone to see their whole session", () -> clients.stream().allMatch(
                    c -> c.session.getConnections().size() == c.next.length));
            progress.accept("sending " + BEFORE + " signals each before the drop");
            awaitAll(sendEach(1, BEFORE), "the signals before the drop to be acknowledged");

            CpuSnapshot start = CpuSnapshot.take(target.serverPid());
            long dropAt = System.nanoTime();
            proxy.refuse(true);
            proxy.resetAll();
            progress.accept("dropped every link; refusing new ones for " + o.outageMillis() + " ms");
            await("every session to notice the drop", () -> reconnecting.get() >= o.clients());
            List<CompletableFuture<Void>> queued = sendEach(BEFORE + 1, o.signals());
            long queuedCount = 0;
            for (Client c : clients) queuedCount += c.session.getQueuedSignals().size();
            long left = dropAt + o.outageMillis() * 1_000_000 - System.nanoTime();
            if (left > 0) Thread.sleep(left / 1_000_000);
            long releaseAt = System.nanoTime();
            proxy.refuse(false);
            progress.accept("links allowed again; " + queuedCount + " signals were queued");
            boolean back = awaitQuietly(() -> reconnected.get() >= o.clients());
            long backAt = lastReconnected.get();
            boolean flushed = awaitQuietly(() -> queued.stream().allMatch(CompletableFuture::isDone));
            long flushedAt = System.nanoTime();
            long expected = 0;
            for (Client c : clients) expected += (long) c.next.length * (BEFORE + o.signals());
            long expectedTotal = expected;
            boolean allDelivered = awaitQuietly(() -> delivered.get() >= expectedTotal);
            long deliveredAt = lastDelivered.get();
            CpuSnapshot stop = CpuSnapshot.take(target.serverPid());
            long rss = ProcStats.residentBytes(target.serverPid());
            long failedSends = queued.stream().filter(CompletableFuture::isCompletedExceptionally).count();
            int threads = Thread.activeCount();
            progress.accept("disconnecting");
            disconnectAll();

            long lost = expected - delivered.get();
            List<Figure> figures = new ArrayList<>(Arrays.asList(
                    new Figure("clients", "SDK sessions", o.clients()),
                    new Figure("per_session", "sessions per signaling session", o.perSession()),
                    new Figure("outage_ms", "outage (links refused) ms", (releaseAt - dropAt) / 1e6),
                    new Figure("queued", "signals queued during the outage", queuedCount),
                    new Figure("reconnected", "sessions back", reconnected.get()),
                    new Figure("gave_up", "sessions that gave up", disconnected.get()),
                    new Figure("back_ms", "all back, ms after release", back ? (backAt - releaseAt) / 1e6 : Double.NaN),
                    new Figure("flushed_ms", "all queues flushed (acked), ms after release", flushed ? (flushedAt - releaseAt) / 1e6 : Double.NaN),
                    new Figure("delivered_ms", "all delivered, ms after release", allDelivered ? (deliveredAt - releaseAt) / 1e6 : Double.NaN),
                    new Figure("back_since_drop_ms", "all back, ms after the drop", back ? (backAt - dropAt) / 1e6 : Double.NaN),
                    new Figure("expected", "deliveries expected", expected),
                    new Figure("delivered", "deliveries", delivered.get()),
                    new Figure("lost", "lost", lost),
                    new Figure("doubled", "doubled", doubled.get()),
                    new Figure("out_of_order", "out of order", outOfOrder.get()),
                    new Figure("failed_sends", "sends failed", failedSends),
                    new Figure("missed_reported", "signals reported missed", missed.get()),
                    new Figure("generator_threads", "generator threads (at the end)", threads)));
            Report.addCpu(figures, CpuUsage.between(start, stop), -1, "");
            figures.add(new Figure("server_rss_mb", "server RSS MB (end)", rss < 0 ? Double.NaN : rss / 1048576.0));
            boolean clean = back && flushed && allDelivered && lost == 0 && doubled.get() == 0 && outOfOrder.get() == 0
                    && failedSends == 0 && disconnected.get() == 0;
            return new Report("storm", clean, figures);
        } finally {
            for (Client c : clients) c.session.disconnect();
            timers.shutdown();
            timers.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private void connectAll(List<String> tokens) throws InterruptedException {
        List<CompletableFuture<Void>> window = new ArrayList<>();
        for (Client c : clients) {
            window.add(c.session.connect(tokens.get(c.group)));
            if (window.size() >= CONNECTING_AT_ONCE) {
                awaitAll(window, "sessions to connect");
                window.clear();
            }
        }
        awaitAll(window, "sessions to connect");
    }

    /** Each client sends {@code count} signals to everyone, numbered from {@code first}. */
    private List<CompletableFuture<Void>> sendEach(int first, int count) {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int k = first; k < first + count; k++) {
            for (Client c : clients) sends.add(c.session.sendSignal("storm", c.index + ":" + k));
        }
        return sends;
    }

    private void disconnectAll() throws InterruptedException {
        List<CompletableFuture<Void>> gone = new ArrayList<>();
        for (Client c : clients) gone.add(c.session.disconnect());
        awaitQuietly(() -> gone.stream().allMatch(CompletableFuture::isDone));
    }

    private static void awaitAll(List<CompletableFuture<Void>> futures, String what) throws InterruptedException {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(STEP_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("gave up waiting for " + what + ": " + e.getMessage(), e);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        if (!awaitQuietly(condition)) throw new IllegalStateException("gave up waiting for " + what);
    }

    private static boolean awaitQuietly(java.util.function.BooleanSupplier condition) throws InterruptedException {
        return LeanFleet.await(condition, System.nanoTime() + STEP_TIMEOUT_NANOS);
    }
}
