package io.signalbox.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a connection left a session, as the wire names it (OpenTok's words). */
public enum Reason {
    CLIENT_DISCONNECTED("clientDisconnected"),
    FORCE_DISCONNECTED("forceDisconnected"),
    NETWORK_DISCONNECTED("networkDisconnected"),
    SERVER_CLOSED("serverClosed");

    private final String wireName;

    Reason(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static Reason fromWire(String name) {
        for (Reason r : values()) {
            if (r.wireName.equals(name)) return r;
        }
        throw new IllegalArgumentException("unknown reason '" + name + "'");
    }
}
