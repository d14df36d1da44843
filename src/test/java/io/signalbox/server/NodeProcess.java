package io.signalbox.server;

import io.signalbox.server.auth.ApiCredentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node of a test cluster: {@code signalbox server --redis ...} in a JVM of its own, on a free
 * loopback port, so that it can be killed as a machine dies. Its log goes to
 * {@code target/cluster-logs}, for when a test fails.
 */
final class NodeProcess implements AutoCloseable {
    private static final String READY = "Signalbox server listening on ";

    private final Process process;
    private final URI uri;
    private final String name;

    private NodeProcess(Process process, URI uri, String name) {
        this.process = process;
        this.uri = uri;
        this.name = name;
    }

    /** Starts a node and returns once it listens. */
    static NodeProcess start(String name, URI redis, ApiCredentials credentials, String... extraArgs) throws Exception {
        Path logs = Path.of("target", "cluster-logs");
        Files.createDirectories(logs);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.signalbox.cli.Main", "server",
                "--host", "127.0.0.1", "--port", "0", "--redis", redis.toString(),
                "--api-key", credentials.apiKey(), "--api-secret", credentials.secretText(),
                "--no-rate-limits"));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()))
                .start();
        CompletableFuture<URI> ready = new CompletableFuture<>();
        Thread.ofPlatform().name(name + "-stdout").daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(READY)) ready.complete(URI.create(line.substring(READY.length()).trim()));
                }
                ready.completeExceptionally(new IllegalStateException(name + " ended before it was ready (exit code "
                        + process.waitFor() + "); see target/cluster-logs/" + name + ".log"));
            } catch (IOException | InterruptedException e) {
                ready.completeExceptionally(e);
            }
        });
        try {
            return new NodeProcess(process, ready.get(60, TimeUnit.SECONDS), name);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The node's base URL, {@code http://127.0.0.1:PORT}. */
    URI uri() {
        return uri;
    }

    /** Its WebSocket endpoint. */
    URI ws() {
        return URI.create("ws://" + uri.getHost() + ":" + uri.getPort() + SignalboxServer.WEBSOCKET_PATH);
    }

    /** Kills the node's JVM at once: no goodbye to Redis, no close frames. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) kill();
    }

    @Override
    public String toString() {
        return name;
    }
}
