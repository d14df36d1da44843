package io.signalbox.cli;

import io.signalbox.client.CertificateFingerprint;
import io.signalbox.client.Connection;
import io.signalbox.client.DisconnectReason;
import io.signalbox.client.Session;
import io.signalbox.client.SessionListener;
import io.signalbox.client.Signal;
import io.signalbox.client.SignalingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code signalbox join}: a terminal client on the SDK, for QA and scripts. */
@Command(name = "join", mixinStandardHelpOptions = true,
        description = {
                "Joins a session and prints what happens in it, one line per event; each line read from",
                "standard input is sent as a 'chat' signal to everyone. At end of input it waits for the",
                "server to acknowledge what it sent, leaves, and exits 0.",
                "",
                "Input lines:",
                "  TEXT                        a chat signal to everyone, this client included",
                "  /to CONNECTION_ID TEXT      a chat signal to one connection (an id prefix is enough)",
                "",
                "Output lines (in signal data, a newline is written \\n and a backslash \\\\):",
                "  connected ID                this client joined as connection ID",
                "  joined ID DATA              another connection is in the session (on join, and after)",
                "  left ID REASON              a connection left: clientDisconnected, forceDisconnected,",
                "                              networkDisconnected or serverClosed",
                "  signal TYPE from ID|server to all|me: DATA",
                "  failed CODE MESSAGE         a signal of this client's was refused",
                "  error CODE MESSAGE          an error the server reported",
                "  reconnecting / reconnected  the link dropped and is being restored",
                "  disconnected REASON         this client left the session",
                "",
                "Exit codes: 0 after end of input, 1 when the session could not be joined, 2 when the",
                "server ended the connection."
        })
final class JoinCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The server, e.g. http://127.0.0.1:7400 or https://signal.example.com.")
    URI url;

    @Option(names = "--fingerprint", paramLabel = "SHA256",
            description = {"Trust exactly the https server's certificate with this SHA-256 fingerprint (hex, colons",
                    "optional), as for a self-signed one; by default the Java runtime's trust store decides."})
    String fingerprint;

    @Option(names = "--session", required = true, paramLabel = "SESSION_ID")
    String sessionId;

    @Option(names = "--token", required = true, paramLabel = "TOKEN")
    String token;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    @Override
    public Integer call() throws InterruptedException {
        CompletableFuture<DisconnectReason> ended = new CompletableFuture<>();
        Session session;
        try {
            session = Session.builder(url, sessionId).listener(new Printer(ended)).trustedCertificate(fingerprint).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            session.connect(token).get();
        } catch (ExecutionException e) {
            System.err.println("cannot join: " + e.getCause().getMessage());
            return 1;
        }

        CompletableFuture<Void> input = CompletableFuture.runAsync(() -> readInput(session),
                r -> Thread.ofPlatform().name("signalbox-join-input").daemon(true).start(r));
        CompletableFuture.anyOf(input, ended).join();
        if (ended.isDone()) return 2;
        session.disconnect().join();
        return 0;
    }

    private void readInput(Session session) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) continue;
                CompletableFuture<Void> f = send(session, line);
                if (f != null) sent.add(f.whenComplete((ok, failure) -> {
                    if (failure != null) reportFailure(failure);
                }));
            }
        } catch (IOException e) {
            System.err.println("cannot read standard input: " + e.getMessage());
        }
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException ignored) {
            // Each failure was reported as it happened.
        }
    }

    private CompletableFuture<Void> send(Session session, String line) {
        if (!line.startsWith("/to ")) return session.sendSignal("chat", line);
        String rest = line.substring(4).strip();
        int space = rest.indexOf(' ');
        String target = space < 0 ? rest : rest.substring(0, space);
        String text = space < 0 ? "" : rest.substring(space + 1);
        List<Connection> matches = session.getConnections().stream()
                .filter(c -> c.getConnectionId().startsWith(target))
                .toList();
        if (matches.size() != 1) {
            System.err.println(matches.isEmpty()
                    ? "no connection " + target + " in the session"
                    : "'" + target + "' names " + matches.size() + " connections; give more of the id");
            return null;
        }
        return session.sendSignalToConnection("chat", text, matches.getFirst());
    }

    private void reportFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof SignalingException e) {
            out.println("failed " + e.code().number() + " " + e.getMessage());
        } else {
            out.println("failed " + cause);
        }
    }

    static String escape(String data) {
        return data.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    /** Prints each event as one line; called on the session's event thread only. */
    private final class Printer implements SessionListener {
        private final CompletableFuture<DisconnectReason> ended;

        Printer(CompletableFuture<DisconnectReason> ended) {
            this.ended = ended;
        }

        @Override
        public void onConnected(Session session) {
            out.println("connected " + session.getConnection().getConnectionId());
        }

        @Override
        public void onConnectionCreated(Session session, Connection connection) {
            out.println("joined " + connection.getConnectionId() + " " + escape(connection.getData()));
        }

        @Override
        public void onConnectionDestroyed(Session session, Connection connection, DisconnectReason reason) {
            out.println("left " + connection.getConnectionId() + " " + wireName(reason));
        }

        @Override
        public void onSignal(Session session, Signal signal) {
            out.println("signal " + signal.type()
                    + " from " + (signal.from() == null ? "server" : signal.from().getConnectionId())
                    + " to " + (signal.direct() ? "me" : "all")
                    + ": " + escape(signal.data()));
        }

        @Override
        public void onError(Session session, SignalingException exception) {
            out.println("error " + exception.code().number() + " " + exception.getMessage());
        }

        @Override
        public void onReconnecting(Session session) {
            out.println("reconnecting");
        }

        @Override
        public void onReconnected(Session session) {
            out.println("reconnected");
        }

        @Override
        public void onDisconnected(Session session, DisconnectReason reason) {
            String words = session.getDisconnectMessage();
            out.println("disconnected " + wireName(reason) + (words == null ? "" : " " + words));
            if (reason != DisconnectReason.CLIENT_DISCONNECTED) ended.complete(reason);
        }
    }

    private static String wireName(DisconnectReason reason) {
        return switch (reason) {
            case CLIENT_DISCONNECTED -> "clientDisconnected";
            case FORCE_DISCONNECTED -> "forceDisconnected";
            case NETWORK_DISCONNECTED -> "networkDisconnected";
            case SERVER_CLOSED -> "serverClosed";
        };
    }
}
