package io.signalbox.app.service;

import io.signalbox.client.Connection;
import io.signalbox.client.FaultInjector;
import io.signalbox.client.QueuedSignal;
import io.signalbox.client.SessionListener;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One participant's session, as the app's ViewModels see it: the SDK's session, with every event and
 * every future delivered on the UI thread (through the executor the composition root injects:
 * {@code Platform::runLater} in the app, {@code Runnable::run} in tests). ViewModels never touch the
 * SDK's threads and never hop threads themselves.
 */
public interface SignalingService {

    /** Who hears the session's events, on the UI thread. Set once, before {@link #connect}. */
    void setListener(SessionListener listener);

    /** Joins with a token; completes on the UI thread after the listener heard onConnected. */
    CompletableFuture<Void> connect(String token);

    /**
     * Sends a signal to one connection, or to everyone when {@code to} is null; completes on the UI
     * thread when the server acknowledged it, or fails with a {@link io.signalbox.client.SignalingException}.
     */
    CompletableFuture<Void> send(String type, String data, Connection to, boolean retryAfterReconnect);

    /** The signals waiting for a reconnection, oldest first. */
    List<QueuedSignal> queuedSignals();

    /** Cancels a queued signal; its send fails with CANCELLED. */
    boolean cancel(QueuedSignal signal);

    /** This participant's connection, or null when not connected. */
    Connection self();

    /** Everyone in the session, this participant first. */
    List<Connection> connections();

    /** Why the session ended, in the server's or the network's words, or null. */
    String disconnectMessage();

    /** Leaves the session; completes on the UI thread. */
    CompletableFuture<Void> disconnect();

    /** Faults on demand for this participant's link, for QA. */
    FaultInjector faults();
}
