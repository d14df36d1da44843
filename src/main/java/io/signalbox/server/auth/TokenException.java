package io.signalbox.server.auth;

import java.util.Objects;

/**
 * A token, a project JWT or a session id was refused. The message is the reason, written for a
 * person: it is safe to show to the client that presented the token (it never contains the secret)
 * and precise enough to act on, e.g. {@code "token expired at 2026-11-27T10:00:00Z"}.
 */
public final class TokenException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the refusal.
     *
     * @param reason why the token was refused, as a person would read it
     */
    public TokenException(String reason) {
        super(Objects.requireNonNull(reason, "reason"));
    }
}
