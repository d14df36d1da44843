package io.signalbox.server.auth;

import java.time.Instant;

/**
 * What a client token of either form says, once its signature is verified and before it is checked
 * against the session, the clock and the limits: the shape both forms are read into.
 *
 * @param sessionId      the session the token names
 * @param role           the role's wire name, or null when the token names none
 * @param connectionData the connection data, decoded, or null when there is none
 * @param issuedAt       when the token was minted
 * @param expiresAt      when it expires; for a legacy token without {@code expire_time}, 24 hours
 *                       after {@code create_time}
 */
record TokenFields(String sessionId, String role, String connectionData, Instant issuedAt, Instant expiresAt) {}
