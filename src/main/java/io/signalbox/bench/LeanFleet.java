package io.signalbox.bench;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many lean protocol clients on a few {@link WsLoop}s: it opens them with a bounded number of handshakes
 * in flight, joins each to its session, keeps them alive with pings that carry their received count
 * (so the server keeps no replay it need not), and lets them leave at the end. What a workload does
 * with signals it says through {@link SignalSink}.
 */
final class LeanFleet implements WsHandler, AutoCloseable {

    /** What a workload does with a signal frame that reached one of the fleet's connections. */
    @FunctionalInterface
    interface SignalSink {
        /** Called on the connection's loop thread; {@code dataFrom} is where the signal's data begins. */
        void onSignal(WsConn conn, Member member, ByteBuffer buf, int dataFrom, int to);
    }

    /** One client of the fleet; touched only on its connection's loop thread, but for {@code id}. */
    static final class Member {
        final String sessionId;
        final String token;
        /** The connection id the server gave, as a string and as the bytes of a {@code to}; set once on the loop. */
        volatile String id;
        volatile byte[] idBytes;
        /** Signals received; counted on the loop, told to the server with each ping. */
        long received;

        Member(String sessionId, String token) {
            this.sessionId = sessionId;
            this.token = token;
        }
    }

    /**
     * How the opening went.
     *
     * @param connected   clients that got their {@code connected}
     * @param failed      clients that could not connect or were closed before
     * @param firstStart  when the first handshake started, {@link System#nanoTime()}
     * @param lastJoined  when the last {@code connected} arrived, {@link System#nanoTime()}
     */
    record Opening(int connected, int failed, long firstStart, long lastJoined) {
        double perSecond() {
            return lastJoined <= firstStart ? Double.NaN : connected / ((lastJoined - firstStart) / 1e9);
        }
    }

    private final Target target;
    private final List<WsLoop> loops = new ArrayList<>();
    private final List<InetAddress> sources;
    private final SignalSink sink;
    /** Every client's connection by index; filled by open() while the loops already run them. */
    private volatile java.util.concurrent.atomic.AtomicReferenceArray<WsConn> conns =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(0);
    /** How many connections open() started. */
    private volatile int started;
    /** Every client's state, made before the first socket opens so that the loops only read the array. */
    private volatile Member[] members = new Member[0];
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bench-pinger").daemon().factory());
    /** Handshakes and joins in flight; a permit is returned when a client is connected or failed. */
    private final Semaphore opening;
    private final int maxOpening;
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicLong lastJoined = new AtomicLong();
    /** {@code joined} frames received by all clients: on one server every pair in a session makes one. */
    private final AtomicLong joinedFrames = new AtomicLong();
    /**
     * Other members each client has been told of, summed: those its {@code connected} listed and those a
     * {@code joined} announced since. Each client learns of each other member once, on one node or several.
     */
    private final AtomicLong membersKnown = new AtomicLong();
    /** {@code nack} and {@code error} frames: refusals a run reports. */
    final AtomicLong refusals = new AtomicLong();
    /** Why clients closed, a few of them, for the report when something went wrong. */
    final ConcurrentHashMap<String, Integer> closeReasons = new ConcurrentHashMap<>();

    /**
     * @param loopCount    selector threads
     * @param sources      source addresses to spread connections over (an empty list for the default)
     * @param maxOpening   handshakes and joins in flight at most
     */
    LeanFleet(Target target, int loopCount, List<InetAddress> sources, int maxOpening, SignalSink sink) {
        this.target = target;
        this.sources = List.copyOf(sources);
        this.sink = sink;
        this.maxOpening = maxOpening;
        this.opening = new Semaphore(maxOpening);
        for (int i = 0; i < loopCount; i++) loops.add(new WsLoop("bench-loop-" + i));
    }

    List<WsLoop> loops() {
        return loops;
    }

    WsConn conn(int index) {
        return conns.get(index);
    }

    Member member(int index) {
        return members[index];
    }

    int size() {
        return started;
    }

    long joinedFrames() {
        return joinedFrames.get();
    }

    /**
     * Other members every client has been told of, summed: n (n - 1) once a session of n has all joined
     * and every client knows of every other, whichever node each is on. On one server, counting
     * {@code joined} frames up to n (n - 1) / 2 says the same; across nodes a pair that joined at the same
     * instant on two nodes may be announced to both, the welcome having missed each, so only this count
     * is exact there.
     */
    long membersKnown() {
        return membersKnown.get();
    }

    int closedCount() {
        return closed.get();
    }

    /**
     * Opens one client per (session, token) pair, in that order, to the fleet's server, and waits until
     * every one is connected or failed, or the deadline passes. Client {@code i} runs on loop
     * {@code i % loops}.
     */
    Opening open(List<String> sessionIds, List<String> tokens, long deadlineNanos) throws InterruptedException {
        return open(sessionIds, tokens, java.util.Collections.nCopies(sessionIds.size(), target), deadlineNanos);
    }

