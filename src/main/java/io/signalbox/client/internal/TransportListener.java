package io.signalbox.client.internal;

/**
 * Hears what happens to one {@link Transport}. Calls for one transport come one at a time, in order,
 * from the transport's own threads. After {@link #onClosed} or {@link #onFailure} (exactly one of
 * them, once) nothing more is reported.
 */
public interface TransportListener {

    /** The link is open and frames may be sent. */
    void onOpen();

    /** A text frame arrived. */
    void onMessage(String frame);

    /** The link was closed, by either side, with this close code and reason (possibly empty). */
    void onClosed(int code, String reason);

    /** The link could not be opened, or broke. */
    void onFailure(Throwable failure);
}
