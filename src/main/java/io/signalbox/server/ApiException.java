package io.signalbox.server;

/** A REST call that fails with an HTTP status and a message for the caller. */
final class ApiException extends RuntimeException {
    final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
