package io.signalbox.server.redis;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.protocol.Reason;
import java.util.Objects;

/** What one node tells the others about a session, on the session's channel. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(ClusterEvent.Signal.class),
        @JsonSubTypes.Type(ClusterEvent.Joined.class),
        @JsonSubTypes.Type(ClusterEvent.Left.class),
        @JsonSubTypes.Type(ClusterEvent.Kick.class),
        @JsonSubTypes.Type(ClusterEvent.Release.class)
})
public sealed interface ClusterEvent {

    /**
     * A signal routed on the sending node, for the receivers on the others.
     *
     * @param from the sending connection, or null for the REST API
     * @param to   the receiving connection, or null for everyone in the session
     * @param time the sending node's time of routing, epoch milliseconds
     * @param ref  what tells it from its sender's other signals: the sender's seq, or a random number
     *             for a REST signal (see {@code ServerMessage.Signal#ref})
     */
    @JsonTypeName("signal")
    record Signal(String type, String data, String from, String to, long time, long ref) implements ClusterEvent {
        public Signal {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(data, "data");
        }
    }

    /** A connection joined the session on the sending node. */
    @JsonTypeName("joined")
    record Joined(ConnectionInfo connection) implements ClusterEvent {
        public Joined {
            Objects.requireNonNull(connection, "connection");
        }
    }

    /** A connection left the session, and why. */
    @JsonTypeName("left")
    record Left(String connectionId, Reason reason) implements ClusterEvent {
        public Left {
            Objects.requireNonNull(connectionId, "connectionId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A REST call on the sending node force-disconnects a connection; the node that has it acts. */
    @JsonTypeName("kick")
    record Kick(String connectionId) implements ClusterEvent {
        public Kick {
            Objects.requireNonNull(connectionId, "connectionId");
        }
    }

    /**
     * A client resumes on the sending node a connection that another live node has: that node gives it
     * up, so that the sending node can take it over.
     */
    @JsonTypeName("release")
    record Release(String connectionId) implements ClusterEvent {
        public Release {
            Objects.requireNonNull(connectionId, "connectionId");
        }
    }
}
