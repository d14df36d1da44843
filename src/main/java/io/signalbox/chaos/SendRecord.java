package io.signalbox.chaos;

import io.signalbox.client.SignalingException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One send of a chaos run and how its future ended.
 *
 * @param tag     what the signal carried
 * @param target  the one receiver's index, or {@link #EVERYONE}
 * @param outcome how the send's future ended, if it did
 * @param error   when it failed: the {@link io.signalbox.client.ErrorCode} name, or the exception's
 *                class for a failure that is not a {@link SignalingException}; otherwise null
 * @param sentAt    when it was sent, by {@link System#nanoTime}, to place a finding in the run's timeline
 * @param settledAt when its outcome became known (an acknowledgement: the server had routed it), by
 *                  {@link System#nanoTime}; null while pending
 */
record SendRecord(SignalTag tag, int target, Outcome outcome, String error, long sentAt, Long settledAt) {
    /** The {@code target} of a signal to everyone. */
    static final int EVERYONE = -1;

    /** How a send's future ended. */
    enum Outcome { ACKNOWLEDGED, FAILED, PENDING }

    SendRecord {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(outcome, "outcome");
        if (target < EVERYONE) throw new IllegalArgumentException("target must be EVERYONE or an index: " + target);
        if ((outcome == Outcome.FAILED) != (error != null)) {
            throw new IllegalArgumentException("a failed send, and only one, has an error: " + outcome + ", " + error);
        }
        if ((outcome == Outcome.PENDING) != (settledAt == null)) {
            throw new IllegalArgumentException("a settled send, and only one, has a time of settling: " + outcome);
        }
    }

    /**
     * The send's state now, read from its future without waiting.
     *
     * @param settled completes with the {@link System#nanoTime} at which {@code future} completed
     */
    static SendRecord of(SignalTag tag, int target, CompletableFuture<Void> future, long sentAt,
                         CompletableFuture<Long> settled) {
        // The time is taken by a stage after the future's own completion: read the future first.
        return switch (future.state()) {
            case RUNNING -> new SendRecord(tag, target, Outcome.PENDING, null, sentAt, null);
            case SUCCESS -> new SendRecord(tag, target, Outcome.ACKNOWLEDGED, null, sentAt, settled.join());
            case FAILED -> new SendRecord(tag, target, Outcome.FAILED, describe(future.exceptionNow()), sentAt, settled.join());
            case CANCELLED -> new SendRecord(tag, target, Outcome.FAILED, "CancellationException", sentAt, settled.join());
        };
    }

    /** A stage that completes with the {@link System#nanoTime} at which {@code future} completes, however. */
    static CompletableFuture<Long> settling(CompletableFuture<?> future) {
        return future.handle((result, failure) -> System.nanoTime());
    }

    boolean toEveryone() {
        return target == EVERYONE;
    }

    /** The send as a person reads it in a problem: {@code s1#233#r (to everyone, acknowledged)}. */
    String describe() {
        return tag + " (to " + (toEveryone() ? "everyone" : "c" + target) + ", "
                + (outcome == Outcome.FAILED ? "failed " + error : outcome.name().toLowerCase()) + ")";
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof SignalingException signaling ? signaling.code().name() : cause.getClass().getSimpleName();
    }
}
