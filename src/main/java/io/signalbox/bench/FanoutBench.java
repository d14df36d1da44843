package io.signalbox.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Broadcast fan-out: N receivers and one sender in one session; the sender broadcasts signals of S bytes
 * with at most W in flight, a signal leaving the window once all N receivers have it. Measures
 * deliveries per second, one-way latency (the sender puts {@link System#nanoTime()} in the data; sender
 * and receivers share this process's clock), and what the server spent per delivery.
 *
 * <p>The server also sends each broadcast back to its sender (the contract: to everyone, the sender
 * included); those echoes cost the server a write each but are not counted as deliveries, so the
 * server's CPU per delivery is a little pessimistic next to relays that skip the sender.
 *
 * <p>Against K nodes sharing the session through Redis, the sender joins node 1 and receiver r (1 to N)
 * joins node ((r - 1) mod K) + 1, so (K - 1) / K of the deliveries cross Redis; the report then gives
 * each node's CPU and memory and the Redis server's, beside their sums.
 */
final class FanoutBench {

    /**
     * @param clients   receivers (N)
     * @param size      bytes of signal data (S)
     * @param window    signals in flight at most (W)
     * @param messages  signals measured
     * @param warmup    signals sent before the measurement, to warm both JVMs
     * @param loops     the generator's selector threads
     * @param maxMillis the longest the measured phase may take
     */
    record Options(int clients, int size, int window, long messages, long warmup, int loops, long maxMillis) {
        Options {
            if (clients < 1) throw new IllegalArgumentException("clients must be at least 1");
            if (size < 0 || size > 8192) throw new IllegalArgumentException("size must be 0 to 8192 bytes");
            if (window < 1) throw new IllegalArgumentException("window must be at least 1");
            if (messages < 1 || warmup < 0) throw new IllegalArgumentException("messages must be at least 1");
        }
    }

    private static final byte[] PAD = "x".repeat(8192).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** How long without any signal completing before the run counts what is missing as lost. */
    private static final long STALL_NANOS = 5_000_000_000L;

    private final Cluster cluster;
    private final Options o;
    private final Consumer<String> progress;
    private final long total;
    private final long origin = System.nanoTime();
    /** Receivers that have each signal in the window, by seq modulo the ring. */
    private final AtomicIntegerArray counts;
    private final int ring;
    private final AtomicLong completed = new AtomicLong();
    private final LongAdder measuredDeliveries = new LongAdder();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong lastDelivery = new AtomicLong();
    /** Per receiver, the last seq it got; each entry touched by its connection's loop only. */
    private final long[] lastSeq;
    /** Measured deliveries by the node the receiver is on. */
    private final LongAdder[] nodeDeliveries;
    private LeanFleet fleet;
    private WsConn sender;
    /** The sender's state, on its loop: signals sent, the frame being built. */
    private long sent;
    private final Bytes frame = new Bytes(9000);
    /** Taken by the sender's loop as the first measured signal goes out, and when the last completes. */
    private volatile CpuSnapshot start;
    private volatile CpuSnapshot end;

    private FanoutBench(Cluster cluster, Options o, Consumer<String> progress) {
        this.cluster = cluster;
        this.o = o;
        this.progress = progress;
        this.total = o.warmup() + o.messages();
        this.ring = Integer.highestOneBit(Math.max(2, o.window()) * 2 - 1) * 2;
        this.counts = new AtomicIntegerArray(ring);
        this.lastSeq = new long[o.clients() + 1];
        this.nodeDeliveries = new LongAdder[cluster.size()];
        for (int i = 0; i < nodeDeliveries.length; i++) nodeDeliveries[i] = new LongAdder();
    }

    static Report run(Cluster cluster, Options o, Consumer<String> progress) throws InterruptedException {
        return new FanoutBench(cluster, o, progress).run();
    }

    /** The node (from 0) client {@code index} joins: the sender (0) the first, the receivers in turn. */
    private int nodeOf(int index) {
        return index == 0 ? 0 : (index - 1) % cluster.size();
    }

    /** Receivers on the node (from 0). */
    private int receiversOn(int node) {
        int count = 0;
        for (int r = 1; r <= o.clients(); r++) {
            if (nodeOf(r) == node) count++;
        }
        return count;
    }

    private Report run() throws InterruptedException {
        Credentials credentials = new Credentials(cluster.first());
        String sessionId = credentials.newSessionId();
        String token = credentials.token(sessionId);
        int n = o.clients() + 1;
        List<Target> servers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) servers.add(cluster.nodes().get(nodeOf(i)));
        try (LeanFleet f = new LeanFleet(cluster.first(), o.loops(), List.of(), 256, this::onSignal)) {
            fleet = f;
            progress.accept("opening " + n + " connections" + (cluster.size() == 1 ? ""
                    : " over " + cluster.size() + " nodes, the sender on node 1"));
            LeanFleet.Opening opening = f.open(Collections.nCopies(n, sessionId), Collections.nCopies(n, token),
                    servers, System.nanoTime() + 60_000_000_000L);
            if (opening.connected() < n) {
                throw new IllegalStateException(opening.failed() + " of " + n + " clients could not connect: "
                        + f.closeReasons);
            }
            f.startPings(4000);
            // Once every client has been told of every other, on whichever node, the joins are over. On a
            // busy machine a thousand joins across nodes take a while: only 30 s without news ends the wait.
            long known = (long) n * (n - 1);
            if (!LeanFleet.awaitCount(f::membersKnown, known, 30_000_000_000L)) {
                throw new IllegalStateException("the join announcements stopped coming: the clients were told of "
                        + f.membersKnown() + " of the " + known + " other members they should know");
            }
            sender = f.conn(0);
            progress.accept("sending " + o.warmup() + " warm-up and " + o.messages() + " measured signals of "
                    + o.size() + " B to " + o.clients() + " receivers, window " + o.window());
            sender.loop.execute(this::pump);
            long deadline = System.nanoTime() + 30_000_000_000L + o.maxMillis() * 1_000_000;
            long lastProgress = System.nanoTime();
            long seen = 0;
            boolean stalled = false;
            while (completed.get() < total) {
                Thread.sleep(5);
                long now = System.nanoTime();
                long c = completed.get();
                if (c != seen) {
                    seen = c;
                    lastProgress = now;
                } else if (now - lastProgress > STALL_NANOS) {
                    stalled = true;
                    break;
                }
                if (now > deadline) {
                    stalled = true;
                    break;
                }
            }
            CpuSnapshot stop = end != null ? end : cluster.cpuSnapshot();
            List<Long> rss = new ArrayList<>();
            for (long pid : cluster.nodePids()) rss.add(ProcStats.residentBytes(pid));
            long redisRss = ProcStats.residentBytes(cluster.redisPid());
            f.leaveAll(5000);
            return report(stop, rss, redisRss, stalled);
        }
    }

    /** Sends while the window has room; on the sender's loop. */
    private void pump() {
        while (sent < total && sent - completed.get() < o.window()) {
            long seq = ++sent;
            if (seq == o.warmup() + 1) start = cluster.cpuSnapshot();
            Wire.beginSignal(frame, seq);
            int dataStart = frame.length();
            frame.putLong(seq).put((byte) '.').putLong(System.nanoTime() - origin).put((byte) '.');
            int used = frame.length() - dataStart;
            if (o.size() > used) frame.put(PAD, 0, o.size() - used);
            Wire.endSignal(frame, null);
            sender.sendText(frame.array(), 0, frame.length());
        }
    }

    private void onSignal(WsConn conn, LeanFleet.Member member, ByteBuffer buf, int data, int to) {
        if (conn.index == 0 || data < 0) return; // the sender's own echo
        long seq = Wire.number(buf, data, to);
        long stamp = Wire.number(buf, Wire.skipNumber(buf, data, to), to);
        long now = System.nanoTime();
        if (seq != lastSeq[conn.index] + 1) outOfOrder.incrementAndGet();
        lastSeq[conn.index] = seq;
        if (seq > o.warmup()) {
            conn.loop.latencies.recordNanos(now - origin - stamp);
            measuredDeliveries.increment();
            nodeDeliveries[nodeOf(conn.index)].increment();
            lastDelivery.set(now);
        }
        int slot = (int) (seq & (ring - 1));
        if (counts.incrementAndGet(slot) == o.clients()) {
            counts.set(slot, 0);
            long done = completed.incrementAndGet();
            if (done == total) end = cluster.cpuSnapshot();
            sender.loop.execute(this::pump);
        }
    }

    private Report report(CpuSnapshot stop, List<Long> rss, long redisRss, boolean stalled) {
        LatencyHistogram all = new LatencyHistogram();
        for (WsLoop loop : fleet.loops()) all.add(loop.latencies);
        long delivered = measuredDeliveries.sum();
        long sentMeasured = Math.max(0, sent - o.warmup());
        long lost = sentMeasured * o.clients() - delivered;
        CpuSnapshot begin = start != null ? start : stop;
        CpuUsage cpu = CpuUsage.between(begin, stop);
        double seconds = start == null ? Double.NaN : (lastDelivery.get() - start.nanoTime()) / 1e9;
        boolean several = cluster.size() > 1;
        List<Figure> figures = new ArrayList<>(Arrays.asList(
                new Figure("clients", "receivers (N)", o.clients()),
                new Figure("size_bytes", "signal data (S, bytes)", o.size()),
                new Figure("window", "window (signals in flight)", o.window()),
                new Figure("nodes", "server nodes", cluster.size()),
                new Figure("signals_sent", "signals sent (measured)", sentMeasured),
                new Figure("deliveries", "deliveries", delivered),
                new Figure("lost", "lost (sent x N - delivered)", lost),
                new Figure("out_of_order", "out of order or doubled", outOfOrder.get()),
                new Figure("refused", "refused (nack/error)", fleet.refusals.get()),
                new Figure("seconds", "measured seconds", seconds),
                new Figure("deliveries_per_s", "deliveries/s", delivered / seconds),
                new Figure("signals_per_s", "signals/s", sentMeasured / seconds),
                new Figure("p50_ms", "latency p50 ms", all.quantileMillis(0.50)),
                new Figure("p99_ms", "latency p99 ms", all.quantileMillis(0.99)),
                new Figure("p999_ms", "latency p99.9 ms", all.quantileMillis(0.999)),
                new Figure("max_ms", "latency max ms", all.maxMillis())));
        if (!several) {
            Report.addCpu(figures, cpu, delivered, "delivery");
            figures.add(new Figure("server_rss_mb", "server RSS MB (end)", mb(rss.getFirst())));
        } else {
            figures.add(new Figure("server_cpu_pct", "server CPU %, all nodes (100 = 1 core)", cpu.serverPercent()));
            figures.add(new Figure("generator_cpu_pct", "generator CPU %", cpu.generatorPercent()));
            figures.add(new Figure("other_cpu_pct", "other CPU % (machine noise)", cpu.otherPercent()));
            figures.add(new Figure("server_us_per_delivery", "server CPU µs per delivery, all nodes",
                    cpu.serverMicrosPer(delivered)));
            long rssSum = 0;
            for (long r : rss) rssSum = r < 0 || rssSum < 0 ? -1 : rssSum + r;
            figures.add(new Figure("server_rss_mb", "server RSS MB (end), all nodes", mb(rssSum)));
            for (int i = 0; i < cluster.size(); i++) {
                String key = "node" + (i + 1) + "_";
                String label = "node " + (i + 1) + " ";
                long onNode = nodeDeliveries[i].sum();
                figures.add(new Figure(key + "receivers", label + "receivers", receiversOn(i)));
                figures.add(new Figure(key + "deliveries", label + "deliveries", onNode));
                figures.add(new Figure(key + "cpu_pct", label + "CPU %", cpu.nodePercent(i)));
                figures.add(new Figure(key + "us_per_delivery", label + "CPU µs per delivery to its receivers",
                        cpu.nodeMicrosPer(i, onNode)));
                figures.add(new Figure(key + "rss_mb", label + "RSS MB (end)", mb(rss.get(i))));
            }
        }
        if (cluster.redis() != null) {
            figures.add(new Figure("redis", "Redis", cluster.redis().toString()));
            figures.add(new Figure("redis_cpu_pct", "Redis CPU %", cpu.redisPercent()));
            figures.add(new Figure("redis_us_per_delivery", "Redis CPU µs per delivery", cpu.redisMicrosPer(delivered)));
            figures.add(new Figure("redis_rss_mb", "Redis RSS MB (end)", mb(redisRss)));
            figures.add(new Figure("total_us_per_delivery", "CPU µs per delivery, nodes + Redis",
                    cpu.serverMicrosPer(delivered) + cpu.redisMicrosPer(delivered)));
        }
        figures.addAll(GcPauses.figures(cluster.nodes(), begin, stop));
        figures.add(new Figure("stalled", "stalled (timed out)", stalled));
        boolean clean = !stalled && lost == 0 && outOfOrder.get() == 0 && fleet.refusals.get() == 0;
        return new Report("fanout", clean, figures);
    }

    private static double mb(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / 1048576.0;
    }
}
