package io.signalbox.client.internal;

import java.net.URI;

/**
 * One link to the server: a WebSocket carrying text frames. A session makes a new one for each
 * attempt to connect, through a {@link Factory}, and uses it once.
 *
 * <p>The session calls {@link #send} and {@link #close} from one writer thread at a time, in the order
 * it wants them on the wire; {@link #open} and {@link #abort} may come from any thread.
 */
public interface Transport {

    /**
     * Starts opening the link and returns at once. Everything that happens to the link after this,
     * including a failure to open it, is reported to {@code listener}.
     */
    void open(URI uri, TransportListener listener);

    /**
     * Writes one text frame, blocking until it is handed to the network. Never throws: a frame on a
     * link that is not open is dropped, and a failure to write is reported to the listener as
     * {@link TransportListener#onFailure}.
     */
    void send(String frame);

    /**
     * Starts the closing handshake with this code and reason; the listener hears
     * {@link TransportListener#onClosed} when it is done. Closing a link that is not open aborts it.
     */
    void close(int code, String reason);

    /**
     * Drops the link at once, without waiting for the other side, and reports nothing more to the
     * listener. Idempotent; safe before the link opened and after it ended.
     */
    void abort();

    /** Makes unopened transports. */
    @FunctionalInterface
    interface Factory {
        /** A new transport, not yet opened. */
        Transport create();
    }
}
