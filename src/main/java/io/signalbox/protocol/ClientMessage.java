package io.signalbox.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/** What a client sends to the server. Each is a JSON object whose {@code kind} names it. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(ClientMessage.Connect.class),
        @JsonSubTypes.Type(ClientMessage.Resume.class),
        @JsonSubTypes.Type(ClientMessage.SendSignal.class),
        @JsonSubTypes.Type(ClientMessage.Ping.class),
        @JsonSubTypes.Type(ClientMessage.Leave.class)
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ClientMessage {

    /**
     * The first message of a new connection: join {@code sessionId} with {@code token}.
     *
     * @param v    the protocol version the client speaks
     * @param data connection data the client offers, or null: used only when the token carries none
     *             (a display name, {@code name=...}), since the token's data is the host's word
     */
    @JsonTypeName("connect")
    record Connect(Integer v, String sessionId, String token, String data) implements ClientMessage {
        public Connect {
            Fields.require(v, "v");
            Fields.require(sessionId, "sessionId");
            Fields.require(token, "token");
        }

        public Connect(Integer v, String sessionId, String token) {
            this(v, sessionId, token, null);
        }
    }

    /**
     * The first message of a link that takes over an existing connection after a drop.
     *
     * @param resumeToken the secret the server gave in {@link ServerMessage.Connected}
     * @param received    how many signals the client has received on this connection so far
     */
    @JsonTypeName("resume")
    record Resume(Integer v, String sessionId, String connectionId, String resumeToken, Long received)
            implements ClientMessage {
        public Resume {
            Fields.require(v, "v");
            Fields.require(sessionId, "sessionId");
            Fields.require(connectionId, "connectionId");
            Fields.require(resumeToken, "resumeToken");
            Fields.requireNonNegative(received, "received");
        }
    }

    /**
     * A signal to route.
     *
     * @param seq  the client's sequence number: 1, 2, 3 ... over the life of the connection
     * @param to   the receiving connection's id, or {@code null} for everyone in the session
     */
    @JsonTypeName("signal")
    record SendSignal(Long seq, String type, String data, String to) implements ClientMessage {
        public SendSignal {
            Fields.requireNonNegative(seq, "seq");
            Fields.require(type, "type");
            Fields.require(data, "data");
        }
    }

    /**
     * A heartbeat; the server answers {@link ServerMessage.Pong}.
     *
     * @param received how many signals the client has received on this connection so far, or null;
     *                 the server then need keep no older ones for a replay
     */
    @JsonTypeName("ping")
    record Ping(Long received) implements ClientMessage {
        public Ping() {
            this(null);
        }
    }

    /** The client leaves the session; the server closes the socket with 1000. */
    @JsonTypeName("leave")
    record Leave() implements ClientMessage {}
}
