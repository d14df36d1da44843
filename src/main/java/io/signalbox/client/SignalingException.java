package io.signalbox.client;

import java.util.Objects;

/**
 * A failure of the SDK or the server, with its {@link ErrorCode} and a message a person can read.
 *
 * <p>The SDK never throws it: it arrives as the cause of a failed {@code CompletableFuture} (wrapped
 * in an {@code ExecutionException} by {@code get()} or a {@code CompletionException} by
 * {@code join()}) or through {@link SessionListener#onError}. It is a checked exception so that code
 * that rethrows it has to say so.
 */
public final class SignalingException extends Exception {
    /** What went wrong; never null. */
    private final ErrorCode code;

    /**
     * @param code    what went wrong
     * @param message what went wrong, for a person
     */
    public SignalingException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * @param code    what went wrong
     * @param message what went wrong, for a person
     * @param cause   the failure under it, such as the network's exception, or {@code null}
     */
    public SignalingException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** What went wrong. */
    public ErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return "SignalingException[" + code + " " + code.number() + "]: " + getMessage();
    }
}
