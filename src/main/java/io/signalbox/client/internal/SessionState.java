package io.signalbox.client.internal;

/**
 * Where a {@link RealSession} is in its life. A session starts {@link #DISCONNECTED} and may go round
 * again after a disconnection. The transitions:
 *
 * <pre>
 * DISCONNECTED  --connect()----------------------------------------&gt; CONNECTING
 * CONNECTING    --connected----------------------------------------&gt; CONNECTED
 * CONNECTING    --refused, link failed, timed out, disconnect()----&gt; DISCONNECTED
 * CONNECTED     --disconnect()-------------------------------------&gt; DISCONNECTING
 * CONNECTED     --final close (4xxx), lost link, silent link-------&gt; DISCONNECTED
 * DISCONNECTING --the server's close, any end of the link, timeout-&gt; DISCONNECTED
 * </pre>
 *
 * The reconnection work adds CONNECTED --lost link--&gt; RECONNECTING --resumed--&gt; CONNECTED, and
 * RECONNECTING --window over, refused, disconnect()--&gt; DISCONNECTED.
 */
public enum SessionState {
    /** Not in the session: before the first connect, and after every disconnection. */
    DISCONNECTED,
    /** A link is opening, or open and waiting for the server's answer to {@code connect}. */
    CONNECTING,
    /** In the session, with an open link. Signals may be sent. */
    CONNECTED,
    /**
     * In the session, without a link, trying to resume. Reserved for the reconnection work: today a lost
     * link ends the session.
     */
    RECONNECTING,
    /** {@code disconnect()} was called: waiting for acknowledgements, then for the server to close. */
    DISCONNECTING
}
