package io.signalbox.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Direct signals: N clients in one session, each signal from a random client to a random other, on an
 * open-loop schedule at a fixed total rate (1 ms ticks, at most 10 ms of signals per tick), a warm-up
 * and then the measured time. Every signal carries its number, its intended receiver and its send
 * time, so the receivers find loss, doubling and misrouting, and latency from the actual send.
 * "Kept up" means every planned signal was sent, none later than 100 ms after its planned time.
 */
final class DirectBench {

    /**
     * @param clients        clients in the session (N)
     * @param size           bytes of signal data
     * @param rate           signals per second in total
     * @param durationMillis the measured time
     * @param warmupMillis   the warm-up before it
     * @param loops          the generator's selector threads
     */
    record Options(int clients, int size, int rate, long durationMillis, long warmupMillis, int loops) {
        Options {
            if (clients < 2) throw new IllegalArgumentException("direct needs at least 2 clients");
            if (rate < 1) throw new IllegalArgumentException("rate must be at least 1");
            if (durationMillis < 1 || warmupMillis < 0) throw new IllegalArgumentException("duration must be positive");
        }
    }

    private static final byte[] PAD = "x".repeat(8192).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long KEPT_UP_LAG_NANOS = 100_000_000L;
    private static final long DRAIN_NANOS = 10_000_000_000L;

    private final Target target;
    private final Options o;
    private final Consumer<String> progress;
    private final long origin = System.nanoTime();
    private final long warmupCount;
    private final long planned;
    private final AtomicLongArray seen;
    private final LongAdder sent = new LongAdder();
    private final LongAdder unsent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder measuredReceived = new LongAdder();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong misrouted = new AtomicLong();
    private final AtomicLong lastReceive = new AtomicLong();
    /** The latest any signal went out after its planned time, in ns. */
    private final AtomicLong maxLag = new AtomicLong();
    /** Per sender, the protocol seq of its last signal; touched by its loop only. */
    private final long[] seqOf;
    /** Per loop, the frame being put together; touched by that loop only. */
    private final List<Bytes> frames = new ArrayList<>();
    private LeanFleet fleet;

    private DirectBench(Target target, Options o, Consumer<String> progress) {
        this.target = target;
        this.o = o;
        this.progress = progress;
        this.warmupCount = o.rate() * o.warmupMillis() / 1000;
        this.planned = warmupCount + o.rate() * o.durationMillis() / 1000;
        this.seen = new AtomicLongArray((int) (planned / 64 + 1));
        this.seqOf = new long[o.clients()];
    }

    static Report run(Target target, Options o, Consumer<String> progress) throws InterruptedException {
        return new DirectBench(target, o, progress).run();
    }

    private Report run() throws InterruptedException {
        Credentials credentials = new Credentials(target);
        String sessionId = credentials.newSessionId();
        String token = credentials.token(sessionId);
        int n = o.clients();
        try (LeanFleet f = new LeanFleet(target, o.loops(), List.of(), 256, this::onSignal)) {
            fleet = f;
            for (int i = 0; i < o.loops(); i++) frames.add(new Bytes(9000));
            progress.accept("opening " + n + " connections");
            LeanFleet.Opening opening = f.open(Collections.nCopies(n, sessionId), Collections.nCopies(n, token),
                    System.nanoTime() + 60_000_000_000L);
            if (opening.connected() < n) {
                throw new IllegalStateException(opening.failed() + " of " + n + " clients could not connect: " + f.closeReasons);
            }
            f.startPings(4000);
            long pairs = (long) n * (n - 1) / 2;
            if (!LeanFleet.await(() -> f.joinedFrames() >= pairs, System.nanoTime() + 60_000_000_000L)) {
                throw new IllegalStateException("the join announcements did not all arrive within 60 s");
            }
            progress.accept("sending " + o.rate() + " signals/s for " + o.warmupMillis() + " ms of warm-up and "
                    + o.durationMillis() + " ms measured");
            Schedule schedule = schedule();
            long drainUntil = System.nanoTime() + DRAIN_NANOS;
            // The last signals may still wait in the loops' queues when the schedule returns: until every
            // planned one has been handed to its socket (or given up), "all received" would be judged on
            // too few, and the clients would leave while signals to them are still being sent.
            LeanFleet.await(() -> sent.sum() + unsent.sum() >= schedule.plannedCount()
                    && received.sum() + duplicates.get() >= sent.sum(), drainUntil);
            CpuSnapshot stop = CpuSnapshot.take(target.serverPid());
            long rss = ProcStats.residentBytes(target.serverPid());
            f.leaveAll(5000);
            return report(schedule, stop, rss);
        }
    }

    /** What the schedule did: when the measured phase began, and whether every signal was planned in time. */
    private record Schedule(CpuSnapshot start, long plannedCount) {}

