package io.signalbox.app.chat;

import io.signalbox.client.Connection;
import java.util.Objects;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;

/**
 * An entry of the connection list: "Everyone", or one participant, with the conversation it opens.
 */
public final class Participant {
    private final Connection connection;
    private final String name;
    private final boolean self;
    private final ConversationViewModel conversation;
    /**
     * Whether the participant is still in the session; false once they left (kept in the list only
     * while their conversation has messages) or when this participant itself was disconnected.
     */
    private final ReadOnlyBooleanWrapper present = new ReadOnlyBooleanWrapper(this, "present", true);

    /**
     * @param connection the participant's connection, or null for "Everyone"
     * @param name       the name shown
     * @param self       whether it is this participant
     */
    Participant(Connection connection, String name, boolean self, ConversationViewModel conversation) {
        this.connection = connection;
        this.name = Objects.requireNonNull(name, "name");
        this.self = self;
        this.conversation = Objects.requireNonNull(conversation, "conversation");
    }

    /** The participant's connection, or null for "Everyone". */
    public Connection connection() {
        return connection;
    }

    public boolean isEveryone() {
        return connection == null;
    }

    public String name() {
        return name;
    }

    /** Whether this entry is this participant itself (shown with "(you)"). */
    public boolean isSelf() {
        return self;
    }

    public ConversationViewModel conversation() {
        return conversation;
    }

    public ReadOnlyBooleanProperty presentProperty() {
        return present.getReadOnlyProperty();
    }

    public boolean isPresent() {
        return present.get();
    }

    public ReadOnlyIntegerProperty unreadProperty() {
        return conversation.unreadProperty();
    }

    void setPresent(boolean value) {
        present.set(value);
    }

    @Override
    public String toString() {
        return "Participant[" + name + (self ? " (you)" : "") + (isPresent() ? "" : " (left)") + "]";
    }
}
