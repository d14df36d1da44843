package io.signalbox.app.chat;

import io.signalbox.client.QueuedSignal;
import io.signalbox.protocol.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.value.ObservableObjectValue;

/** A signal waiting for the reconnection, as the queue's popover lists it. */
public final class QueuedRow {
    private final QueuedSignal signal;
    private final String recipient;
    private final StringBinding age;

    /**
     * @param recipient the name of the one it is for, or "Everyone"
     * @param now       the status bar's ticking clock, for the age
     */
    QueuedRow(QueuedSignal signal, String recipient, ObservableObjectValue<Instant> now) {
        this.signal = Objects.requireNonNull(signal, "signal");
        this.recipient = Objects.requireNonNull(recipient, "recipient");
        this.age = Bindings.createStringBinding(() -> describeAge(Duration.between(signal.queuedAt(), now.get())), now);
    }

    QueuedSignal signal() {
        return signal;
    }

    /** The signal's type, or "(no type)" for the empty one. */
    public String type() {
        return signal.type().isEmpty() ? "(no type)" : signal.type();
    }

    /** Whom it is for: a name, or "Everyone". */
    public String recipient() {
        return recipient;
    }

    /** Its size, as the limit counts it: "12 bytes". */
    public String size() {
        int bytes = Limits.utf8Length(signal.data());
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }

    /** The beginning of its text, for telling queued messages apart. */
    public String preview() {
        String oneLine = signal.data().replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 39) + "…";
    }

    /** How long it has waited: "queued 12 s ago". */
    public StringBinding ageProperty() {
        return age;
    }

    static String describeAge(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 1) return "queued just now";
        if (seconds < 60) return "queued " + seconds + " s ago";
        return "queued " + seconds / 60 + " min " + seconds % 60 + " s ago";
    }
}
