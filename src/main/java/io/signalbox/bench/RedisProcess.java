package io.signalbox.bench;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@code redis-server} for the nodes of a run to share: on a free loopback port, in a temporary
 * directory, keeping nothing on disk, pinned with {@code taskset -c} when told. It is ready when it
 * answers PING.
 */
public final class RedisProcess implements AutoCloseable {
    private static final long READY_WITHIN_NANOS = 10_000_000_000L;
    /** A port found free may be taken before Redis binds it: that many tries, each on a new port. */
    private static final int ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path dir;

    private RedisProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /**
     * Starts one, pinned to {@code cpus} unless null, and returns once it answers. Each process is handed
     * to {@code launched} as soon as it exists, before it answers, so that whoever must stop it on the
     * way out knows it; one that fails is stopped here.
     */
    public static RedisProcess start(String cpus, Consumer<RedisProcess> launched) throws InterruptedException {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Path dir;
            try {
                dir = Files.createTempDirectory("signalbox-redis");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a directory for redis-server", e);
            }
            try {
                return startOn(freePort(), cpus, dir, launched);
            } catch (IllegalStateException e) {
                delete(dir);
                last = e;
            }
        }
        throw last;
    }

    private static RedisProcess startOn(int port, String cpus, Path dir, Consumer<RedisProcess> launched)
            throws InterruptedException {
        List<String> command = new ArrayList<>();
        if (cpus != null) command.addAll(List.of("taskset", "-c", cpus));
        command.addAll(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        Path log = dir.resolve("redis.log");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (Debian: apt-get install redis-server): "
                    + e.getMessage(), e);
        }
        RedisProcess redis = new RedisProcess(process, port, dir);
        launched.accept(redis);
        long deadline = System.nanoTime() + READY_WITHIN_NANOS;
        try {
            while (!redis.answers()) {
                if (!process.isAlive()) throw new IllegalStateException("redis-server ended at start: " + tail(log));
                if (System.nanoTime() > deadline) throw new IllegalStateException("redis-server did not answer within 10 s");
                Thread.sleep(20);
            }
        } catch (InterruptedException | RuntimeException e) {
            redis.close();
            throw e;
        }
        return redis;
    }

    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    private boolean answers() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops it with SIGTERM (it keeps nothing, so it ends at once); kills it if it has not within 10 s. */
    @Override
    public void close() {
        ServerProcess.stop(process);
        delete(dir);
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for redis-server", e);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.length() <= 600 ? text : "..." + text.substring(text.length() - 600);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
