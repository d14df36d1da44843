package io.signalbox.app;

import java.net.URI;
import java.util.Objects;

/**
 * A session to join: where, which, with what token, and the name this participant shows.
 *
 * @param serverUrl   the server's base URL
 * @param sessionId   the session
 * @param token       a client token for it
 * @param displayName the name to show for this participant, or empty (the token's data decides what
 *                    others see)
 * @param fingerprint the SHA-256 fingerprint of the one certificate to trust for an https server (from
 *                    an invite link), or empty to trust what the system trusts
 */
public record JoinTarget(URI serverUrl, String sessionId, String token, String displayName, String fingerprint) {
    public JoinTarget {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(token, "token");
        displayName = displayName == null ? "" : displayName;
        fingerprint = fingerprint == null ? "" : fingerprint;
    }

    /** A session whose server is plain, or vouched for by the system's trust. */
    public JoinTarget(URI serverUrl, String sessionId, String token, String displayName) {
        this(serverUrl, sessionId, token, displayName, "");
    }
}
