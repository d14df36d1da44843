package io.signalbox.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a server JVM about its heap with the JDK's {@code jcmd}: what its live objects take after a full
 * collection, so that memory per connection counts what connections keep, not garbage not yet collected.
 * Every call answers -1 when it cannot (no pid, no jcmd, another JVM's output).
 */
final class JvmProbe {
    /** The last line of {@code GC.class_histogram}: "Total", instances, bytes. */
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    private JvmProbe() {}

    /**
     * The bytes of the objects the JVM can still reach, counted by a class histogram (which runs a full
     * collection first), whatever the collector; -1 when unknown.
     */
    static long liveHeapBytes(long pid) {
        // This process's own heap holds the generator too: not the server's figure.
        if (pid <= 0 || pid == ProcessHandle.current().pid()) return -1;
        String histogram = jcmd(pid, "GC.class_histogram");
        if (histogram == null) return -1;
        Matcher m = TOTAL.matcher(histogram);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Runs one jcmd command and answers its output, or null if it failed or took over a minute. */
    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path out = null;
        Process p = null;
        try {
            out = Files.createTempFile("signalbox-jcmd", ".txt");
            // Into a file, not a pipe: a jcmd that hangs must not hang the reader; it is waited for, then killed.
            p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (p != null) p.destroyForcibly();
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind
                }
            }
        }
    }
}
