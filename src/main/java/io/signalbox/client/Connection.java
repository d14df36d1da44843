package io.signalbox.client;

import java.time.Instant;
import java.util.Objects;

/**
 * A participant's connection to a session: this client's own, or another's.
 *
 * <p>A value: two connections are equal when their ids are, whatever else they carry, so a
 * {@code Connection} built from an id alone finds the one the session knows in a set or map.
 */
public final class Connection {
    private final String connectionId;
    private final Instant creationTime;
    private final String data;

    /**
     * @param connectionId the id the server gave the connection
     * @param creationTime when the connection joined, by the server's clock ({@link Instant#EPOCH}
     *                     when unknown)
     * @param data         the connection data from its token; {@code null} is taken as empty
     */
    public Connection(String connectionId, Instant creationTime, String data) {
        this.connectionId = Objects.requireNonNull(connectionId, "connectionId");
        this.creationTime = Objects.requireNonNull(creationTime, "creationTime");
        this.data = data == null ? "" : data;
    }

    /** The id the server gave this connection; unique within the session and stable across reconnections. */
    public String getConnectionId() {
        return connectionId;
    }

    /**
     * When this connection joined the session, by the server's clock. {@link Instant#EPOCH} for a
     * connection the SDK knows only by id (a signal from a connection it was never told about).
     */
    public Instant getCreationTime() {
        return creationTime;
    }

    /** The connection data from the connection's token; empty when the token had none. */
    public String getData() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Connection other && connectionId.equals(other.connectionId);
    }

    @Override
    public int hashCode() {
        return connectionId.hashCode();
    }

    @Override
    public String toString() {
        return "Connection[" + connectionId + ", created " + creationTime
                + (data.isEmpty() ? "" : ", data=" + data) + "]";
    }
}
