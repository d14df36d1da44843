package io.signalbox.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector's pauses of a server JVM within a run's measured phase, read from the GC log the
 * bench asks a server it starts to write ({@link #jvmOption}). A latency tail the size of a pause, at
 * the time of a pause, is the collector's; one without is something else (the load, the machine).
 *
 * @param count       pauses that ended within the phase
 * @param totalMillis their summed length
 * @param maxMillis   the longest, 0 when there was none
 */
record GcPauses(int count, double totalMillis, double maxMillis) {
    /** A line of {@code -Xlog:gc} with the {@code timemillis} decoration: "[1795880412328ms] GC(0) Pause Young ... 11.019ms". */
    private static final Pattern PAUSE = Pattern.compile("^\\[(\\d+)ms].*\\bPause\\b.* (\\d+(?:\\.\\d+)?)ms$");

    /**
     * The JVM option that makes a server write the log this class reads, to {@code log}: written over,
     * not rotated (a rotation would move the file there aside, as {@code log.0}).
     */
    static String jvmOption(Path log) {
        return "-Xlog:gc:file=" + log + ":timemillis:filecount=0";
    }

    /** The pauses logged in {@code log} that ended between the two instants (milliseconds since the epoch). */
    static GcPauses between(Path log, long fromEpochMillis, long toEpochMillis) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the server's GC log " + log, e);
        }
        return between(lines, fromEpochMillis, toEpochMillis);
    }

    static GcPauses between(List<String> lines, long fromEpochMillis, long toEpochMillis) {
        int count = 0;
        double total = 0;
        double max = 0;
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line.strip());
            if (!m.matches()) continue;
            long endedAt = Long.parseLong(m.group(1));
            if (endedAt < fromEpochMillis || endedAt > toEpochMillis) continue;
            double millis = Double.parseDouble(m.group(2));
            count++;
            total += millis;
            max = Math.max(max, millis);
        }
        return new GcPauses(count, total, max);
    }

    /**
     * The pauses of every node with a log, summed (the longest of all as the maximum), as report figures;
     * none when no node's log is known (a server the bench did not start).
     */
    static List<Figure> figures(List<Target> nodes, CpuSnapshot start, CpuSnapshot stop) {
        int count = 0;
        double total = 0;
        double max = 0;
        boolean known = false;
        for (Target node : nodes) {
            if (node.gcLog() == null) continue;
            GcPauses p = between(node.gcLog(), start.epochMillis(), stop.epochMillis());
            known = true;
            count += p.count();
            total += p.totalMillis();
            max = Math.max(max, p.maxMillis());
        }
        if (!known) return List.of();
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("server_gc_pauses", "server GC pauses (measured)", count));
        figures.add(new Figure("server_gc_pause_max_ms", "server GC pause max ms", max));
        figures.add(new Figure("server_gc_pause_total_ms", "server GC pauses total ms", total));
        return figures;
    }
}
