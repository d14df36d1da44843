package io.signalbox.bench;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Idle connections: opens many clients (in sessions of a few, as chats are), holds them with
 * heartbeats only, and reports how fast they connected and what each costs the server in resident
 * memory: (RSS held - RSS before) / connections, and again after a full collection, beside the live heap
 * each keeps (read with {@code jcmd} when the server's pid is known). A client counts as connected when its
 * {@code connected} arrived. The server is warmed with a few connections first, so that "before"
 * holds the classes and buffers any server has once it served one client.
 */
final class IdleBench {

    /**
     * @param clients     connections to open
     * @param perSession  clients per session
     * @param holdMillis  how long they are held, with heartbeats, before memory is read
     * @param sources     source addresses to spread them over (each has its own range of ports)
     * @param loops       the generator's selector threads
     */
    record Options(int clients, int perSession, long holdMillis, List<InetAddress> sources, int loops) {
        Options {
            sources = List.copyOf(sources);
        }
    }

    private static final int WARMUP_CLIENTS = 100;
    private static final long OPEN_TIMEOUT_NANOS = 120_000_000_000L;

    private IdleBench() {}

    static Report run(Target target, Options o, Consumer<String> progress) throws InterruptedException {
        Credentials credentials = new Credentials(target);
        warm(target, credentials, o, progress);
        List<String> sessions = new ArrayList<>(o.clients());
        List<String> tokens = new ArrayList<>(o.clients());
        String sessionId = null;
        String token = null;
        for (int i = 0; i < o.clients(); i++) {
            if (i % o.perSession() == 0) {
                sessionId = credentials.newSessionId();
                token = credentials.token(sessionId);
            }
            sessions.add(sessionId);
            tokens.add(token);
        }
        long heapBefore = JvmProbe.liveHeapBytes(target.serverPid());
        long rssBefore = ProcStats.residentBytes(target.serverPid());
        try (LeanFleet fleet = new LeanFleet(target, o.loops(), o.sources(), 256, (c, m, b, d, t) -> {})) {
            progress.accept("opening " + o.clients() + " idle connections in sessions of " + o.perSession());
            fleet.startPings(4000);
            CpuSnapshot before = CpuSnapshot.take(target.serverPid());
            LeanFleet.Opening opening = fleet.open(sessions, tokens, System.nanoTime() + OPEN_TIMEOUT_NANOS);
            CpuSnapshot connectedAt = CpuSnapshot.take(target.serverPid());
            progress.accept(opening.connected() + " connected; holding for " + o.holdMillis() + " ms");
            Thread.sleep(o.holdMillis());
            long rssHeld = ProcStats.residentBytes(target.serverPid());
            // After a full collection: what the connections keep, without the handshakes' garbage.
            long heapHeld = JvmProbe.liveHeapBytes(target.serverPid());
            long rssHeldAfterGc = ProcStats.residentBytes(target.serverPid());
            int openAfterHold = opening.connected() - (fleet.closedCount() - opening.failed());
            progress.accept("leaving");
            fleet.leaveAll(30_000);
            CpuUsage connectCpu = CpuUsage.between(before, connectedAt);
            double perConnKb = perConnectionKb(rssBefore, rssHeld, opening.connected());
            List<Figure> figures = new ArrayList<>(Arrays.asList(
                    new Figure("clients", "connections asked", o.clients()),
                    new Figure("per_session", "clients per session", o.perSession()),
                    new Figure("connected", "connected", opening.connected()),
                    new Figure("failed", "failed", opening.failed()),
                    new Figure("open_after_hold", "open after hold", openAfterHold),
                    new Figure("connect_per_s", "connects/s", opening.perSecond()),
                    new Figure("server_rss_before_mb", "server RSS before MB", mb(rssBefore)),
                    new Figure("server_rss_held_mb", "server RSS held MB", mb(rssHeld)),
                    new Figure("server_rss_per_conn_kb", "server RSS per connection KB", perConnKb),
                    new Figure("server_rss_after_gc_mb", "server RSS held, after a full GC, MB", mb(rssHeldAfterGc)),
                    new Figure("server_rss_after_gc_per_conn_kb", "server RSS per connection after GC KB",
                            perConnectionKb(rssBefore, rssHeldAfterGc, opening.connected())),
                    new Figure("server_heap_per_conn_kb", "server live heap per connection KB",
                            perConnectionKb(heapBefore, heapHeld, opening.connected()))));
            Report.addCpu(figures, connectCpu, opening.connected(), "connect");
            if (opening.failed() > 0) figures.add(new Figure("close_reasons", "why some closed", fleet.closeReasons.toString()));
            boolean clean = opening.connected() == o.clients() && openAfterHold == o.clients();
            return new Report("idle", clean, figures);
        }
    }

    /** Connects a few clients and lets them leave, so that the server has served before "before". */
    private static void warm(Target target, Credentials credentials, Options o, Consumer<String> progress)
            throws InterruptedException {
        int n = Math.min(WARMUP_CLIENTS, o.clients());
        String sessionId = credentials.newSessionId();
        String token = credentials.token(sessionId);
        progress.accept("warming the server with " + n + " connections");
        try (LeanFleet fleet = new LeanFleet(target, 1, List.of(), 64, (c, m, b, d, t) -> {})) {
            fleet.open(Collections.nCopies(n, sessionId), Collections.nCopies(n, token), System.nanoTime() + 30_000_000_000L);
            fleet.leaveAll(5000);
        }
        Thread.sleep(1000);
    }

    private static double perConnectionKb(long before, long held, int connections) {
        return before < 0 || held < 0 || connections == 0 ? Double.NaN : (held - before) / 1024.0 / connections;
    }

    private static double mb(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / 1048576.0;
    }
}
