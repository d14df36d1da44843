package io.signalbox.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Redis of a cluster run's own: {@code redis-server} from the {@code PATH}, on a free loopback port,
 * keeping nothing on disk, in a temporary directory that goes when it stops.
 */
final class RedisProcess implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path dir;

    private RedisProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /**
     * Starts one and returns once it answers {@code PING}.
     *
     * @throws IllegalStateException when {@code redis-server} cannot be run or does not answer in time
     */
    static RedisProcess start() {
        Path dir;
        int port;
        try {
            dir = Files.createTempDirectory("signalbox-chaos-redis");
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a Redis for the run", e);
        }
        List<String> command = List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            delete(dir);
            throw new IllegalStateException("cannot start redis-server (install it, e.g. apt-get install redis-server,"
                    + " or pass --redis): " + e.getMessage(), e);
        }
        RedisProcess redis = new RedisProcess(process, port, dir);
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (!redis.answers()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                String log = redis.log();
                redis.close();
                throw new IllegalStateException("redis-server did not answer on port " + port + " within "
                        + READY_WITHIN.toSeconds() + " s: " + log);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                redis.close();
                throw new IllegalStateException("interrupted while Redis started", e);
            }
        }
        return redis;
    }

    URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    private boolean answers() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log")).strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is no reason to fail the run.
        }
    }
}