    /** As {@link #open(List, List, long)}, client {@code i} to the server {@code servers.get(i)}. */
    Opening open(List<String> sessionIds, List<String> tokens, List<Target> servers, long deadlineNanos)
            throws InterruptedException {
        Member[] all = new Member[sessionIds.size()];
        for (int i = 0; i < all.length; i++) all[i] = new Member(sessionIds.get(i), tokens.get(i));
        members = all;
        conns = new java.util.concurrent.atomic.AtomicReferenceArray<>(all.length);
        long first = System.nanoTime();
        for (int i = 0; i < sessionIds.size(); i++) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !opening.tryAcquire(left, TimeUnit.NANOSECONDS)) break;
            InetAddress source = sources.isEmpty() ? null : sources.get(i % sources.size());
            WsLoop loop = loops.get(i % loops.size());
            Target server = servers.get(i);
            conns.set(i, WsConn.open(loop, i, this, server.socketAddress(), source, server.webSocketPath()));
            started = i + 1;
        }
        // Every handshake has ended one way or the other once all permits are back.
        long left = deadlineNanos - System.nanoTime();
        if (left > 0 && opening.tryAcquire(maxOpening, left, TimeUnit.NANOSECONDS)) opening.release(maxOpening);
        return new Opening(connected.get(), failed.get() + (sessionIds.size() - started), first, lastJoined.get());
    }

    /** Into how many slices a ping period is cut: each client pings in its own slice. */
    private static final int PING_SLICES = 40;
    /** The slices pinged so far; the pinger's thread alone touches it. */
    private long pingTurns;

    /**
     * Pings every open client every {@code periodMillis}, with its received count: a slice of the
     * clients at a time, so that the pings are spread over the period as real clients' heartbeats are,
     * not a burst of one per client every period.
     */
    void startPings(long periodMillis) {
        long slice = Math.max(1, periodMillis / PING_SLICES);
        pinger.scheduleAtFixedRate(() -> {
            int turn = (int) (pingTurns++ % PING_SLICES);
            for (WsLoop loop : loops) {
                loop.execute(() -> {
                    List<WsConn> conns = loop.conns;
                    for (int i = turn; i < conns.size(); i += PING_SLICES) {
                        WsConn conn = conns.get(i);
                        if (conn.isOpen() && conn.attachment instanceof Member m) {
                            byte[] ping = Wire.ping(m.received);
                            conn.sendText(ping, 0, ping.length);
                        }
                    }
                });
            }
        }, slice, slice, TimeUnit.MILLISECONDS);
    }

    /** Waits until {@code condition} holds or the deadline passes, checking every few milliseconds. */
    static boolean await(java.util.function.BooleanSupplier condition, long deadlineNanos) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadlineNanos) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Waits until {@code count} reaches {@code goal}, however long that takes while it keeps moving;
     * false once it has not moved for {@code stallNanos}.
     */
    static boolean awaitCount(java.util.function.LongSupplier count, long goal, long stallNanos)
            throws InterruptedException {
        long last = count.getAsLong();
        long movedAt = System.nanoTime();
        while (last < goal) {
            Thread.sleep(5);
            long now = count.getAsLong();
            if (now != last) {
                last = now;
                movedAt = System.nanoTime();
            } else if (System.nanoTime() - movedAt > stallNanos) {
                return false;
            }
        }
        return true;
    }

    /** Every client leaves its session; waits up to {@code millis} for the server to close them all. */
    void leaveAll(long millis) throws InterruptedException {
        pinger.shutdownNow();
        byte[] leave = Wire.leave();
        for (WsLoop loop : loops) {
            loop.execute(() -> {
                for (WsConn conn : loop.conns) conn.sendText(leave, 0, leave.length);
            });
        }
        int opened = started;
        await(() -> closed.get() >= opened, System.nanoTime() + millis * 1_000_000);
    }

    @Override
    public void onOpen(WsConn conn) {
        Member m = members[conn.index];
        conn.attachment = m;
        byte[] connect = Wire.connect(m.sessionId, m.token);
        conn.sendText(connect, 0, connect.length);
    }

    @Override
    public void onText(WsConn conn, ByteBuffer buf, int from, int to) {
        Member m = (Member) conn.attachment;
        if (Wire.startsWith(buf, from, to, Wire.SIGNAL)) {
            m.received++;
            sink.onSignal(conn, m, buf, Wire.dataStart(buf, from, to), to);
        } else if (Wire.startsWith(buf, from, to, Wire.ACK)) {
            // routed; the workloads judge by what arrives
        } else if (Wire.startsWith(buf, from, to, Wire.JOINED)) {
            joinedFrames.incrementAndGet();
            membersKnown.incrementAndGet();
        } else if (Wire.startsWith(buf, from, to, Wire.CONNECTED)) {
            membersKnown.addAndGet(Wire.othersListed(buf, from, to));
            String id = Wire.selfId(buf, from, to);
            m.idBytes = id == null ? new byte[0] : id.getBytes(StandardCharsets.US_ASCII);
            m.id = id;
            lastJoined.set(System.nanoTime());
            connected.incrementAndGet();
            opening.release();
        } else if (Wire.startsWith(buf, from, to, Wire.NACK) || Wire.startsWith(buf, from, to, Wire.ERROR)) {
            refusals.incrementAndGet();
            if (refusals.get() <= 5) closeReasons.merge("refused: " + WsConn.utf8(buf, from, Math.min(to, from + 200)), 1, Integer::sum);
        }
    }

    @Override
    public void onClosed(WsConn conn, String why) {
        closed.incrementAndGet();
        Member m = conn.attachment instanceof Member member ? member : null;
        if (m == null || m.id == null) {
            failed.incrementAndGet();
            opening.release();
        }
        if (closeReasons.size() < 20) closeReasons.merge(why, 1, Integer::sum);
    }

    @Override
    public void close() {
        pinger.shutdownNow();
        for (WsLoop loop : loops) loop.close();
    }
}
