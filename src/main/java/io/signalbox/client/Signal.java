package io.signalbox.client;

import java.time.Instant;
import java.util.Objects;

/**
 * A signal this client received.
 *
 * @param type   the signal's type, possibly empty
 * @param data   the signal's data, possibly empty
 * @param from   the sending connection, or {@code null} when the server sent the signal itself (its
 *               REST API); for a client's signal never {@code null}
 * @param direct whether the signal was addressed to this connection alone, rather than to everyone
 * @param time   when the server routed the signal, by the server's clock
 */
public record Signal(String type, String data, Connection from, boolean direct, Instant time) {
    /** Checks that nothing but {@code from} is missing. */
    public Signal {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(time, "time");
    }
}
