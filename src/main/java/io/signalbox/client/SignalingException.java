package io.signalbox.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
    /** For {@link ErrorCode#RATE_LIMITED}: how long to wait before sending again; null otherwise. */
    private final Duration retryAfter;

    /**
     * @param code    what went wrong
     * @param message what went wrong, for a person
     */
    public SignalingException(ErrorCode code, String message) {
        this(code, message, (Throwable) null);
    }

    /**
     * @param code    what went wrong
     * @param message what went wrong, for a person
     * @param cause   the failure under it, such as the network's exception, or {@code null}
     */
    public SignalingException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = null;
    }

    /**
     * @param code       what went wrong, such as {@link ErrorCode#RATE_LIMITED}
     * @param message    what went wrong, for a person
     * @param retryAfter how long the server asks the caller to wait before sending again
     */
    public SignalingException(ErrorCode code, String message, Duration retryAfter) {
        super(message, null);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** What went wrong. */
    public ErrorCode code() {
        return code;
    }

    /**
     * How long to wait before sending again, when the server said ({@link ErrorCode#RATE_LIMITED});
     * empty for other failures.
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public String toString() {
        return "SignalingException[" + code + " " + code.number() + "]: " + getMessage();
    }
}
