package io.signalbox.client;

import java.time.Instant;
import java.util.Objects;

/**
 * A signal waiting in the session's queue for the link to be restored.
 *
 * @param id       unique within the session, increasing in the order signals were queued
 * @param type     the signal's type
 * @param data     the signal's data
 * @param to       its one receiver, or {@code null} when it is for everyone
 * @param options  how it was sent
 * @param queuedAt when it was queued, by the session's clock
 */
public record QueuedSignal(long id, String type, String data, Connection to, SignalOptions options, Instant queuedAt) {
    public QueuedSignal {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(queuedAt, "queuedAt");
    }
}
