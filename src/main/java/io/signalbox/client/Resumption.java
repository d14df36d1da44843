package io.signalbox.client;

import java.time.Duration;

/**
 * What a reconnection did, reported by {@link SessionListener#onResumed}.
 *
 * @param attempts   how many attempts it took, the successful one included
 * @param downtime   from the loss of the link to its restoration
 * @param resent     signals in flight at the drop that had not arrived and were sent again
 * @param queuedSent signals queued while reconnecting and sent after it, in order
 * @param replayed   signals addressed to this client while it was away and delivered now
 * @param missed     signals addressed to this client while it was away that the server could not keep
 */
public record Resumption(int attempts, Duration downtime, int resent, int queuedSent, int replayed, int missed) {}
