package io.signalbox.server;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis of the test's own: Debian's {@code redis-server} on a free loopback port, in a temporary
 * directory, keeping nothing on disk. It can be stopped and started again on the same port, as an
 * outage looks to the nodes.
 */
final class RedisFixture implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);

    private final int port;
    private final Path dir;
    /** The running server, or null while stopped; only the test's thread. */
    private Process process;

    private RedisFixture(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    static RedisFixture start() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RedisFixture redis = new RedisFixture(port, Files.createTempDirectory("signalbox-redis"));
        redis.startAgain();
        return redis;
    }

    URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** Starts the server (again) on its port, empty, and returns once it answers PING. */
    void startAgain() throws Exception {
        if (process != null) throw new IllegalStateException("Redis is running already");
        List<String> command = List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString());
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (Debian: apt-get install redis-server,"
                    + " as .ci/run does): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (!answers()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server ended at start: "
                        + Files.readString(dir.resolve("redis.log")));
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("redis-server did not answer in " + READY_WITHIN);
            Thread.sleep(50);
        }
    }

    /** Stops the server at once, as a crash would; what it held is gone. */
    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    private boolean answers() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
