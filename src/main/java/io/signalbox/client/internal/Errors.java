package io.signalbox.client.internal;

import io.signalbox.client.DisconnectReason;
import io.signalbox.client.ErrorCode;
import io.signalbox.client.SignalingException;
import io.signalbox.protocol.Limits;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import java.time.Duration;
import io.signalbox.protocol.WireError;

/** Translations from the wire's errors and reasons to the SDK's, with messages a person can read. */
final class Errors {
    private Errors() {}

    /** The SDK's code for a wire error: same name, same number. */
    static ErrorCode code(WireError error) {
        return switch (error) {
            case AUTHENTICATION_FAILED -> ErrorCode.AUTHENTICATION_FAILED;
            case INVALID_SESSION_ID -> ErrorCode.INVALID_SESSION_ID;
            case NOT_CONNECTED -> ErrorCode.NOT_CONNECTED;
            case MALFORMED_MESSAGE -> ErrorCode.MALFORMED_MESSAGE;
            case NOT_PERMITTED -> ErrorCode.NOT_PERMITTED;
            case CONNECTION_NOT_FOUND -> ErrorCode.CONNECTION_NOT_FOUND;
            case UNSUPPORTED_PROTOCOL -> ErrorCode.UNSUPPORTED_PROTOCOL;
            case SIGNAL_DATA_TOO_LONG -> ErrorCode.SIGNAL_DATA_TOO_LONG;
            case SIGNAL_TYPE_TOO_LONG -> ErrorCode.SIGNAL_TYPE_TOO_LONG;
            case INVALID_SIGNAL_DATA -> ErrorCode.INVALID_SIGNAL_DATA;
            case INVALID_SIGNAL_TYPE -> ErrorCode.INVALID_SIGNAL_TYPE;
            case RESUME_REFUSED -> ErrorCode.RESUME_REFUSED;
            case RATE_LIMITED -> ErrorCode.RATE_LIMITED;
            case SESSION_FULL -> ErrorCode.SESSION_FULL;
            case INTERNAL_ERROR -> ErrorCode.INTERNAL_ERROR;
        };
    }

    /**
     * The exception for an error number the server sent (in a nack or an error message). A number
     * this build does not know becomes {@link ErrorCode#INTERNAL_ERROR}, with the number in the
     * message, so a newer server's errors still read sensibly.
     */
    static SignalingException fromWire(int number, String serverMessage) {
        return fromWire(number, serverMessage, null);
    }

    /** The exception for a nack: as {@link #fromWire(int, String)}, with the time to wait when it says one. */
    static SignalingException fromNack(ServerMessage.Nack nack) {
        return fromWire(nack.code(), nack.message(), nack.retryAfterMs());
    }

    private static SignalingException fromWire(int number, String serverMessage, Long retryAfterMs) {
        String words = serverMessage == null ? "" : serverMessage;
        WireError error = WireError.fromCode(number);
        if (error == null) {
            return new SignalingException(ErrorCode.INTERNAL_ERROR,
                    "the server reported error " + number + (words.isEmpty() ? "" : ": " + words));
        }
        String message = words.isEmpty() ? "the server reported " + error + " (" + number + ")" : words;
        if (error == WireError.RATE_LIMITED) {
            // A server that gave no time is asked again after a second, a polite guess.
            return new SignalingException(ErrorCode.RATE_LIMITED, message,
                    Duration.ofMillis(retryAfterMs == null ? 1000 : retryAfterMs));
        }
        return new SignalingException(code(error), message);
    }

    /** Why a signal failed {@link Limits#checkSignal}, for a person. */
    static String describeInvalid(WireError error, String type, String data) {
        return switch (error) {
            case SIGNAL_TYPE_TOO_LONG -> "the signal type is " + type.length() + " characters long; at most "
                    + Limits.MAX_TYPE_LENGTH + " are allowed";
            case INVALID_SIGNAL_TYPE -> type == null ? "the signal type is null" : describeBadTypeChar(type);
            case INVALID_SIGNAL_DATA -> "the signal data is null";
            case SIGNAL_DATA_TOO_LONG -> "the signal data is " + Limits.utf8Length(data)
                    + " bytes of UTF-8; at most " + Limits.MAX_DATA_BYTES + " are allowed";
            default -> "the signal is invalid: " + error;
        };
    }

    private static String describeBadTypeChar(String type) {
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (!Limits.isTypeChar(c)) {
                return String.format("the signal type has '%c' (U+%04X) at index %d; only A-Z a-z 0-9 - _ ~ are allowed",
                        c, (int) c, i);
            }
        }
        return "the signal type has a character outside A-Z a-z 0-9 - _ ~";
    }

    /** The SDK's reason for the wire's. */
    static DisconnectReason reason(Reason reason) {
        return switch (reason) {
            case CLIENT_DISCONNECTED -> DisconnectReason.CLIENT_DISCONNECTED;
            case FORCE_DISCONNECTED -> DisconnectReason.FORCE_DISCONNECTED;
            case NETWORK_DISCONNECTED -> DisconnectReason.NETWORK_DISCONNECTED;
            case SERVER_CLOSED -> DisconnectReason.SERVER_CLOSED;
        };
    }

    /** A failure's message, or its class when it has none. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) return failure.getClass().getSimpleName();
        return message;
    }
}
