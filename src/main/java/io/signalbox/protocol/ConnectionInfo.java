package io.signalbox.protocol;

/**
 * A connection as the wire describes it.
 *
 * @param id        the connection id, a UUID
 * @param createdAt when it joined, in epoch milliseconds of the server's clock
 * @param data      the connection data from its token, possibly empty
 */
public record ConnectionInfo(String id, long createdAt, String data) {
    public ConnectionInfo {
        Fields.require(id, "id");
        data = data == null ? "" : data;
    }
}
