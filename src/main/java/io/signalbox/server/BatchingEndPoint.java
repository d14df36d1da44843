package io.signalbox.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A socket that ends the reading thread's {@link WriteBatch} before each read: Jetty reads a WebSocket
 * into a buffer, hands each whole message in it to the handler, and reads again only when the buffer
 * is used up, so that is the moment every message that came in together has been handled.
 */
final class BatchingEndPoint extends SocketChannelEndPoint {
    private final WriteBatch.Threads batches;

    BatchingEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler,
                     WriteBatch.Threads batches) {
        super(channel, selector, key, scheduler);
        this.batches = batches;
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
        // Jetty reads again only once it has handled every message of the last read: a batch holds
        // at most one read's worth of messages.
        batches.flush();
        return super.fill(buffer);
    }
}
