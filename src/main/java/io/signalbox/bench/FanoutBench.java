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

    private final Target target;
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
    private LeanFleet fleet;
    private WsConn sender;
    /** The sender's state, on its loop: signals sent, the frame being built. */
    private long sent;
    private final Bytes frame = new Bytes(9000);
    /** Taken by the sender's loop as the first measured signal goes out, and when the last completes. */
    private volatile CpuSnapshot start;
    private volatile CpuSnapshot end;

    private FanoutBench(Target target, Options o, Consumer<String> progress) {
        this.target = target;
        this.o = o;
        this.progress = progress;
        this.total = o.warmup() + o.messages();
        this.ring = Integer.highestOneBit(Math.max(2, o.window()) * 2 - 1) * 2;
        this.counts = new AtomicIntegerArray(ring);
        this.lastSeq = new long[o.clients() + 1];
    }

    static Report run(Target target, Options o, Consumer<String> progress) throws InterruptedException {
        return new FanoutBench(target, o, progress).run();
    }

    private Report run() throws InterruptedException {
        Credentials credentials = new Credentials(target);
        String sessionId = credentials.newSessionId();
        String token = credentials.token(sessionId);
        int n = o.clients() + 1;
        try (LeanFleet f = new LeanFleet(target, o.loops(), List.of(), 256, this::onSignal)) {
            fleet = f;
            progress.accept("opening " + n + " connections");
            LeanFleet.Opening opening = f.open(Collections.nCopies(n, sessionId), Collections.nCopies(n, token),
                    System.nanoTime() + 60_000_000_000L);
            if (opening.connected() < n) {
                throw new IllegalStateException(opening.failed() + " of " + n + " clients could not connect: "
                        + f.closeReasons);
            }
            f.startPings(4000);
            // Every pair in the session makes one 'joined': once all have arrived, the joins are over.
            long pairs = (long) n * (n - 1) / 2;
            if (!LeanFleet.await(() -> f.joinedFrames() >= pairs, System.nanoTime() + 60_000_000_000L)) {
                throw new IllegalStateException("the join announcements did not all arrive within 60 s");
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
            CpuSnapshot stop = end != null ? end : CpuSnapshot.take(target.serverPid());
            long rss = ProcStats.residentBytes(target.serverPid());
            f.leaveAll(5000);
            return report(stop, rss, stalled);
        }
    }

    /** Sends while the window has room; on the sender's loop. */
    private void pump() {
        while (sent < total && sent - completed.get() < o.window()) {
            long seq = ++sent;
            if (seq == o.warmup() + 1) start = CpuSnapshot.take(target.serverPid());
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
            lastDelivery.set(now);
        }
        int slot = (int) (seq & (ring - 1));
        if (counts.incrementAndGet(slot) == o.clients()) {
            counts.set(slot, 0);
            long done = completed.incrementAndGet();
            if (done == total) end = CpuSnapshot.take(target.serverPid());
            sender.loop.execute(this::pump);
        }
    }

    private Report report(CpuSnapshot stop, long rss, boolean stalled) {
        LatencyHistogram all = new LatencyHistogram();
        for (WsLoop loop : fleet.loops()) all.add(loop.latencies);
        long delivered = measuredDeliveries.sum();
        long sentMeasured = Math.max(0, sent - o.warmup());
        long lost = sentMeasured * o.clients() - delivered;
        CpuSnapshot begin = start != null ? start : stop;
        CpuUsage cpu = CpuUsage.between(begin, stop);
        double seconds = start == null ? Double.NaN : (lastDelivery.get() - start.nanoTime()) / 1e9;
        List<Figure> figures = new ArrayList<>(Arrays.asList(
                new Figure("clients", "receivers (N)", o.clients()),
                new Figure("size_bytes", "signal data (S, bytes)", o.size()),
                new Figure("window", "window (signals in flight)", o.window()),
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
        Report.addCpu(figures, cpu, delivered, "delivery");
        figures.add(new Figure("server_rss_mb", "server RSS MB (end)", rss < 0 ? Double.NaN : rss / 1048576.0));
        figures.add(new Figure("stalled", "stalled (timed out)", stalled));
        boolean clean = !stalled && lost == 0 && outOfOrder.get() == 0 && fleet.refusals.get() == 0;
        return new Report("fanout", clean, figures);
    }
}
