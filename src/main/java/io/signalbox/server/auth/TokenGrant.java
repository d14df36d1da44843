package io.signalbox.server.auth;

import io.signalbox.protocol.Limits;
import java.time.Instant;

/**
 * What a verified token grants: who may join which session, with what role and connection data, and
 * until when.
 *
 * @param sessionId      the session the token is for
 * @param role           what its holder may do there
 * @param connectionData the connection data the token carries, shown to others in the session; empty
 *                       when it carries none, never null; at most 1000 characters
 * @param issuedAt       when the token was minted, to the second
 * @param expiresAt      when the token stops being accepted for a new join (a connection that joined
 *                       in time is not ended by it)
 */
public record TokenGrant(String sessionId, Role role, String connectionData, Instant issuedAt, Instant expiresAt) {
    /**
     * Checks the grant; a null connection data becomes empty.
     *
     * @throws IllegalArgumentException when a field other than the connection data is missing, or the
     *         connection data is longer than 1000 characters
     */
    public TokenGrant {
        require(sessionId, "sessionId");
        require(role, "role");
        require(issuedAt, "issuedAt");
        require(expiresAt, "expiresAt");
        connectionData = connectionData == null ? "" : connectionData;
        if (connectionData.length() > Limits.MAX_CONNECTION_DATA_LENGTH) {
            throw new IllegalArgumentException("connection data must be at most "
                    + Limits.MAX_CONNECTION_DATA_LENGTH + " characters; got " + connectionData.length());
        }
    }

    private static void require(Object value, String name) {
        if (value == null) throw new IllegalArgumentException("token grant is missing its " + name);
    }
}
