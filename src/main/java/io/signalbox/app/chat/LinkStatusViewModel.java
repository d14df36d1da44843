package io.signalbox.app.chat;

import io.signalbox.client.Connection;
import io.signalbox.client.QueuedSignal;
import io.signalbox.client.Resumption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.IntegerBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The reconnect indicator: connected, reconnecting (attempt, next try in N s), or disconnected (why);
 * the signals queued meanwhile, each of which may be cancelled; and for a few seconds after a
 * reconnection, what it recovered and what was lost.
 *
 * <p>It knows no toolkit, so it does not tick by itself: the view calls {@link #tick(Instant)} while
 * {@link #needsClockProperty()} is true, and tests call it with the time they want.
 */
public final class LinkStatusViewModel {
    /** How long the summary of a reconnection stays in the status bar. */
    static final Duration RECOVERED_SHOWN_FOR = Duration.ofSeconds(8);

    private final Clock clock;
    private final Predicate<QueuedSignal> canceller;

    /** Where the link stands; changed as the session reports. */
    private final ReadOnlyObjectWrapper<LinkState> state = new ReadOnlyObjectWrapper<>(this, "state", LinkState.CONNECTING);
    /** The number of the next reconnection attempt, 0 before the first is scheduled. */
    private final ReadOnlyIntegerWrapper attempt = new ReadOnlyIntegerWrapper(this, "attempt", 0);
    /** When the next reconnection attempt is due, or null when none is scheduled. */
    private final ReadOnlyObjectWrapper<Instant> nextAttemptAt = new ReadOnlyObjectWrapper<>(this, "nextAttemptAt");
    /** The time as of the last tick, for countdowns and ages. */
    private final ReadOnlyObjectWrapper<Instant> now;
    /** Why the session ended, in words; empty unless disconnected. */
    private final ReadOnlyStringWrapper disconnectReason = new ReadOnlyStringWrapper(this, "disconnectReason", "");
    /** The signals waiting for the reconnection, oldest first; replaced with each report of the queue. */
    private final ObservableList<QueuedRow> queued = FXCollections.observableArrayList();
    private final ObservableList<QueuedRow> readOnlyQueued = FXCollections.unmodifiableObservableList(queued);
    /** What the last reconnection recovered, in words; empty before any. */
    private final ReadOnlyStringWrapper recovered = new ReadOnlyStringWrapper(this, "recovered", "");
    /** Until when the summary of the last reconnection is shown; null when there is none. */
    private final ReadOnlyObjectWrapper<Instant> recoveredUntil = new ReadOnlyObjectWrapper<>(this, "recoveredUntil");

    private final IntegerBinding secondsToNextAttempt;
    private final StringBinding statusText;
    private final IntegerBinding queuedCount = Bindings.size(queued);
    private final StringBinding queuedText = Bindings.createStringBinding(() -> queuedCount.get() + " queued", queuedCount);
    private final BooleanBinding showQueued;
    private final StringBinding recoveredText;
    private final BooleanBinding needsClock;
    private final BooleanBinding canRejoin = Bindings.equal(LinkState.DISCONNECTED, state);

    /**
     * @param clock     the app's clock, read when an event needs the time at once
     * @param canceller takes a signal out of the queue; false when it is no longer there
     */
    LinkStatusViewModel(Clock clock, Predicate<QueuedSignal> canceller) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.canceller = Objects.requireNonNull(canceller, "canceller");
        this.now = new ReadOnlyObjectWrapper<>(this, "now", clock.instant());
        this.secondsToNextAttempt = Bindings.createIntegerBinding(() -> {
            Instant at = nextAttemptAt.get();
            if (at == null) return 0;
            long millis = Duration.between(now.get(), at).toMillis();
            return millis <= 0 ? 0 : (int) ((millis + 999) / 1000);
        }, nextAttemptAt, now);
        this.statusText = Bindings.createStringBinding(this::describe, state, attempt, nextAttemptAt,
                secondsToNextAttempt, disconnectReason);
        this.showQueued = Bindings.createBooleanBinding(
                () -> state.get() == LinkState.RECONNECTING || queuedCount.get() > 0, state, queuedCount);
        this.recoveredText = Bindings.createStringBinding(() -> {
            Instant until = recoveredUntil.get();
            return until != null && now.get().isBefore(until) ? recovered.get() : "";
        }, recovered, recoveredUntil, now);
        this.needsClock = Bindings.createBooleanBinding(
                () -> state.get() == LinkState.RECONNECTING || queuedCount.get() > 0 || !recoveredText.get().isEmpty(),
                state, queuedCount, recoveredText);
    }

    public ReadOnlyObjectProperty<LinkState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public LinkState state() {
        return state.get();
    }

    public ReadOnlyIntegerProperty attemptProperty() {
        return attempt.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Instant> nextAttemptAtProperty() {
        return nextAttemptAt.getReadOnlyProperty();
    }

    /** Whole seconds until the next reconnection attempt, rounded up; 0 when none is due. */
    public IntegerBinding secondsToNextAttemptProperty() {
        return secondsToNextAttempt;
    }

    /** The state in words: "Connected", "Reconnecting: attempt 3, next try in 2 s", "Disconnected: why". */
    public StringBinding statusTextProperty() {
        return statusText;
    }

    /** The signals waiting for the reconnection, oldest first; read-only. */
    public ObservableList<QueuedRow> queued() {
        return readOnlyQueued;
    }

    public IntegerBinding queuedCountProperty() {
        return queuedCount;
    }

    /** "2 queued". */
    public StringBinding queuedTextProperty() {
        return queuedText;
    }

    /** Whether the queue's count is worth showing: while reconnecting, or while anything waits. */
    public BooleanBinding showQueuedProperty() {
        return showQueued;
    }

    /** What the last reconnection recovered and lost, for a few seconds after it; else empty. */
    public StringBinding recoveredTextProperty() {
        return recoveredText;
    }

    /** Whether anything shown depends on the time, so that the view should keep calling tick. */
    public BooleanBinding needsClockProperty() {
        return needsClock;
    }

    /** Whether the session ended, so that joining again is offered. */
    public BooleanBinding canRejoinProperty() {
        return canRejoin;
    }

    /** The time moved on: countdowns and ages follow. */
    public void tick(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /** Takes a queued signal out of the queue before it is sent; its message then shows it cancelled. */
    public boolean cancel(QueuedRow row) {
        return canceller.test(row.signal());
    }

    void connecting() {
        state.set(LinkState.CONNECTING);
        disconnectReason.set("");
    }

    void connected() {
        state.set(LinkState.CONNECTED);
        attempt.set(0);
        nextAttemptAt.set(null);
        disconnectReason.set("");
    }

    void reconnecting() {
        now.set(clock.instant());
        recoveredUntil.set(null);
        attempt.set(0);
        nextAttemptAt.set(null);
        state.set(LinkState.RECONNECTING);
    }

    void attemptScheduled(int number, Instant at) {
        now.set(clock.instant());
        attempt.set(number);
        nextAttemptAt.set(at);
    }

    /** The link is back; the summary says what the reconnection recovered. */
    void resumed(Resumption resumption) {
        connected();
        List<String> parts = new ArrayList<>();
        if (resumption.queuedSent() > 0) parts.add("sent " + resumption.queuedSent() + " queued");
        if (resumption.resent() > 0) parts.add("resent " + resumption.resent() + " in flight");
        if (resumption.replayed() > 0) parts.add("received " + resumption.replayed() + " missed");
        String after = "Reconnected after " + describeDowntime(resumption.downtime());
        recovered.set(parts.isEmpty() ? after : "Reconnected: " + String.join(", ", parts));
        showRecoveredFromNow();
    }

    /** Signals addressed to this participant while it was away could not be kept: say how many. */
    void missed(int count) {
        String lost = count == 1 ? "1 message was lost while away" : count + " messages were lost while away";
        recovered.set(recovered.get().isEmpty() ? lost : recovered.get() + " · " + lost);
        showRecoveredFromNow();
    }

    void disconnected(String why) {
        state.set(LinkState.DISCONNECTED);
        attempt.set(0);
        nextAttemptAt.set(null);
        recoveredUntil.set(null);
        disconnectReason.set(why);
    }

    /** The SDK's queue changed: its new content, with each recipient named. */
    void queueChanged(List<QueuedSignal> signals, Function<Connection, String> names) {
        List<QueuedRow> rows = new ArrayList<>(signals.size());
        for (QueuedSignal signal : signals) rows.add(new QueuedRow(signal, names.apply(signal.to()), now));
        queued.setAll(rows);
    }

    private void showRecoveredFromNow() {
        Instant instant = clock.instant();
        now.set(instant);
        recoveredUntil.set(instant.plus(RECOVERED_SHOWN_FOR));
    }

    private String describe() {
        return switch (state.get()) {
            case CONNECTING -> "Connecting…";
            case CONNECTED -> "Connected";
            case RECONNECTING -> {
                if (attempt.get() == 0) yield "Reconnecting…";
                int seconds = secondsToNextAttempt.get();
                yield "Reconnecting: attempt " + attempt.get()
                        + (seconds > 0 ? ", next try in " + seconds + " s" : ", trying now…");
            }
            case DISCONNECTED -> "Disconnected: " + disconnectReason.get();
        };
    }

    private static String describeDowntime(Duration downtime) {
        long seconds = downtime.toSeconds();
        return seconds < 1 ? "less than a second" : seconds + " s";
    }
}
