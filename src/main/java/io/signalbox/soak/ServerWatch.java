package io.signalbox.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.signalbox.bench.ProcStats;
import io.signalbox.protocol.Codec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reads the server's vitals for a soak run: its heap after a collection and its open files from its
 * {@code GET /health}, and, when its process id is known, its open files and resident memory from
 * {@code /proc}.
 *
 * <p>When the server is a process of this machine and a {@code jcmd} is at hand (beside this JVM's
 * {@code java}), each reading first has the server collect its heap in full ({@code jcmd PID
 * GC.run}), so that "heap after GC" is the live data at that moment: after a young collection alone it
 * would still count old garbage that waits for a concurrent cycle, which can rise for many minutes
 * with no leak at all and so hide the trend the soak is for. A full collection of a heap of some tens
 * of megabytes is a short pause for the server, once an interval. Without {@code jcmd} (or with
 * a server elsewhere) the figure is the server's own after its last collection, whatever kind it was,
 * and the report says so.
 */
final class ServerWatch implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI health;
    private final long pid;
    /** The jcmd to collect with, or null when readings take the last collection as it is. */
    private final Path jcmd;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param base    the server's base URL
     * @param pid     its process id, or -1 when unknown (a server elsewhere)
     * @param collect whether to have it collect before each reading, when it can
     */
    ServerWatch(URI base, long pid, boolean collect) {
        this.health = base.resolve("/health");
        this.pid = pid;
        Path candidate = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        this.jcmd = collect && pid > 0 && Files.isExecutable(candidate) ? candidate : null;
    }

    /** Whether readings come after a full collection asked for. */
    boolean collects() {
        return jcmd != null;
    }

    /** Reads the vitals now; a figure that cannot be read is -1, and {@code error} says why. */
    Vitals read() {
        String error = null;
        if (jcmd != null) error = collect();
        long heapAfterGc = -1, heapUsed = -1, healthFiles = -1, threads = -1;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                error = "GET /health answered " + response.statusCode();
            } else {
                JsonNode jvm = Codec.mapper().readTree(response.body()).path("jvm");
                heapAfterGc = jvm.path("heapAfterGcBytes").asLong(-1);
                heapUsed = jvm.path("heapUsedBytes").asLong(-1);
                healthFiles = jvm.path("openFiles").asLong(-1);
                threads = jvm.path("threads").asLong(-1);
                if (jvm.isMissingNode()) error = "GET /health gave no memory figures (a server older than this tool?)";
            }
        } catch (IOException e) {
            error = "GET /health failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        long files = pid > 0 ? ProcStats.openFiles(pid) : healthFiles;
        return new Vitals(heapAfterGc, heapUsed, files, ProcStats.residentBytes(pid), threads, error);
    }

    /** Asks the server for a full collection; why it failed, or null. */
    private String collect() {
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "jcmd GC.run took over " + TIMEOUT.toSeconds() + " s";
            }
            return process.exitValue() == 0 ? null : "jcmd GC.run exited with " + process.exitValue();
        } catch (IOException e) {
            return "jcmd GC.run failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    /**
     * The server's vitals at one moment.
     *
     * @param heapAfterGc bytes of heap in use after the last (or the asked-for) collection; -1 when unknown
     * @param heapUsed    bytes of heap in use, garbage included; -1 when unknown
     * @param openFiles   open file descriptors; -1 when unknown
     * @param rss         resident memory in bytes; -1 when unknown
     * @param threads     the server JVM's live threads; -1 when unknown
     * @param error       why a figure could not be read, or null
     */
    record Vitals(long heapAfterGc, long heapUsed, long openFiles, long rss, long threads, String error) {}
}
