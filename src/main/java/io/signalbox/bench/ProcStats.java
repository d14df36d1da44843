package io.signalbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What Linux says about processes and the machine, read from {@code /proc}. Every reader answers -1
 * when the file is not there (another OS, a process that ended), so a report says "n/a" rather than
 * failing a run.
 */
public final class ProcStats {
    /** Clock ticks per second of {@code /proc} CPU times: USER_HZ, 100 on every Linux we run on. */
    static final long TICKS_PER_SECOND = 100;

    private ProcStats() {}

    /** User plus system CPU time of a process, in clock ticks; -1 when unknown. */
    static long cpuTicks(long pid) {
        if (pid <= 0) return -1;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name is in parentheses and may hold spaces: count fields after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident memory of a process (VmRSS), in bytes; -1 when unknown. */
    public static long residentBytes(long pid) {
        if (pid <= 0) return -1;
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            for (String line : lines) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** How many files a process has open (entries of {@code /proc/PID/fd}); -1 when unknown. */
    public static long openFiles(long pid) {
        if (pid <= 0) return -1;
        try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return entries.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time the whole machine spent busy (not idle, not waiting for I/O), in clock ticks; -1 when unknown. */
    static long machineBusyTicks() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = first.trim().split("\\s+");
            long busy = 0;
            // user nice system idle iowait irq softirq steal: all but idle (4) and iowait (5) are work.
            for (int i = 1; i <= 8 && i < f.length; i++) {
                if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** How many CPUs this process may run on. */
    static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }
}
