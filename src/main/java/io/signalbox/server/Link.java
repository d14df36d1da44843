package io.signalbox.server;

import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One WebSocket, and Jetty's listener of it: before authentication it has no peer; after, it carries
 * that peer's frames. Jetty calls it for one socket's events one at a time, and hands them to the
 * {@link SignalingEndpoint}.
 *
 * <p>Public only because Jetty binds a listener's methods by reflection; nothing outside this package
 * can make one.
 */
public final class Link implements Session.Listener.AutoDemanding {
    private final SignalingEndpoint endpoint;
    /** Where this socket's frames go; set at open, before any other event. */
    JettyOutlet outlet;
    /** The connection this socket carries; set once, by the socket's reader, at connect. */
    volatile Peer peer;
    /** Closes the socket if it never authenticates; set at open, cancelled at connect or close. */
    volatile ScheduledFuture<?> authTimer;

    Link(SignalingEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        endpoint.onOpen(this, session);
    }

    @Override
    public void onWebSocketText(String message) {
        endpoint.onMessage(this, message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        endpoint.onBinary(this);
    }

    @Override
    public void onWebSocketClose(int status, String reason, Callback callback) {
        try {
            endpoint.onClose(this, status, reason);
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketError(Throwable error) {
        endpoint.onError(this, error);
    }
}
