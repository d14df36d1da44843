package io.signalbox.bench;

import io.signalbox.server.auth.ApiCredentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Signalbox server in a process of its own, started with this JVM's {@code java} and class path:
 * so that its CPU and memory can be read apart from the generator's, and so that each side has its own
 * open-file limit. It is told fresh credentials and port 0, and is ready when it prints its URL.
 */
public final class ServerProcess implements AutoCloseable {
    private static final String READY = "Signalbox server listening on ";

    private final Process process;
    /** Its base URL, completed when it prints its ready line. */
    private final CompletableFuture<URI> ready;

    private ServerProcess(Process process, CompletableFuture<URI> ready) {
        this.process = process;
        this.ready = ready;
    }

    /**
     * How to launch the server.
     *
     * @param cpus       a CPU list for {@code taskset -c} (the server pinned apart from the generator), or null
     * @param jvmOptions options for the server's JVM, such as {@code -Xmx1g} or a flight recording
     * @param serverArgs options for {@code signalbox server} beyond port and credentials
     * @param log        where the server's standard error goes, or null to drop it
     */
    public record Launch(String cpus, List<String> jvmOptions, List<String> serverArgs, Path log) {
        public Launch {
            jvmOptions = List.copyOf(jvmOptions);
            serverArgs = List.copyOf(serverArgs);
        }
    }

    /** Starts a server and returns once it listens; stops it and throws if it does not within the timeout. */
    public static ServerProcess start(Launch launch, ApiCredentials credentials, long timeoutMillis) {
        ServerProcess server = launch(launch, credentials);
        server.awaitReady(timeoutMillis);
        return server;
    }

    /**
     * Starts a server and returns at once, before it listens, so that whoever stops it knows it from its
     * first moment; {@link #awaitReady} waits for it.
     */
    static ServerProcess launch(Launch launch, ApiCredentials credentials) {
        List<String> command = new ArrayList<>();
        if (launch.cpus() != null) command.addAll(List.of("taskset", "-c", launch.cpus()));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launch.jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.signalbox.cli.Main", "server",
                "--host", "127.0.0.1", "--port", "0",
                "--api-key", credentials.apiKey(), "--api-secret", credentials.secretText(),
                // The load is the point: the rate limits and the session cap would refuse it.
                "--no-rate-limits", "--max-connections-per-session", "1000000"));
        command.addAll(launch.serverArgs());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectError(launch.log() == null ? ProcessBuilder.Redirect.DISCARD
                        : ProcessBuilder.Redirect.appendTo(launch.log().toFile()));
        // Logging every lost link at INFO would cost the server CPU the figures are about.
        builder.environment().putIfAbsent("SIGNALBOX_LOG_LEVEL", "WARN");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the server: " + command, e);
        }
        CompletableFuture<URI> ready = new CompletableFuture<>();
        Thread.ofPlatform().name("bench-server-stdout").daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(READY)) ready.complete(URI.create(line.substring(READY.length()).trim()));
                }
                ready.completeExceptionally(new IllegalStateException(
                        "the server ended before it was ready (exit code " + process.waitFor() + ")"));
            } catch (IOException | InterruptedException e) {
                ready.completeExceptionally(e);
            }
        });
        return new ServerProcess(process, ready);
    }

    /** Waits until the server listens; if it does not within the timeout, kills it and throws. */
    void awaitReady(long timeoutMillis) {
        try {
            ready.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the server started", e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the server did not get ready within " + timeoutMillis + " ms: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e), e);
        }
    }

    /** Its base URL; only once {@link #awaitReady} has returned. */
    public URI uri() {
        return ready.getNow(null);
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Kills the server at once (SIGKILL), as a machine dies: no goodbye to its clients or to Redis,
     * nothing flushed. Returns once the process is gone, or after 10 s.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server with SIGTERM, as an operator would; kills it if it has not ended within 10 s. */
    @Override
    public void close() {
        stop(process);
    }

    /** Stops a process with SIGTERM; kills it if it has not ended within 10 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
