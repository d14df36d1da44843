package io.signalbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code signalbox --self-test} run as its own JVM through the real {@code main}, with no display,
 * as an installed copy runs it.
 */
class SelfTestTest {

    @Test
    @DisplayName("--self-test without a display passes every check, prints one row each, and exits 0")
    void selfTestPasses() throws Exception {
        Result result = run("--self-test");

        assertThat(result.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", result.out(), result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("Signalbox self-test");
        assertThat(lines).filteredOn(line -> line.matches(".*\\s(ok|failed)\\s+\\d+ ms"))
                .extracting(line -> line.replaceAll("\\s+(ok|failed)\\s+\\d+ ms$", ": $1"))
                .containsExactly(
                        "server starts on a loopback port: ok",
                        "client A connects: ok",
                        "client B connects: ok",
                        "A sees B join: ok",
                        "A -> B direct signal: ok",
                        "B -> everyone signal: ok",
                        "REST API -> everyone signal: ok",
                        "clients leave: ok");
        assertThat(lines.getLast()).matches("all checks passed in \\d+ ms");
    }

    @Test
    @DisplayName("--self-test with an invite link is a usage error")
    void selfTestRefusesLink() throws Exception {
        Result result = run("--self-test", "signalbox://join?url=http%3A%2F%2F127.0.0.1%3A7400&session=S&token=T");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("--self-test takes no invite link");
        assertThat(result.out()).isEmpty();
    }

    private record Result(int exit, String out, String err) {}

    /** Runs {@code signalbox} with these arguments and no display, to its end. */
    private static Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "io.signalbox.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(name -> name.startsWith("SIGNALBOX_") || name.equals("DISPLAY")
                || name.equals("WAYLAND_DISPLAY"));
        Process process = pb.start();
        try {
            process.getOutputStream().close();
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("signalbox %s exited in time", List.of(args)).isTrue();
            return new Result(process.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } finally {
            process.destroyForcibly();
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try (stream) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                stream.transferTo(bytes);
                text.complete(bytes.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }
}
