package io.signalbox.app.chat;

import io.signalbox.client.DisconnectReason;
import io.signalbox.client.SignalingException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Failures in words a person understands: a short headline for the kind of failure, then the SDK's or
 * the server's own explanation. Never a stack trace; the log keeps those.
 */
final class Failures {
    private Failures() {}

    /** Why a send, a connect or another call failed. */
    static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof SignalingException e) {
            return headline(e) + ": " + e.getMessage();
        }
        String message = cause.getMessage();
        return "Something went wrong: " + (message == null || message.isBlank() ? cause.getClass().getSimpleName() : message);
    }

    /** Why this participant's session ended, from the reason and the server's or network's words. */
    static String disconnected(DisconnectReason reason, String message) {
        String words = message == null || message.isBlank() ? null : capitalize(message.strip());
        return switch (reason) {
            case CLIENT_DISCONNECTED -> words != null ? words : "You left the session";
            case FORCE_DISCONNECTED -> "You were removed from the session" + (words != null ? ": " + words : "");
            case NETWORK_DISCONNECTED -> "The connection was lost and could not be restored"
                    + (words != null ? " (" + message.strip() + ")" : "");
            case SERVER_CLOSED -> words != null ? words : "The server ended the connection";
        };
    }

    /** Why another participant left, as a note after their name ("Bo left: connection lost"). */
    static String departure(DisconnectReason reason) {
        return switch (reason) {
            case CLIENT_DISCONNECTED -> "";
            case FORCE_DISCONNECTED -> "removed by a moderator";
            case NETWORK_DISCONNECTED -> "connection lost";
            case SERVER_CLOSED -> "closed by the server";
        };
    }

    static String capitalize(String text) {
        if (text.isEmpty()) return text;
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String headline(SignalingException e) {
        return switch (e.code()) {
            case NOT_CONNECTED -> "Not connected";
            case CANCELLED -> "Cancelled";
            case DELIVERY_UNKNOWN -> "Delivery unknown";
            case QUEUE_FULL -> "Too many waiting";
            case RATE_LIMITED -> "Sending too fast";
            case SESSION_FULL -> "Session full";
            case CONNECTION_NOT_FOUND -> "Recipient not in the session";
            case NOT_PERMITTED -> "Not allowed";
            case SIGNAL_DATA_TOO_LONG -> "Too long";
            case SIGNAL_TYPE_TOO_LONG, INVALID_SIGNAL_TYPE -> "Invalid type";
            case INVALID_SIGNAL_DATA -> "Invalid message";
            case AUTHENTICATION_FAILED -> "Invitation refused";
            case INVALID_SESSION_ID -> "No such session";
            case CONNECT_FAILED -> "Cannot reach the server";
            case CERTIFICATE_NOT_TRUSTED -> "Not the expected server";
            case UNSUPPORTED_PROTOCOL -> "Incompatible server";
            case RESUME_REFUSED -> "Reconnection refused";
            case ILLEGAL_STATE -> "Not now";
            case MALFORMED_MESSAGE, INTERNAL_ERROR -> "Server error";
        };
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
