package io.signalbox.app.service;

import io.signalbox.client.Connection;
import io.signalbox.client.DisconnectReason;
import io.signalbox.client.FaultInjector;
import io.signalbox.client.QueuedSignal;
import io.signalbox.client.Resumption;
import io.signalbox.client.Session;
import io.signalbox.client.SessionListener;
import io.signalbox.client.Signal;
import io.signalbox.client.SignalOptions;
import io.signalbox.client.SignalingException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The {@link SignalingService} on the SDK. The one place in the app that moves work from the SDK's
 * event thread onto the UI thread: every listener call and every future's completion goes through the
 * injected executor, in the order the SDK produced them.
 */
public final class SdkSignalingService implements SignalingService {
    private static final SignalOptions RETRY = SignalOptions.defaults();
    private static final SignalOptions NO_RETRY = SignalOptions.builder().retryAfterReconnect(false).build();

    private final Executor ui;
    private final Session session;
    /** The app's listener; set once by setListener, read on the SDK's event thread. */
    private volatile SessionListener listener = new SessionListener() {};

    /**
     * @param serverUrl the server's base URL
     * @param sessionId the session to join
     * @param ui        runs work on the UI thread ({@code Platform::runLater})
     */
    public SdkSignalingService(URI serverUrl, String sessionId, Executor ui) {
        this(serverUrl, sessionId, null, ui);
    }

    /**
     * @param connectionData what this participant offers others when its token names no one, such as
     *                       {@code name=Ada}; null for nothing
     */
    public SdkSignalingService(URI serverUrl, String sessionId, String connectionData, Executor ui) {
        this(serverUrl, sessionId, "", connectionData, ui);
    }

    /**
     * @param fingerprint the SHA-256 fingerprint of the one certificate to trust for an https server (an
     *                    invite link's {@code fp}), or empty (or null) for the system's trust
     * @throws IllegalArgumentException when the fingerprint is damaged, or given for a plain http server
     */
    public SdkSignalingService(URI serverUrl, String sessionId, String fingerprint, String connectionData, Executor ui) {
        this.ui = Objects.requireNonNull(ui, "ui");
        this.session = Session.builder(serverUrl, sessionId).listener(new Forwarder())
                .connectionData(connectionData)
                .trustedCertificate(fingerprint == null || fingerprint.isBlank() ? null : fingerprint)
                .build();
    }

    @Override
    public void setListener(SessionListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public CompletableFuture<Void> connect(String token) {
        return onUi(session.connect(token));
    }

    @Override
    public CompletableFuture<Void> send(String type, String data, Connection to, boolean retryAfterReconnect) {
        SignalOptions options = retryAfterReconnect ? RETRY : NO_RETRY;
        return onUi(to == null
                ? session.sendSignal(type, data, options)
                : session.sendSignalToConnection(type, data, to, options));
    }

    @Override
    public List<QueuedSignal> queuedSignals() {
        return session.getQueuedSignals();
    }

    @Override
    public boolean cancel(QueuedSignal signal) {
        return session.cancelQueuedSignal(signal);
    }

    @Override
    public Connection self() {
        return session.getConnection();
    }

    @Override
    public List<Connection> connections() {
        return session.getConnections();
    }

    @Override
    public String disconnectMessage() {
        return session.getDisconnectMessage();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return onUi(session.disconnect());
    }

    @Override
    public FaultInjector faults() {
        return session.faults();
    }

    /** The same outcome, delivered on the UI thread. */
    private CompletableFuture<Void> onUi(CompletableFuture<Void> sdk) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        sdk.whenComplete((ok, failure) -> ui.execute(() -> {
            if (failure == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
        }));
        return result;
    }

    private void post(Consumer<SessionListener> call) {
        ui.execute(() -> call.accept(listener));
    }

    /** Hears the SDK on its event thread and replays each event on the UI thread. */
    private final class Forwarder implements SessionListener {
        @Override
        public void onConnected(Session s) {
            post(l -> l.onConnected(s));
        }

        @Override
        public void onDisconnected(Session s, DisconnectReason reason) {
            post(l -> l.onDisconnected(s, reason));
        }

        @Override
        public void onConnectionCreated(Session s, Connection connection) {
            post(l -> l.onConnectionCreated(s, connection));
        }

        @Override
        public void onConnectionDestroyed(Session s, Connection connection, DisconnectReason reason) {
            post(l -> l.onConnectionDestroyed(s, connection, reason));
        }

        @Override
        public void onSignal(Session s, Signal signal) {
            post(l -> l.onSignal(s, signal));
        }

        @Override
        public void onReconnecting(Session s) {
            post(l -> l.onReconnecting(s));
        }

        @Override
        public void onReconnectAttempt(Session s, int attempt, Instant nextAttemptAt) {
            post(l -> l.onReconnectAttempt(s, attempt, nextAttemptAt));
        }

        @Override
        public void onReconnected(Session s) {
            post(l -> l.onReconnected(s));
        }

        @Override
        public void onResumed(Session s, Resumption resumption) {
            post(l -> l.onResumed(s, resumption));
        }

        @Override
        public void onSignalsMissed(Session s, int count) {
            post(l -> l.onSignalsMissed(s, count));
        }

        @Override
        public void onQueueChanged(Session s, List<QueuedSignal> queued) {
            post(l -> l.onQueueChanged(s, queued));
        }

        @Override
        public void onError(Session s, SignalingException exception) {
            post(l -> l.onError(s, exception));
        }
    }
}
