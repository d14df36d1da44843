package io.signalbox.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.List;

/** What the server sends to a client. Each is a JSON object whose {@code kind} names it. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(ServerMessage.Connected.class),
        @JsonSubTypes.Type(ServerMessage.Resumed.class),
        @JsonSubTypes.Type(ServerMessage.Ack.class),
        @JsonSubTypes.Type(ServerMessage.Nack.class),
        @JsonSubTypes.Type(ServerMessage.Signal.class),
        @JsonSubTypes.Type(ServerMessage.Joined.class),
        @JsonSubTypes.Type(ServerMessage.Left.class),
        @JsonSubTypes.Type(ServerMessage.Error.class),
        @JsonSubTypes.Type(ServerMessage.Pong.class)
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerMessage {

    /**
     * The answer to {@link ClientMessage.Connect}: the client is in the session.
     *
     * @param self              this client's own connection
     * @param connections       every other connection in the session
     * @param resumeToken       the secret that lets this connection be resumed on a new link
     * @param reconnectWindowMs how long the server keeps a dropped connection for resuming
     * @param heartbeatMs       how often the client should ping
     * @param serverTime        the server's clock, epoch milliseconds
     * @param rates             the connection's rate limits, or null when the server sets none
     */
    @JsonTypeName("connected")
    record Connected(Integer v, ConnectionInfo self, List<ConnectionInfo> connections, String resumeToken,
                     Long reconnectWindowMs, Long heartbeatMs, Long serverTime, Rates rates) implements ServerMessage {
        public Connected {
            Fields.require(v, "v");
            Fields.require(self, "self");
            connections = Fields.requireElements(connections, "connections");
            Fields.require(resumeToken, "resumeToken");
            Fields.requireNonNegative(reconnectWindowMs, "reconnectWindowMs");
            Fields.requireNonNegative(heartbeatMs, "heartbeatMs");
            Fields.require(serverTime, "serverTime");
        }

        public Connected(Integer v, ConnectionInfo self, List<ConnectionInfo> connections, String resumeToken,
                         Long reconnectWindowMs, Long heartbeatMs, Long serverTime) {
            this(v, self, connections, resumeToken, reconnectWindowMs, heartbeatMs, serverTime, null);
        }
    }

    /**
     * A connection's rate limits, and what it may send at once now, so that a client can pace itself
     * instead of being refused. A rate of 0 means that dimension is not limited. Part of
     * {@link Connected} and {@link Resumed}.
     *
     * @param signalsPerSecond how many signals the connection gains the right to send each second
     * @param signalBurst      the most signals it may send at once
     * @param bytesPerSecond   the same for bytes of signal type and data (UTF-8)
     * @param byteBurst        the most bytes it may send at once
     * @param signalsAvailable the signals it may send at once now (at most the burst)
     * @param bytesAvailable   the bytes it may send at once now
     */
    record Rates(Long signalsPerSecond, Long signalBurst, Long bytesPerSecond, Long byteBurst,
                 Long signalsAvailable, Long bytesAvailable) {
        public Rates {
            Fields.requireNonNegative(signalsPerSecond, "signalsPerSecond");
            Fields.requireNonNegative(signalBurst, "signalBurst");
            Fields.requireNonNegative(bytesPerSecond, "bytesPerSecond");
            Fields.requireNonNegative(byteBurst, "byteBurst");
            Fields.requireNonNegative(signalsAvailable, "signalsAvailable");
            Fields.requireNonNegative(bytesAvailable, "bytesAvailable");
        }
    }

    /**
     * The answer to {@link ClientMessage.Resume}: the connection goes on over the new link.
     *
     * @param lastSeq     the highest signal sequence number the server has received from this client
     * @param replayed    how many signals for this client follow, replayed from while it was away
     * @param missed      how many signals for this client the server could not keep
     * @param connections every other connection now in the session
     * @param departed    connections that left the session lately, with the reason, so that a client
     *                    that was away can tell why someone it knew is gone
     * @param nacks       the refusals among this client's latest signals, so that a signal whose
     *                    answer was lost in the drop gets its true outcome
     * @param rates       the connection's rate limits and what it may send at once now, or null when
     *                    the server sets none
     */
    @JsonTypeName("resumed")
    record Resumed(Long lastSeq, Integer replayed, Integer missed, List<ConnectionInfo> connections,
                   List<Departure> departed, List<Nack> nacks, Rates rates) implements ServerMessage {
        public Resumed {
            Fields.requireNonNegative(lastSeq, "lastSeq");
            Fields.require(replayed, "replayed");
            Fields.require(missed, "missed");
            connections = Fields.requireElements(connections, "connections");
            departed = departed == null ? List.of() : Fields.requireElements(departed, "departed");
            nacks = nacks == null ? List.of() : Fields.requireElements(nacks, "nacks");
        }

        public Resumed(Long lastSeq, Integer replayed, Integer missed, List<ConnectionInfo> connections,
                       List<Departure> departed, List<Nack> nacks) {
            this(lastSeq, replayed, missed, connections, departed, nacks, null);
        }

        public Resumed(Long lastSeq, Integer replayed, Integer missed, List<ConnectionInfo> connections) {
            this(lastSeq, replayed, missed, connections, List.of(), List.of(), null);
        }
    }

    /** A connection that left, and why; part of {@link Resumed}. */
    record Departure(String connectionId, Reason reason) {
        public Departure {
            Fields.require(connectionId, "connectionId");
            Fields.require(reason, "reason");
        }
    }

    /** The signal with this sequence number was accepted and routed. */
    @JsonTypeName("ack")
    record Ack(Long seq) implements ServerMessage {
        public Ack {
            Fields.requireNonNegative(seq, "seq");
        }
    }

    /**
     * The signal with this sequence number was refused, with an error code from {@link WireError}.
     *
     * @param retryAfterMs for {@link WireError#RATE_LIMITED}: how long to wait before sending again;
     *                     otherwise null
     */
    @JsonTypeName("nack")
    record Nack(Long seq, Integer code, String message, Long retryAfterMs) implements ServerMessage {
        public Nack {
            Fields.requireNonNegative(seq, "seq");
            Fields.require(code, "code");
            message = message == null ? "" : message;
            if (retryAfterMs != null) Fields.requireNonNegative(retryAfterMs, "retryAfterMs");
        }

        public Nack(Long seq, Integer code, String message) {
            this(seq, code, message, null);
        }
    }

    /**
     * A signal for this client.
     *
     * @param from   the sending connection's id, or {@code null} when the server sent it (REST API)
     * @param direct whether it was addressed to this connection alone, rather than to everyone
     * @param time   when the server routed it, epoch milliseconds
     * @param ref    on a cluster, what tells this signal from the others of its sender: the sender's
     *               seq, or a random number for a REST signal; a client drops a signal whose
     *               {@code from} and {@code ref} it has had already (a connection that moved between
     *               nodes may be given one twice). Null on a single node
     */
    @JsonTypeName("signal")
    record Signal(String type, String data, String from, Boolean direct, Long time, Long ref) implements ServerMessage {
        public Signal {
            Fields.require(type, "type");
            Fields.require(data, "data");
            Fields.require(direct, "direct");
            Fields.require(time, "time");
        }

        public Signal(String type, String data, String from, Boolean direct, Long time) {
            this(type, data, from, direct, time, null);
        }
    }

    /** Another connection joined the session. */
    @JsonTypeName("joined")
    record Joined(ConnectionInfo connection) implements ServerMessage {
        public Joined {
            Fields.require(connection, "connection");
        }
    }

    /** Another connection left the session. */
    @JsonTypeName("left")
    record Left(String connectionId, Reason reason) implements ServerMessage {
        public Left {
            Fields.require(connectionId, "connectionId");
            Fields.require(reason, "reason");
        }
    }

    /**
     * A message of the client's could not be handled. A fatal error is followed by a close in the
     * 4000 range; any other leaves the socket open.
     */
    @JsonTypeName("error")
    record Error(Integer code, String message) implements ServerMessage {
        public Error {
            Fields.require(code, "code");
            message = message == null ? "" : message;
        }
    }

    /** The answer to a {@link ClientMessage.Ping}. */
    @JsonTypeName("pong")
    record Pong() implements ServerMessage {}
}
