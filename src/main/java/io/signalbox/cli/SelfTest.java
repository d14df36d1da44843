package io.signalbox.cli;

import io.signalbox.client.Connection;
import io.signalbox.client.Session;
import io.signalbox.client.SessionListener;
import io.signalbox.client.Signal;
import io.signalbox.protocol.Codec;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.Role;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * {@code signalbox --self-test}: the whole stack in one process, without a display. It starts a
 * server on a free loopback port with credentials made for the run, joins two SDK sessions, and
 * sends a signal each way and one through the REST API, checking that each arrives from the right
 * sender. It prints one line per check to standard output; the first failure ends the run.
 */
final class SelfTest {
    /** The signal type the checks send, so nothing else is taken for them. */
    private static final String TYPE = "selftest";

    private final PrintStream out;
    private final Duration budget;
    /** When the whole run must be over, by System.nanoTime(); set when run() starts. */
    private long deadline;

    SelfTest(PrintStream out, Duration budget) {
        this.out = out;
        this.budget = budget;
    }

    /** Runs every check; returns 0 when all passed, else 1 after saying which failed and why. */
    int run() {
        long start = System.nanoTime();
        deadline = start + budget.toNanos();
        out.println("Signalbox self-test");
        out.printf("%-34s %-7s %8s%n", "check", "result", "time");
        try {
            checks();
            out.printf("all checks passed in %d ms%n", millisSince(start));
            return 0;
        } catch (CheckFailed e) {
            out.printf("self-test FAILED: %s%n", e.getMessage());
            return 1;
        }
    }

    private void checks() throws CheckFailed {
        ApiCredentials credentials = ApiCredentials.generate(new SecureRandom());
        SignalboxServer server = step("server starts on a loopback port",
                () -> SignalboxServer.start(ServerConfig.defaults(credentials).withHost("127.0.0.1").withPort(0)));
        try {
            String sessionId = server.createSessionId();
            Inbox inboxA = new Inbox();
            Inbox inboxB = new Inbox();
            Session a = Session.builder(server.uri(), sessionId).listener(inboxA).build();
            Session b = Session.builder(server.uri(), sessionId).listener(inboxB).build();
            try {
                step("client A connects", () -> await(a.connect(token(server, sessionId, "A"))));
                step("client B connects", () -> await(b.connect(token(server, sessionId, "B"))));
                String idA = a.getConnection().getConnectionId();
                String idB = b.getConnection().getConnectionId();
                Connection bAsSeenByA = step("A sees B join", () -> inboxA.awaitJoin(idB));

                String direct = nonce();
                step("A -> B direct signal", () -> {
                    await(a.sendSignalToConnection(TYPE, direct, bAsSeenByA));
                    return inboxB.expect(direct, s -> s.direct() && s.from() != null && idA.equals(s.from().getConnectionId()),
                            "from A, to B alone");
                });

                String broadcast = nonce();
                step("B -> everyone signal", () -> {
                    await(b.sendSignal(TYPE, broadcast));
                    return inboxA.expect(broadcast, s -> !s.direct() && s.from() != null && idB.equals(s.from().getConnectionId()),
                            "from B, to everyone");
                });

                String rest = nonce();
                step("REST API -> everyone signal", () -> {
                    int status = postSignal(server, sessionId, rest);
                    if (status != 204) throw new IllegalStateException("the REST API answered " + status + ", not 204");
                    inboxA.expect(rest, s -> s.from() == null, "from the server (no sender)");
                    return inboxB.expect(rest, s -> s.from() == null, "from the server (no sender)");
                });

                step("clients leave", () -> {
                    await(CompletableFuture.allOf(a.disconnect(), b.disconnect()));
                    return null;
                });
            } finally {
                a.disconnect();
                b.disconnect();
            }
        } finally {
            server.close();
        }
    }

    private static String token(SignalboxServer server, String sessionId, String name) {
        return server.tokens().mintJwt(sessionId, Role.PUBLISHER, "name=" + name, Duration.ofMinutes(5));
    }

    private int postSignal(SignalboxServer server, String sessionId, String data) throws Exception {
        String key = server.credentials().apiKey();
        URI uri = server.uri().resolve("/v2/project/" + key + "/session/" + sessionId + "/signal");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(remainingMillis()))
                .header("X-OPENTOK-AUTH", server.projectAuth().mint(Duration.ofMinutes(3)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Codec.mapper().writeValueAsString(Map.of("type", TYPE, "data", data))))
                .build();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(remainingMillis())).build()) {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    /** Runs one check, prints its row, and returns what it made; an exception fails it. */
    private <T> T step(String name, Work<T> work) throws CheckFailed {
        long start = System.nanoTime();
        String reason;
        try {
            if (remainingMillis() <= 0) throw new TimeoutException("no time left of the " + budget.toSeconds() + " s budget");
            T result = work.run();
            row(name, "ok", start);
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "interrupted";
        } catch (ExecutionException e) {
            reason = String.valueOf(e.getCause());
        } catch (TimeoutException e) {
            reason = "timed out" + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (Exception e) {
            reason = e.toString();
        }
        row(name, "failed", start);
        throw new CheckFailed(name + ": " + reason);
    }

    private void row(String name, String result, long start) {
        out.printf("%-34s %-7s %5d ms%n", name, result, millisSince(start));
    }

    private <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(remainingMillis(), TimeUnit.MILLISECONDS);
    }

    private long remainingMillis() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static String nonce() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws Exception;
    }

    private static final class CheckFailed extends Exception {
        CheckFailed(String message) {
            super(message);
        }
    }

    /** What one client hears: who joined and which self-test signals came; fed on the session's event thread. */
    private final class Inbox implements SessionListener {
        final BlockingQueue<Connection> joined = new LinkedBlockingQueue<>();
        final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();

        @Override
        public void onConnectionCreated(Session session, Connection connection) {
            joined.add(connection);
        }

        @Override
        public void onSignal(Session session, Signal signal) {
            if (TYPE.equals(signal.type())) signals.add(signal);
        }

        /** Waits for the connection with this id to join, skipping others. */
        Connection awaitJoin(String connectionId) throws Exception {
            while (true) {
                Connection connection = joined.poll(remainingMillis(), TimeUnit.MILLISECONDS);
                if (connection == null) throw new TimeoutException("no such connection joined");
                if (connection.getConnectionId().equals(connectionId)) return connection;
            }
        }

        /** Waits for the signal with this data, skipping others, and checks it with {@code test}. */
        Signal expect(String data, Predicate<Signal> test, String what) throws Exception {
            while (true) {
                Signal signal = signals.poll(remainingMillis(), TimeUnit.MILLISECONDS);
                if (signal == null) throw new TimeoutException("the signal did not arrive");
                if (!signal.data().equals(data)) continue;
                if (!test.test(signal)) {
                    throw new IllegalStateException("the signal arrived, but not " + what + ": from "
                            + (signal.from() == null ? "the server" : signal.from().getConnectionId())
                            + (signal.direct() ? ", direct" : ", to everyone"));
                }
                return signal;
            }
        }
    }
}
