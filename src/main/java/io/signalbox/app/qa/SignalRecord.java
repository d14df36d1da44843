package io.signalbox.app.qa;

import java.time.Instant;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One signal in or out, as the inspector lists it. Its state changes as the signal goes (queued, sent,
 * acknowledged or failed); everything else is fixed. Changed on the UI thread only.
 */
public final class SignalRecord {
    /** Which way the signal went. */
    public enum Direction { IN, OUT }

    /** Where an outgoing signal is; an incoming one is {@code RECEIVED}. */
    public enum State { QUEUED, SENT, ACKNOWLEDGED, FAILED, RECEIVED }

    private final long id;
    private final Instant time;
    private final Direction direction;
    private final String type;
    private final String data;
    private final int size;
    private final String from;
    private final String to;
    private final Boolean retry;
    private final ReadOnlyObjectWrapper<State> state;
    /** The failure's code and words, once failed; written with the state. */
    private final ReadOnlyStringWrapper failure = new ReadOnlyStringWrapper("");

    SignalRecord(long id, Instant time, Direction direction, String type, String data, int size, String from,
                 String to, Boolean retry, State state) {
        this.id = id;
        this.time = time;
        this.direction = direction;
        this.type = type;
        this.data = data;
        this.size = size;
        this.from = from;
        this.to = to;
        this.retry = retry;
        this.state = new ReadOnlyObjectWrapper<>(state);
    }

    public long id() {
        return id;
    }

    public Instant time() {
        return time;
    }

    public Direction direction() {
        return direction;
    }

    public String type() {
        return type;
    }

    public String data() {
        return data;
    }

    /** The data's size in bytes of UTF-8. */
    public int size() {
        return size;
    }

    /** The sender as the list names it: a connection id, "server", or "me". */
    public String from() {
        return from;
    }

    /** The receiver: a connection id, or "everyone". */
    public String to() {
        return to;
    }

    /** Whether an outgoing signal asked to be retried after a reconnection; null for incoming ones. */
    public Boolean retry() {
        return retry;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State state() {
        return state.get();
    }

    public ReadOnlyStringProperty failureProperty() {
        return failure.getReadOnlyProperty();
    }

    public String failure() {
        return failure.get();
    }

    void moveTo(State next) {
        state.set(next);
    }

    void fail(String why) {
        failure.set(why);
        state.set(State.FAILED);
    }
}
