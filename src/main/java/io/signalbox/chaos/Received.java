package io.signalbox.chaos;

import java.util.Objects;

/**
 * One signal as a chaos client received it.
 *
 * @param type   the signal's type
 * @param data   the signal's data, a {@link SignalTag} when a chaos client sent it
 * @param fromId the sender's connection id, or null when the server sent it
 * @param direct whether it was addressed to the receiver alone
 * @param at     when the listener heard it, by {@link System#nanoTime}
 */
record Received(String type, String data, String fromId, boolean direct, long at) {
    Received {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }
}
