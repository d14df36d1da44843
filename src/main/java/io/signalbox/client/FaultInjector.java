package io.signalbox.client;

import java.time.Duration;
import java.time.Instant;

/**
 * Faults on demand, for test tools and the app's QA menu: the network failures a session must survive,
 * caused without a proxy. Off unless used, and then it costs nothing. Get it from
 * {@link Session#faults()}.
 */
public interface FaultInjector {

    /** Drops the link abruptly now, as a network failure would; the session reconnects. */
    void dropLink();

    /**
     * Drops the link and stays offline for {@code duration}: reconnection attempts fail until it has
     * passed.
     */
    void goOffline(Duration duration);

    /** Makes every reconnection attempt fail until {@link #releaseReconnection()}. */
    void blockReconnection();

    /** Lets reconnection attempts through again. */
    void releaseReconnection();

    /** Adds {@code latency} to every frame, each way; {@link Duration#ZERO} for none. */
    void setLatency(Duration latency);

    /** The faults in force now. */
    State state();

    /**
     * The faults in force.
     *
     * @param offlineUntil when an offline period ends, or null when online
     * @param blocked      whether reconnection is blocked
     * @param latency      the latency added to every frame
     */
    record State(Instant offlineUntil, boolean blocked, Duration latency) {
        /** Whether any fault is in force. */
        public boolean any() {
            return offlineUntil != null || blocked || !latency.isZero();
        }
    }
}
