package io.signalbox.soak;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.signalbox.protocol.Codec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a soak run found: the progress samples, the server's vitals at the start, after the first
 * interval and at the end, the check of every signal, and a verdict.
 *
 * <p>Growth is judged from the reading after the first interval (the server warmed up, its caches
 * and buffers at their working size) to the reading after settling, both after a collection when the
 * run could ask for one: the heap may grow by {@value #HEAP_SLACK_PERCENT}% or 16 MiB, whichever is
 * more, and open files by {@code max(20, clients / 50)} (clients that happen to be offline at one
 * reading and not at the other, the REST client's pooled connections). A leak of a little per signal
 * or per drop shows far beyond that within minutes.
 *
 * @param options    what was run
 * @param serverPid  the server's process id, or -1 when unknown
 * @param collected  whether each reading came after a full collection the run asked for
 * @param start      the server's vitals once everyone had joined, before any traffic
 * @param samples    one per interval
 * @param end        the server's vitals after settling, everyone still joined
 * @param findings   the check of every send and delivery
 * @param activity   what else happened
 * @param settled    whether every link, queue and last signal settled in time
 * @param elapsed    the whole run, joining and settling included
 */
public record SoakReport(SoakOptions options, long serverPid, boolean collected, ServerWatch.Vitals start,
                         List<Sample> samples, ServerWatch.Vitals end, Ledger.Findings findings, Activity activity,
                         boolean settled, Duration elapsed) {
    /** How much the heap after collection may grow, in percent, when that is more than 16 MiB. */
    static final int HEAP_SLACK_PERCENT = 25;
    private static final long HEAP_SLACK_BYTES = 16L << 20;
    private static final long FILES_SLACK = 20;

    public SoakReport {
        Objects.requireNonNull(options, "options");
        samples = List.copyOf(samples);
    }

    /**
     * One progress line's figures.
     *
     * @param elapsed    since the traffic started
     * @param seconds    the length of this interval
     * @param sent       sends made in this interval
     * @param delivered  first deliveries in this interval
     * @param vitals     the server's vitals at its end
     * @param reconnects client reconnections so far
     * @param drops      links cut so far
     */
    public record Sample(Duration elapsed, double seconds, long sent, long delivered, ServerWatch.Vitals vitals,
                         long reconnects, long drops) {}

    /**
     * What happened besides the signals.
     *
     * @param drops       links the run cut
     * @param reconnects  reconnections the clients completed
     * @param missed      signals the server told clients it could not replay
     * @param errors      errors the SDK reported through onError
     * @param restSkipped REST signals not sent because the server had not answered the earlier ones
     * @param problems    other problems in words: clients gone, errors, unreadable vitals
     */
    public record Activity(long drops, long reconnects, long missed, long errors, long restSkipped, List<String> problems) {
        public Activity {
            problems = List.copyOf(problems);
        }
    }

    /** The reading growth is measured from: after the first interval, or at the start when there was none. */
    ServerWatch.Vitals baseline() {
        return samples.isEmpty() ? start : samples.getFirst().vitals();
    }

    /**
     * How fast the heap after GC grew over the interval readings, in bytes an hour: the slope of a
     * least-squares line through them; NaN with fewer than three. Reported, not judged: a few minutes
     * of readings say little of an hour, but a steady slope over half an hour is a leak the tolerance,
     * which allows for warming up, may not yet show.
     */
    double heapTrendPerHour() {
        List<Sample> readings = samples.stream().filter(s -> s.vitals().heapAfterGc() >= 0).toList();
        if (readings.size() < 3) return Double.NaN;
        double n = readings.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Sample s : readings) {
            double x = s.elapsed().toMillis() / 3_600_000.0;
            double y = s.vitals().heapAfterGc();
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double spread = n * sxx - sx * sx;
        return spread == 0 ? Double.NaN : (n * sxy - sx * sy) / spread;
    }

    long filesSlack() {
        return Math.max(FILES_SLACK, options.clients() / 50);
    }

    long heapSlack(long baseline) {
        return Math.max(HEAP_SLACK_BYTES, baseline * HEAP_SLACK_PERCENT / 100);
    }

    /** Why the run failed, in words; empty when it passed. */
    public List<String> failures() {
        List<String> why = new ArrayList<>();
        Ledger.Findings f = findings;
        if (f.lost() > 0) why.add(f.lost() + " deliveries lost");
        if (f.doubled() > 0) why.add(f.doubled() + " doubled");
        if (f.reordered() > 0) why.add(f.reordered() + " reordered");
        if (f.phantom() > 0) why.add(f.phantom() + " deliveries of failed sends");
        if (f.unexpected() > 0) why.add(f.unexpected() + " unexpected signals");
        if (f.pending() > 0) why.add(f.pending() + " sends without an outcome");
        if (f.retryFailed() > 0) why.add(f.retryFailed() + " sends with retry failed");
        if (activity.missed() > 0) why.add(activity.missed() + " signals reported missed");
        if (activity.restSkipped() > 0) why.add(activity.restSkipped() + " REST signals skipped, the server not keeping up");
        if (!settled) why.add("the run did not settle in time");
        ServerWatch.Vitals first = baseline();
        if (first.heapAfterGc() < 0 || end.heapAfterGc() < 0) {
            why.add("the heap after GC could not be read");
        } else if (end.heapAfterGc() - first.heapAfterGc() > heapSlack(first.heapAfterGc())) {
            why.add("the heap after GC grew from " + mb(first.heapAfterGc()) + " to " + mb(end.heapAfterGc()));
        }
        if (first.openFiles() < 0 || end.openFiles() < 0) {
            why.add("the open files could not be counted");
        } else if (end.openFiles() - first.openFiles() > filesSlack()) {
            why.add("open files grew from " + first.openFiles() + " to " + end.openFiles());
        }
        if (!activity.problems().isEmpty()) why.add(activity.problems().size() + " other problems");
        return why;
    }

    public boolean clean() {
        return failures().isEmpty();
    }

    /** The header of the progress lines. */
    static String header() {
        return String.format(Locale.ROOT, "%8s %9s %8s %11s %9s %10s %6s %9s %7s %6s %10s",
                "elapsed", "sent", "sent/s", "delivered", "deliv/s", "heap-GC", "fds", "RSS", "threads", "drops", "reconnects");
    }

    /** One progress line. */
    static String line(Sample s) {
        return String.format(Locale.ROOT, "%8s %9d %8.1f %11d %9.1f %10s %6s %9s %7s %6d %10d",
                clock(s.elapsed()), s.sent(), s.sent() / s.seconds(), s.delivered(), s.delivered() / s.seconds(),
                mb(s.vitals().heapAfterGc()), count(s.vitals().openFiles()), mb(s.vitals().rss()),
                count(s.vitals().threads()), s.drops(), s.reconnects());
    }

    /** The totals and the verdict, as lines of text. */
    public String table() {
        Ledger.Findings f = findings;
        StringBuilder t = new StringBuilder();
        row(t, "duration", clock(options.duration()) + " of traffic, " + clock(elapsed) + " in all");
        row(t, "clients", options.clients() + " in " + options.sessions() + " sessions");
        row(t, "sent", f.sent() + ": " + f.clientSends() + " by clients, " + f.restSends() + " through REST; "
                + f.toEveryone() + " to everyone, " + (f.sent() - f.toEveryone()) + " to one");
        row(t, "acknowledged", Long.toString(f.acknowledged()));
        row(t, "failed", f.failed() + (f.failures().isEmpty() ? "" : " " + f.failures()));
        row(t, "delivered", f.delivered() + " (expected " + f.expected() + " for the acknowledged sends)");
        row(t, "lost / doubled / reordered", f.lost() + " / " + f.doubled() + " / " + f.reordered());
        row(t, "phantom / unexpected / pending", f.phantom() + " / " + f.unexpected() + " / " + f.pending());
        row(t, "retry failed / unknown", f.retryFailed() + " / " + f.unknown());
        row(t, "drops / reconnects", activity.drops() + " / " + activity.reconnects());
        row(t, "missed (reported) / SDK errors", activity.missed() + " / " + activity.errors());
        row(t, "REST skipped", Long.toString(activity.restSkipped()));
        ServerWatch.Vitals first = baseline();
        String how = collected ? "after a full GC each reading" : "after the server's last GC, none forced";
        String after = samples.isEmpty() ? "start" : clock(samples.getFirst().elapsed());
        row(t, "heap after GC", "start " + mb(start.heapAfterGc()) + ", at " + after + " " + mb(first.heapAfterGc()) + ", end "
                + mb(end.heapAfterGc()) + " (" + how + "; tolerance +" + HEAP_SLACK_PERCENT + "% or +16 MB)");
        double trend = heapTrendPerHour();
        row(t, "heap trend", Double.isNaN(trend) ? "n/a (fewer than 3 readings)"
                : String.format(Locale.ROOT, "%+.1f MB an hour, over the interval readings (not judged)", trend / 1048576.0));
        row(t, "open files", "start " + count(start.openFiles()) + ", at " + after + " " + count(first.openFiles()) + ", end "
                + count(end.openFiles()) + " (tolerance +" + filesSlack() + ")");
        row(t, "server threads", "start " + count(start.threads()) + ", at " + after + " " + count(first.threads())
                + ", end " + count(end.threads()));
        row(t, "server RSS", "start " + mb(start.rss()) + ", at " + after + " " + mb(first.rss()) + ", end " + mb(end.rss())
                + " (not judged: the JVM keeps what it committed)");
        for (String problem : activity.problems()) t.append("  problem: ").append(problem).append('\n');
        for (String problem : f.problems()) t.append("  problem: ").append(problem).append('\n');
        List<String> failures = failures();
        t.append(failures.isEmpty()
                ? "verdict: PASS: nothing lost, doubled or reordered; heap and open files flat\n"
                : "verdict: FAIL: " + String.join("; ", failures) + "\n");
        return t.toString();
    }

    /** The report as one JSON object. */
    public String json() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("minutes", options.duration().toSeconds() / 60.0);
        o.put("clients", options.clients());
        o.put("sessions", options.sessions());
        o.put("rate", options.rate());
        o.put("dropsPerMinute", options.dropsPerMinute());
        o.put("seed", options.seed());
        o.put("serverPid", serverPid);
        o.put("collected", collected);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Sample s : samples) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("elapsedSeconds", s.elapsed().toMillis() / 1000.0);
            line.put("sent", s.sent());
            line.put("sentPerSecond", s.sent() / s.seconds());
            line.put("delivered", s.delivered());
            line.put("deliveredPerSecond", s.delivered() / s.seconds());
            line.put("heapAfterGcBytes", s.vitals().heapAfterGc());
            line.put("openFiles", s.vitals().openFiles());
            line.put("rssBytes", s.vitals().rss());
            line.put("threads", s.vitals().threads());
            line.put("reconnects", s.reconnects());
            line.put("drops", s.drops());
            lines.add(line);
        }
        o.put("samples", lines);
        o.put("start", vitals(start));
        o.put("first", vitals(baseline()));
        o.put("end", vitals(end));
        double trend = heapTrendPerHour();
        o.put("heapTrendBytesPerHour", Double.isNaN(trend) ? null : Math.round(trend));
        Ledger.Findings f = findings;
        o.put("sent", f.sent());
        o.put("clientSends", f.clientSends());
        o.put("restSends", f.restSends());
        o.put("acknowledged", f.acknowledged());
        o.put("failed", f.failed());
        o.put("failures", f.failures());
        o.put("expected", f.expected());
        o.put("delivered", f.delivered());
        o.put("lost", f.lost());
        o.put("doubled", f.doubled());
        o.put("reordered", f.reordered());
        o.put("phantom", f.phantom());
        o.put("unexpected", f.unexpected());
        o.put("pending", f.pending());
        o.put("retryFailed", f.retryFailed());
        o.put("drops", activity.drops());
        o.put("reconnects", activity.reconnects());
        o.put("missed", activity.missed());
        o.put("errors", activity.errors());
        o.put("restSkipped", activity.restSkipped());
        o.put("settled", settled);
        o.put("clean", clean());
        o.put("failuresInWords", failures());
        List<String> problems = new ArrayList<>(activity.problems());
        problems.addAll(f.problems());
        o.put("problems", problems);
        try {
            return Codec.mapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report", e);
        }
    }

    private static Map<String, Object> vitals(ServerWatch.Vitals v) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("heapAfterGcBytes", v.heapAfterGc());
        o.put("heapUsedBytes", v.heapUsed());
        o.put("openFiles", v.openFiles());
        o.put("rssBytes", v.rss());
        o.put("threads", v.threads());
        return o;
    }

    private static void row(StringBuilder t, String name, String value) {
        t.append(String.format(Locale.ROOT, "  %-31s %s%n", name, value));
    }

    static String mb(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private static String count(long n) {
        return n < 0 ? "n/a" : Long.toString(n);
    }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
