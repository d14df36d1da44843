package io.signalbox.app.chat;

import io.signalbox.client.Connection;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One message in a conversation. What was said never changes; for a message this participant sent,
 * its delivery does, and so does its time (the local clock's when sent, the server's once the server's
 * copy of a message to everyone comes back).
 */
public final class MessageItem implements ChatItem {
    /** The type a plain chat message has; others are shown as typed signals. */
    public static final String CHAT_TYPE = "chat";

    /** Who a message is from, as this participant sees it. */
    public enum Origin {
        /** This participant. */
        MINE,
        /** Another participant. */
        THEIRS,
        /** The server itself (its REST API), not a participant. */
        SERVER
    }

    private final Origin origin;
    private final String sender;
    private final String type;
    private final String text;
    private final boolean direct;
    private final Connection to;
    private final boolean retryAfterReconnect;
    private final DateTimeFormatter timeFormat;

    /** When it was sent or routed; the echo of a sent message replaces the local time by the server's. */
    private final ReadOnlyObjectWrapper<Instant> time;
    /** Where it stands; changed by the ChatViewModel as the send progresses. */
    private final ReadOnlyObjectWrapper<Delivery> delivery;
    /** Why it failed, in words; empty unless failed. */
    private final ReadOnlyStringWrapper failure = new ReadOnlyStringWrapper(this, "failure", "");
    /**
     * Whether the server's copy of this (sent) message came back, which proves it was routed even when
     * the acknowledgement is lost; set by the ChatViewModel.
     */
    private boolean echoed;

    private final StringBinding timeText;
    private final StringBinding deliveryText;
    private final BooleanBinding failed;

    private MessageItem(Origin origin, String sender, String type, String text, boolean direct, Connection to,
                        boolean retryAfterReconnect, Instant time, Delivery delivery, DateTimeFormatter timeFormat) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.type = Objects.requireNonNull(type, "type");
        this.text = Objects.requireNonNull(text, "text");
        this.direct = direct;
        this.to = to;
        this.retryAfterReconnect = retryAfterReconnect;
        this.timeFormat = Objects.requireNonNull(timeFormat, "timeFormat");
        this.time = new ReadOnlyObjectWrapper<>(this, "time", Objects.requireNonNull(time, "time"));
        this.delivery = new ReadOnlyObjectWrapper<>(this, "delivery", delivery);
        this.timeText = Bindings.createStringBinding(() -> this.timeFormat.format(this.time.get()), this.time);
        this.deliveryText = Bindings.createStringBinding(this::describeDelivery, this.delivery, failure);
        this.failed = Bindings.equal(Delivery.FAILED, this.delivery);
    }

    /**
     * A message this participant is sending.
     *
     * @param to the one participant it is for, or null for everyone
     */
    static MessageItem outgoing(String sender, String type, String text, Connection to, boolean retryAfterReconnect,
                                Instant now, DateTimeFormatter timeFormat) {
        return new MessageItem(Origin.MINE, sender, type, text, to != null, to, retryAfterReconnect, now,
                Delivery.SENDING, timeFormat);
    }

    /**
     * A message that arrived.
     *
     * @param direct whether it was addressed to this participant alone
     */
    static MessageItem received(Origin origin, String sender, String type, String text, boolean direct, Instant time,
                                DateTimeFormatter timeFormat) {
        return new MessageItem(origin, sender, type, text, direct, null, true, time, Delivery.RECEIVED, timeFormat);
    }

    public Origin origin() {
        return origin;
    }

    public boolean isMine() {
        return origin == Origin.MINE;
    }

    public boolean isFromServer() {
        return origin == Origin.SERVER;
    }

    /** The sender's display name ("You" for this participant's own, "Server" for the server's). */
    public String sender() {
        return sender;
    }

    public String type() {
        return type;
    }

    /** Whether it is a plain chat message; other types are signals shown as such. */
    public boolean isChat() {
        return CHAT_TYPE.equals(type);
    }

    public String text() {
        return text;
    }

    /** Whether it was addressed to one participant rather than to everyone. */
    public boolean isDirect() {
        return direct;
    }

    /** For a sent message, the one participant it is for, or null for everyone. */
    Connection to() {
        return to;
    }

    /** For a sent message, whether it waits for a reconnection rather than failing while offline. */
    boolean retryAfterReconnect() {
        return retryAfterReconnect;
    }

    public ReadOnlyObjectProperty<Instant> timeProperty() {
        return time.getReadOnlyProperty();
    }

    /** The time as {@code HH:mm:ss}, in the app clock's zone. */
    public StringBinding timeTextProperty() {
        return timeText;
    }

    public ReadOnlyObjectProperty<Delivery> deliveryProperty() {
        return delivery.getReadOnlyProperty();
    }

    public Delivery delivery() {
        return delivery.get();
    }

    public ReadOnlyStringProperty failureProperty() {
        return failure.getReadOnlyProperty();
    }

    /** The delivery in words: "Queued", "Sending…", "Sent", "Failed: why"; empty for a received message. */
    public StringBinding deliveryTextProperty() {
        return deliveryText;
    }

    /** Whether it failed, so that it may be retried or discarded. */
    public BooleanBinding failedProperty() {
        return failed;
    }

    void markQueued() {
        delivery.set(Delivery.QUEUED);
    }

    void markSending() {
        failure.set("");
        delivery.set(Delivery.SENDING);
    }

    void markSent() {
        failure.set("");
        delivery.set(Delivery.SENT);
    }

    void markFailed(String why) {
        failure.set(why);
        delivery.set(Delivery.FAILED);
    }

    /** A retry sends it again now, so it shows the time of the retry until the server's comes back. */
    void restamp(Instant now) {
        echoed = false;
        time.set(now);
    }

    /** The server's copy came back: it was routed at the server's time. */
    void echoed(Instant serverTime) {
        echoed = true;
        time.set(serverTime);
    }

    boolean wasEchoed() {
        return echoed;
    }

    private String describeDelivery() {
        return switch (delivery.get()) {
            case QUEUED -> "Queued";
            case SENDING -> "Sending…";
            case SENT -> "Sent";
            case FAILED -> "Failed: " + failure.get();
            case RECEIVED -> "";
        };
    }

    @Override
    public String toString() {
        return "MessageItem[" + origin + " " + sender + " " + type + " \"" + text + "\" " + delivery.get() + "]";
    }
}