    /** Plans the signals tick by tick on this thread and hands them to the senders' loops. */
    private Schedule schedule() {
        SplittableRandom random = new SplittableRandom(42);
        List<WsLoop> loops = fleet.loops();
        // The generator's own garbage of the connects is collected before the first signal: a
        // collection while signals are measured would hold up its reading, and count as the
        // server's latency (what it makes per signal does not fill its young generation in a run).
        System.gc();
        long begin = System.nanoTime();
        long warmupEnd = begin + o.warmupMillis() * 1_000_000;
        long hardEnd = warmupEnd + o.durationMillis() * 1_000_000 + 5_000_000_000L;
        long perTickCap = Math.max(1, o.rate() / 100);
        double nanosPerSignal = 1e9 / o.rate();
        CpuSnapshot start = null;
        long next = 0;
        while (next < planned) {
            long now = System.nanoTime();
            if (now > hardEnd) break;
            if (start == null && now >= warmupEnd) start = CpuSnapshot.take(target.serverPid());
            long due = Math.min(planned, (long) ((now - begin) / nanosPerSignal) + 1);
            long upTo = Math.min(due, next + perTickCap);
            if (upTo > next) {
                List<List<long[]>> batches = new ArrayList<>();
                for (int i = 0; i < loops.size(); i++) batches.add(new ArrayList<>());
                for (long id = next; id < upTo; id++) {
                    int from = random.nextInt(o.clients());
                    int to = random.nextInt(o.clients() - 1);
                    if (to >= from) to++;
                    long plannedAt = begin + (long) (id * nanosPerSignal);
                    batches.get(from % loops.size()).add(new long[] {id, from, to, plannedAt});
                }
                for (int i = 0; i < loops.size(); i++) {
                    List<long[]> batch = batches.get(i);
                    if (batch.isEmpty()) continue;
                    int loopIndex = i;
                    loops.get(i).execute(() -> send(loopIndex, batch));
                }
                next = upTo;
            }
            LockSupport.parkNanos(1_000_000);
        }
        if (start == null) start = CpuSnapshot.take(target.serverPid());
        return new Schedule(start, next);
    }

    /** Sends a batch of planned signals; on loop {@code loopIndex}. */
    private void send(int loopIndex, List<long[]> batch) {
        Bytes frame = frames.get(loopIndex);
        for (long[] s : batch) {
            long id = s[0];
            int from = (int) s[1];
            int to = (int) s[2];
            WsConn conn = fleet.conn(from);
            if (!conn.isOpen()) {
                unsent.increment();
                continue;
            }
            long now = System.nanoTime();
            long lag = now - s[3];
            if (lag > maxLag.get()) maxLag.accumulateAndGet(lag, Math::max);
            Wire.beginSignal(frame, ++seqOf[from]);
            int dataStart = frame.length();
            frame.putLong(id).put((byte) '.').putLong(to).put((byte) '.').putLong(now - origin).put((byte) '.');
            int used = frame.length() - dataStart;
            if (o.size() > used) frame.put(PAD, 0, o.size() - used);
            Wire.endSignal(frame, fleet.member(to).idBytes);
            conn.sendText(frame.array(), 0, frame.length());
            sent.increment();
        }
    }

    private void onSignal(WsConn conn, LeanFleet.Member member, ByteBuffer buf, int data, int end) {
        if (data < 0) return;
        long now = System.nanoTime();
        long id = Wire.number(buf, data, end);
        int at = Wire.skipNumber(buf, data, end);
        long to = Wire.number(buf, at, end);
        long stamp = Wire.number(buf, Wire.skipNumber(buf, at, end), end);
        if (to != conn.index) misrouted.incrementAndGet();
        if (id < 0 || id >= planned) {
            misrouted.incrementAndGet();
            return;
        }
        long bit = 1L << (id & 63);
        long before = seen.getAndAccumulate((int) (id >>> 6), bit, (a, b) -> a | b);
        if ((before & bit) != 0) {
            duplicates.incrementAndGet();
            return;
        }
        received.increment();
        if (id >= warmupCount) {
            conn.loop.latencies.recordNanos(now - origin - stamp);
            measuredReceived.increment();
            lastReceive.set(now);
        }
    }

    private Report report(Schedule schedule, CpuSnapshot stop, long rss) {
        LatencyHistogram all = new LatencyHistogram();
        for (WsLoop loop : fleet.loops()) all.add(loop.latencies);
        long sentCount = sent.sum();
        long lost = sentCount - received.sum();
        long measured = measuredReceived.sum();
        double seconds = (lastReceive.get() - schedule.start().nanoTime()) / 1e9;
        CpuUsage cpu = CpuUsage.between(schedule.start(), stop);
        boolean keptUp = schedule.plannedCount() == planned && unsent.sum() == 0 && maxLag.get() < KEPT_UP_LAG_NANOS;
        List<Figure> figures = new ArrayList<>(Arrays.asList(
                new Figure("clients", "clients (N)", o.clients()),
                new Figure("size_bytes", "signal data (bytes)", o.size()),
                new Figure("offered_per_s", "offered signals/s", o.rate()),
                new Figure("planned", "signals planned (with warm-up)", planned),
                new Figure("sent", "signals sent", sentCount),
                new Figure("received", "signals received", received.sum()),
                new Figure("lost", "lost (sent - received)", lost),
                new Figure("doubled", "doubled", duplicates.get()),
                new Figure("misrouted", "misrouted", misrouted.get()),
                new Figure("refused", "refused (nack/error)", fleet.refusals.get()),
                new Figure("achieved_per_s", "achieved signals/s (measured)", measured / seconds),
                new Figure("p50_ms", "latency p50 ms", all.quantileMillis(0.50)),
                new Figure("p99_ms", "latency p99 ms", all.quantileMillis(0.99)),
                new Figure("p999_ms", "latency p99.9 ms", all.quantileMillis(0.999)),
                new Figure("max_ms", "latency max ms", all.maxMillis()),
                new Figure("max_schedule_lag_ms", "max schedule lag ms", maxLag.get() / 1e6),
                new Figure("kept_up", "generator kept up", keptUp)));
        Report.addCpu(figures, cpu, measured, "signal");
        figures.add(new Figure("server_rss_mb", "server RSS MB (end)", rss < 0 ? Double.NaN : rss / 1048576.0));
        figures.addAll(GcPauses.figures(List.of(target), schedule.start(), stop));
        boolean clean = lost == 0 && duplicates.get() == 0 && misrouted.get() == 0 && fleet.refusals.get() == 0
                && unsent.sum() == 0;
        if (!clean) figures.add(new Figure("close_reasons", "why some were refused or closed", fleet.closeReasons.toString()));
        return new Report("direct", clean, figures);
    }
}
