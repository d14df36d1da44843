package io.signalbox.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's TCP connector, with sockets that end the reading thread's {@link WriteBatch} before each
 * read: Jetty reads a WebSocket into a buffer, hands each whole message in it to the handler, and reads
 * again only when the buffer is used up, so that is the moment every message that came in together has
 * been handled. Over TLS the read that matters is of the decrypted stream, which may be served from
 * what was decrypted before without touching the socket: there the batch ends before each read of it.
 */
final class BatchingConnector extends ServerConnector {
    private final WriteBatch.Threads batches;

    private BatchingConnector(Server server, WriteBatch.Threads batches, ConnectionFactory... factories) {
        super(server, factories);
        this.batches = batches;
    }

    /** A plain HTTP connector. */
    static BatchingConnector plain(Server server, WriteBatch.Threads batches, HttpConnectionFactory http) {
        return new BatchingConnector(server, batches, http);
    }

    /** An HTTPS connector: TLS, then HTTP. */
    static BatchingConnector tls(Server server, WriteBatch.Threads batches, SslContextFactory.Server ssl,
                                 HttpConnectionFactory http) {
        return new BatchingConnector(server, batches, new BatchingTls(ssl, http.getProtocol(), batches), http);
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key)
            throws IOException {
        SocketChannelEndPoint endPoint = new BatchingEndPoint(channel, selector, key, getScheduler(), batches);
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }

    /** TLS whose decrypted stream ends the reading thread's batch before each read. */
    private static final class BatchingTls extends SslConnectionFactory {
        private final WriteBatch.Threads batches;

        BatchingTls(SslContextFactory.Server ssl, String next, WriteBatch.Threads batches) {
            super(ssl, next);
            this.batches = batches;
        }

        @Override
        protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
            return new SslConnection(connector.getByteBufferPool(), connector.getExecutor(), getSslContextFactory(),
                    endPoint, engine, isDirectBuffersForEncryption(), isDirectBuffersForDecryption()) {
                @Override
                protected SslEndPoint newSslEndPoint() {
                    return new SslEndPoint() {
                        @Override
                        public int fill(ByteBuffer buffer) throws IOException {
                            batches.flush();
                            return super.fill(buffer);
                        }
                    };
                }
            };
        }
    }

    /**
     * Jetty's thread pool, ending the thread's {@link WriteBatch} when a task ends, should a task have
     * opened one and not read its socket again (an error, a close).
     */
    static final class ThreadPool extends QueuedThreadPool {
        private final WriteBatch.Threads batches;

        ThreadPool(int maxThreads, int minThreads, int idleTimeoutMs, WriteBatch.Threads batches) {
            super(maxThreads, minThreads, idleTimeoutMs);
            this.batches = batches;
        }

        @Override
        protected void runJob(Runnable job) {
            try {
                job.run();
            } finally {
                batches.flush();
            }
        }
    }
}
