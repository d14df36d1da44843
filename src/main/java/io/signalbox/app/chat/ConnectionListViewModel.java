package io.signalbox.app.chat;

import io.signalbox.client.Connection;
import java.util.HashMap;
import java.util.Map;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.IntegerBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The connection list: "Everyone" first, then this participant, then the others in the order they
 * joined. Selecting an entry opens its conversation. Someone who leaves disappears, unless a private
 * conversation with them has messages (or is on screen): then they stay, marked as gone, so that
 * nothing said is lost from view.
 */
public final class ConnectionListViewModel {
    private final ConversationViewModel.Outbox outbox;
    private final String selfFallbackName;
    private final Participant everyone;
    /** The entries in display order; changed by join, leave and select, present flags observed. */
    private final ObservableList<Participant> participants =
            FXCollections.observableArrayList(p -> new Observable[] {p.presentProperty()});
    private final ObservableList<Participant> readOnlyParticipants = FXCollections.unmodifiableObservableList(participants);
    /** The entries of participants by connection id, in step with {@code participants}. */
    private final Map<String, Participant> byId = new HashMap<>();
    /** The entry whose conversation is on screen; never null (falls back to "Everyone"). */
    private final ReadOnlyObjectWrapper<Participant> selected;
    private final IntegerBinding presentCount = Bindings.createIntegerBinding(
            () -> (int) participants.stream().filter(p -> !p.isEveryone() && p.isPresent()).count(), participants);

    /**
     * @param selfFallbackName the name this participant chose, shown for it when its token carries none
     *                         (others then see the start of its connection id); may be empty
     */
    ConnectionListViewModel(ConversationViewModel.Outbox outbox, String selfFallbackName) {
        this.outbox = outbox;
        this.selfFallbackName = selfFallbackName == null ? "" : selfFallbackName.strip();
        this.everyone = new Participant(null, "Everyone", false, new ConversationViewModel(null, outbox));
        participants.add(everyone);
        everyone.conversation().open();
        selected = new ReadOnlyObjectWrapper<>(this, "selected", everyone);
    }

    /** The entries, "Everyone" first; read-only. */
    public ObservableList<Participant> participants() {
        return readOnlyParticipants;
    }

    public Participant everyone() {
        return everyone;
    }

    public ReadOnlyObjectProperty<Participant> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public Participant selected() {
        return selected.get();
    }

    /** How many people are in the session, this participant included. */
    public IntegerBinding presentCountProperty() {
        return presentCount;
    }

    /** Puts an entry's conversation on screen; an entry no longer in the list is ignored. */
    public void select(Participant participant) {
        Participant previous = selected.get();
        if (participant == null || participant == previous || !participants.contains(participant)) return;
        previous.conversation().close();
        participant.conversation().open();
        selected.set(participant);
        if (!previous.isPresent() && !previous.conversation().hasMessages()) forget(previous);
    }

    /** Someone is in the session (again); returns their entry. Hearing of someone twice changes nothing. */
    Participant join(Connection connection, boolean self) {
        Participant known = byId.get(connection.getConnectionId());
        if (known != null) {
            known.setPresent(true);
            return known;
        }
        String name = self && !selfFallbackName.isEmpty()
                ? DisplayNames.nameIn(connection.getData()).orElse(selfFallbackName) : DisplayNames.of(connection);
        Participant participant = new Participant(connection, name, self, new ConversationViewModel(connection, outbox));
        byId.put(connection.getConnectionId(), participant);
        if (self) participants.add(1, participant); else participants.add(participant);
        return participant;
    }

    /** Someone left; returns their entry, or null when they were not in the list. */
    Participant leave(Connection connection) {
        Participant participant = byId.get(connection.getConnectionId());
        if (participant == null) return null;
        participant.setPresent(false);
        if (participant != selected.get() && !participant.conversation().hasMessages()) forget(participant);
        return participant;
    }

    /** This participant left the session: as far as it can tell, everyone is gone. */
    void allLeft() {
        for (Participant participant : participants.toArray(Participant[]::new)) {
            if (!participant.isEveryone()) leave(participant.connection());
        }
    }

    /** The entry for a connection, or null. */
    Participant find(Connection connection) {
        return connection == null ? null : byId.get(connection.getConnectionId());
    }

    /** The private conversation with a sender, made when it is the first the list hears of them. */
    ConversationViewModel conversationWith(Connection connection) {
        Participant participant = find(connection);
        return (participant != null ? participant : join(connection, false)).conversation();
    }

    /** The name to show for a recipient: "Everyone" for null. */
    String nameOf(Connection connection) {
        if (connection == null) return everyone.name();
        Participant participant = find(connection);
        return participant != null ? participant.name() : DisplayNames.of(connection);
    }

    /** Every conversation, "Everyone" first. */
    Iterable<ConversationViewModel> conversations() {
        return participants.stream().map(Participant::conversation).toList();
    }

    private void forget(Participant participant) {
        participants.remove(participant);
        byId.remove(participant.connection().getConnectionId());
    }
}
