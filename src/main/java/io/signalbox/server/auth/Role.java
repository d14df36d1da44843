package io.signalbox.server.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a token lets its holder do in a session. The wire names are OpenTok's, so tokens carry the
 * same {@code role} values in both worlds.
 */
public enum Role {
    /** May publish, subscribe and signal. The default when a token names no role. */
    PUBLISHER("publisher"),
    /** May subscribe and signal, but not publish. */
    SUBSCRIBER("subscriber"),
    /** A publisher who may also moderate: force others to disconnect, end the session. */
    MODERATOR("moderator"),
    /** May only publish: no subscribing and no signaling. */
    PUBLISHER_ONLY("publisheronly");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name of this role in tokens and on the wire.
     *
     * @return {@code "publisher"}, {@code "subscriber"}, {@code "moderator"} or {@code "publisheronly"}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Reads a role from its wire name. Case is ignored, so {@code "Moderator"} typed on a command
     * line is read as {@link #MODERATOR}; that is harmless in a signed token too, as only the holder
     * of the secret can choose it.
     *
     * @param name a wire name such as {@code "publisher"}
     * @return the role
     * @throws IllegalArgumentException when {@code name} is null or names no role; the message lists
     *         the valid roles
     */
    public static Role fromWire(String name) {
        if (name == null) {
            throw new IllegalArgumentException("role is missing; valid roles are " + validNames());
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (Role role : values()) {
            if (role.wireName.equals(lower)) return role;
        }
        throw new IllegalArgumentException("unknown role \"" + name + "\"; valid roles are " + validNames());
    }

    /**
     * Whether a connection with this role may send signals.
     *
     * @return false only for {@link #PUBLISHER_ONLY}
     */
    public boolean maySignal() {
        return this != PUBLISHER_ONLY;
    }

    /** The wire names of every role, for messages: "publisher, subscriber, moderator, publisheronly". */
    static String validNames() {
        return Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", "));
    }
}
