package io.signalbox.server;

/** A REST call that fails with an HTTP status and a message for the caller. */
final class ApiException extends RuntimeException {
    final int status;
    /** For a 429: how long the caller should wait, in milliseconds; 0 otherwise. */
    final long retryAfterMs;

    ApiException(int status, String message) {
        this(status, message, 0);
    }

    ApiException(int status, String message, long retryAfterMs) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterMs = retryAfterMs;
    }
}
