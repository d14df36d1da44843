package io.signalbox.app.chat;

import io.signalbox.client.Connection;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One conversation: with everyone, or privately with one participant. Holds its messages and notes in
 * order, counts what arrived while it was not on screen, and lets a failed message be retried or
 * discarded.
 */
public final class ConversationViewModel {

    /** Sends a failed message again; the ChatViewModel, which owns the link. */
    interface Outbox {
        /** Sends {@code message} again, appending it to {@code conversation} anew. */
        void resend(MessageItem message, ConversationViewModel conversation);
    }

    private final Connection peer;
    private final Outbox outbox;
    /** The rows, oldest first; appended to by the ChatViewModel, and by retry; trimmed by discard and retry. */
    private final ObservableList<ChatItem> items = FXCollections.observableArrayList();
    private final ObservableList<ChatItem> readOnlyItems = FXCollections.unmodifiableObservableList(items);
    /** Messages from others that arrived while this conversation was not on screen. */
    private final ReadOnlyIntegerWrapper unread = new ReadOnlyIntegerWrapper(this, "unread", 0);
    /** Whether this conversation is the one on screen; set through open() and close(). */
    private boolean open;

    /**
     * @param peer the participant this private conversation is with, or null for the conversation with
     *             everyone
     */
    ConversationViewModel(Connection peer, Outbox outbox) {
        this.peer = peer;
        this.outbox = outbox;
    }

    /** The participant of a private conversation, or null for everyone. */
    public Connection peer() {
        return peer;
    }

    public boolean isEveryone() {
        return peer == null;
    }

    /** The rows, oldest first; read-only (the ViewModel adds and removes). */
    public ObservableList<ChatItem> items() {
        return readOnlyItems;
    }

    public ReadOnlyIntegerProperty unreadProperty() {
        return unread.getReadOnlyProperty();
    }

    public int unread() {
        return unread.get();
    }

    /** Whether it holds any message, sent or received (notes do not count). */
    public boolean hasMessages() {
        for (ChatItem item : items) {
            if (item instanceof MessageItem) return true;
        }
        return false;
    }

    /** Sends a failed message again; it moves to the end, since it goes out now. */
    public void retry(MessageItem message) {
        if (message.delivery() != Delivery.FAILED || !items.remove(message)) return;
        outbox.resend(message, this);
    }

    /** Drops a failed message from the conversation. */
    public void discard(MessageItem message) {
        if (message.delivery() == Delivery.FAILED) items.remove(message);
    }

    void add(ChatItem item) {
        items.add(item);
        if (!open && item instanceof MessageItem message && !message.isMine()) unread.set(unread.get() + 1);
    }

    /** It is on screen now: everything in it counts as read. */
    void open() {
        open = true;
        unread.set(0);
    }

    void close() {
        open = false;
    }
}
