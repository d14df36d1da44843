package io.signalbox.app.invite;

import io.signalbox.app.service.HostedSession;
import io.signalbox.app.service.InviteLink;
import io.signalbox.server.auth.Role;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * An invitation to a hosted session: the guest's role and, if the host wants, their name; the link
 * made from them, to copy. A new token is minted whenever the role or the name changes, so the link
 * shown is always the one that gives what is chosen.
 */
public final class InviteViewModel {
    /** Longer names would crowd every list they appear in (the same limit as the start screen's). */
    public static final int MAX_NAME_LENGTH = 64;

    /** Mints a token for the hosted session: {@link HostedSession#token} in the app. */
    @FunctionalInterface
    public interface Minter {
        String token(Role role, String displayName);
    }

    private final URI serverUrl;
    private final String sessionId;
    private final boolean onNetwork;
    /** The host's certificate fingerprint that links carry, or empty when the server is plain. */
    private final String fingerprint;
    private final Minter minter;

    private final ObjectProperty<Role> role = new SimpleObjectProperty<>(this, "role", Role.PUBLISHER);
    private final StringProperty guestName = new SimpleStringProperty(this, "guestName", "");
    private final ReadOnlyStringWrapper link = new ReadOnlyStringWrapper(this, "link", "");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");

    public InviteViewModel(URI serverUrl, String sessionId, boolean onNetwork, Minter minter) {
        this(serverUrl, sessionId, onNetwork, "", minter);
    }

    /**
     * @param fingerprint the SHA-256 fingerprint of the hosting server's certificate, which every link
     *                    carries so that guests trust that certificate only; empty for a plain server
     */
    public InviteViewModel(URI serverUrl, String sessionId, boolean onNetwork, String fingerprint, Minter minter) {
        this.serverUrl = Objects.requireNonNull(serverUrl, "serverUrl");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.onNetwork = onNetwork;
        this.fingerprint = fingerprint == null ? "" : fingerprint;
        this.minter = Objects.requireNonNull(minter, "minter");
        role.addListener((obs, old, now) -> remint());
        guestName.addListener((obs, old, now) -> remint());
        remint();
    }

    /** The invitation dialog of a session this computer hosts. */
    public static InviteViewModel of(HostedSession hosting) {
        return new InviteViewModel(hosting.url(), hosting.sessionId(), hosting.onNetwork(), hosting.fingerprint(),
                hosting::token);
    }

    /** The role the guest gets; never null (null is read as publisher). */
    public ObjectProperty<Role> roleProperty() {
        return role;
    }

    /** The guest's name, sent as {@code name=...} in their connection data; empty to leave it out. */
    public StringProperty guestNameProperty() {
        return guestName;
    }

    /** The link to send; empty while the name is too long. */
    public ReadOnlyStringProperty linkProperty() {
        return link.getReadOnlyProperty();
    }

    /** What the person should know now: that the link was copied, or why there is no link. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The roles to offer, the usual one first. */
    public List<Role> roles() {
        return List.of(Role.PUBLISHER, Role.SUBSCRIBER, Role.MODERATOR, Role.PUBLISHER_ONLY);
    }

    /** What a role lets a guest do, in words, for the role list. */
    public String describe(Role r) {
        return switch (r) {
            case PUBLISHER -> "publisher: can chat";
            case SUBSCRIBER -> "subscriber: can chat, cannot publish media";
            case MODERATOR -> "moderator: can chat and remove others";
            case PUBLISHER_ONLY -> "publisheronly: cannot send messages";
        };
    }

    /** Whether guests reach this session over the local network. */
    public boolean onNetwork() {
        return onNetwork;
    }

    /** Whether what goes over the network is readable by others on it: a network session without TLS. */
    public boolean exposed() {
        return onNetwork && fingerprint.isEmpty();
    }

    /** Who can use the link, for the dialog. */
    public String reach() {
        if (!onNetwork) {
            return "This session is open to this computer only: the link works for other Signalbox windows here. "
                    + "To invite others on your network, host with \"Let others on my local network join\".";
        }
        return fingerprint.isEmpty()
                ? "Guests on your local network can open this link in Signalbox. Messages travel unencrypted "
                        + "over the network: anyone on it could read them."
                : "Guests on your local network can open this link in Signalbox. Messages are encrypted, and the "
                        + "link names this computer's certificate, so guests' Signalbox connects to this computer only.";
    }

    /** The link was put on the clipboard. */
    public void copied() {
        if (link.get().isEmpty()) return;
        status.set("Link copied. It is valid for " + HostedSession.TOKEN_TTL.toHours()
                + " hours; anyone who has it can join.");
    }

    private void remint() {
        String name = guestName.get() == null ? "" : guestName.get().strip();
        if (name.length() > MAX_NAME_LENGTH) {
            link.set("");
            status.set("The name can be at most " + MAX_NAME_LENGTH + " characters long.");
            return;
        }
        Role chosen = role.get() == null ? Role.PUBLISHER : role.get();
        link.set(new InviteLink(serverUrl, sessionId, minter.token(chosen, name), fingerprint, Map.of()).format());
        status.set("");
    }
}
