package io.signalbox.server;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's TCP connector, with sockets that end a thread's {@link WriteBatch} when a read finds them
 * empty ({@link BatchingEndPoint}).
 */
final class BatchingConnector extends ServerConnector {
    BatchingConnector(Server server, ConnectionFactory... factories) {
        super(server, factories);
    }

    BatchingConnector(Server server, SslContextFactory.Server ssl, ConnectionFactory... factories) {
        super(server, ssl, factories);
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key)
            throws IOException {
        SocketChannelEndPoint endPoint = new BatchingEndPoint(channel, selector, key, getScheduler());
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }

    /**
     * Jetty's thread pool, ending the thread's {@link WriteBatch} when a task ends, should a task have
     * opened one and not read its socket empty (an error, a close): held frames never wait for a
     * thread's next task.
     */
    static final class ThreadPool extends QueuedThreadPool {
        ThreadPool(int maxThreads, int minThreads, int idleTimeoutMs) {
            super(maxThreads, minThreads, idleTimeoutMs);
        }

        @Override
        protected void runJob(Runnable job) {
            try {
                job.run();
            } finally {
                WriteBatch.flush();
            }
        }
    }
}
