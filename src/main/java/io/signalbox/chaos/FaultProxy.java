package io.signalbox.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay on loopback between clients and a server that breaks links on demand: reset them, close
 * them, black-hole their bytes one way or both, refuse new ones. Tests and the {@code chaos} command put
 * it between the SDK and a real server to cause the faults a real network does.
 *
 * <p>Each link is two sockets and two virtual threads copying bytes, one each way.
 */
public final class FaultProxy implements AutoCloseable {
    /** Which way bytes flow, for faults that affect one way only. */
    public enum Direction { TO_SERVER, TO_CLIENT, BOTH }

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    /** Where links go; changed by {@link #target(int)}, read by the accept loop. */
    private volatile int targetPort;
    /** While true, new links are cut as soon as they are accepted; set by tests. */
    private volatile boolean refusing;
    /** Set once by close(). */
    private volatile boolean closed;

    private FaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        // A backlog for a thousand clients reconnecting at once, as in a reconnection storm.
        this.listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** Starts a proxy on a free loopback port, relaying to {@code 127.0.0.1:targetPort}. */
    public static FaultProxy start(int targetPort) throws IOException {
        return new FaultProxy(targetPort);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The proxy as a server base URL, for the SDK. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Sends new links to another port, as when a server restarts elsewhere. */
    public void target(int port) {
        targetPort = port;
    }

    /** How many links are open now. */
    public int linkCount() {
        return links.size();
    }

    /** Cuts every link abruptly, with a TCP reset to both ends: a network failure. */
    public void resetAll() {
        for (Link link : links) link.reset();
    }

    /** Closes every link cleanly (FIN to both ends), without any WebSocket close. */
    public void closeAll() {
        for (Link link : links) link.closeQuietly();
    }

    /** From now on, bytes of every open link going {@code direction} are read and thrown away. */
    public void blackHole(Direction direction) {
        for (Link link : links) link.blackHole(direction);
    }

    /** While refusing, a new link is reset as soon as it is accepted: the server seems unreachable. */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            if (refusing) {
                resetQuietly(client);
                continue;
            }
            threads.execute(() -> open(client));
        }
    }

    private void open(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
        } catch (IOException e) {
            resetQuietly(client);
            closeQuietly(server);
            return;
        }
        Link link = new Link(client, server);
        links.add(link);
        if (closed) {
            link.reset();
            return;
        }
        threads.execute(() -> link.pump(client, server, Direction.TO_SERVER));
        threads.execute(() -> link.pump(server, client, Direction.TO_CLIENT));
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        resetAll();
        threads.shutdownNow();
    }

    /** One client's link: its socket and the one to the server. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        /** Black-holed directions; set by the test thread, read by the pumps. */
        private volatile boolean dropToServer;
        private volatile boolean dropToClient;
        /** How many of the two pumps have finished; the second one closes the link. */
        private final java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to, Direction direction) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    boolean drop = direction == Direction.TO_SERVER ? dropToServer : dropToClient;
                    if (drop) continue;
                    out.write(buffer, 0, n);
                    out.flush();
                }
                // One side closed: pass the close on, like a relay that is not there.
                to.shutdownOutput();
                if (finished.incrementAndGet() == 2) closeQuietly();
            } catch (IOException e) {
                reset();
            }
        }

        void blackHole(Direction direction) {
            if (direction != Direction.TO_CLIENT) dropToServer = true;
            if (direction != Direction.TO_SERVER) dropToClient = true;
        }

        void reset() {
            links.remove(this);
            resetQuietly(client);
            resetQuietly(server);
        }

        void closeQuietly() {
            links.remove(this);
            FaultProxy.closeQuietly(client);
            FaultProxy.closeQuietly(server);
        }
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // Already closed: nothing to reset.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing what may already be closed.
        }
    }
}
