package io.signalbox.client.internal;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.core.CloseReasons;
import org.glassfish.tyrus.core.TyrusUpgradeResponse;
import org.glassfish.tyrus.core.Utils;
import org.glassfish.tyrus.spi.ClientContainer;
import org.glassfish.tyrus.spi.ClientEngine;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Connection;
import org.glassfish.tyrus.spi.UpgradeRequest;
import org.glassfish.tyrus.spi.Writer;

/**
 * Tyrus's client links on plain blocking sockets, one virtual thread reading each: Tyrus does the
 * WebSocket protocol, this class only the TCP (and TLS) connection and the HTTP upgrade's bytes.
 *
 * <p>Why not Tyrus's Grizzly container: it keeps its connection to itself until the server answers the
 * upgrade, and a shared one never closes it even when Tyrus's handshake timeout runs out, so a
 * reconnection attempt that gives up could not end its handshake. Here each attempt's socket is in
 * the {@link Attempt} its transport holds, and {@link Attempt#abort()} closes it at any stage.
 *
 * <p>Tyrus makes this class by its name; what it needs per link comes in the endpoint config's user
 * properties under {@link #ATTEMPT}.
 */
public final class SocketContainer implements ClientContainer {
    /** The user property of the endpoint config that holds the link's {@link Attempt}. */
    static final String ATTEMPT = "io.signalbox.attempt";

    /** Bytes asked of the socket per read. */
    private static final int READ_SIZE = 16 * 1024;
    /** The longest upgrade response head read; a server that sends more is not ours. */
    private static final int MAX_RESPONSE_HEAD = 16 * 1024;

    /** For Tyrus, which makes the container by reflection. */
    public SocketContainer() {}

    @Override
    public void openClientSocket(ClientEndpointConfig cec, Map<String, Object> properties, ClientEngine engine)
            throws DeploymentException, IOException {
        Attempt attempt = (Attempt) cec.getUserProperties().get(ATTEMPT);
        if (attempt == null) throw new DeploymentException("no attempt in the endpoint config");
        // Tyrus calls the timeout handler when its handshake timeout runs out: the socket goes with it.
        UpgradeRequest request = engine.createUpgradeRequest(attempt::abort);
        URI uri = URI.create(request.getRequestUri());
        Object timeoutProperty = properties.get(ClientProperties.HANDSHAKE_TIMEOUT);
        int timeout = timeoutProperty instanceof Integer millis ? millis : 30_000;
        boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;

        Socket plain = attempt.attach(new Socket());
        plain.setTcpNoDelay(true);
        plain.connect(new InetSocketAddress(uri.getHost(), port), timeout);
        Socket socket = plain;
        if (secure) {
            SSLSocket tls = (SSLSocket) attempt.trust().sslContext().getSocketFactory()
                    .createSocket(plain, uri.getHost(), port, true);
            if (attempt.trust().checksHostName()) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
            }
            socket = attempt.attach(tls);
            socket.setSoTimeout(timeout);
            tls.startHandshake();
            socket.setSoTimeout(0);
        }
        OutputStream out = socket.getOutputStream();
        out.write(requestHead(request, uri, port, secure));
        out.flush();
        Socket link = socket;
        Thread.ofVirtual().name("signalbox-link-reader").start(() -> read(link, engine, attempt));
    }

    private static byte[] requestHead(UpgradeRequest request, URI uri, int port, boolean secure) {
        StringBuilder head = new StringBuilder(512);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        head.append("GET ").append(path);
        if (uri.getRawQuery() != null) head.append('?').append(uri.getRawQuery());
        head.append(" HTTP/1.1\r\n");
        boolean hasHost = false;
        for (Map.Entry<String, List<String>> header : request.getHeaders().entrySet()) {
            if (header.getKey().equalsIgnoreCase(UpgradeRequest.HOST)) hasHost = true;
            head.append(header.getKey()).append(": ").append(String.join(", ", header.getValue())).append("\r\n");
        }
        if (!hasHost) {
            boolean defaultPort = port == (secure ? 443 : 80);
            head.append("Host: ").append(uri.getHost()).append(defaultPort ? "" : ":" + port).append("\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The link's reader: the upgrade response, then frames for Tyrus until the socket ends. */
    private static void read(Socket socket, ClientEngine engine, Attempt attempt) {
        Connection connection = null;
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream(1024);
            byte[] chunk = new byte[READ_SIZE];
            int headEnd;
            while ((headEnd = headEnd(received)) < 0) {
                int n = in.read(chunk);
                if (n < 0) throw new IOException("the server closed the connection during the WebSocket handshake");
                received.write(chunk, 0, n);
                if (received.size() > MAX_RESPONSE_HEAD) throw new IOException("the upgrade response is too long");
            }
            byte[] bytes = received.toByteArray();
            TyrusUpgradeResponse response = parseHead(new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1));
            if (attempt.isAborted()) return; // abandoned: no session for it, and its socket is closed
            LinkWriter writer = new LinkWriter(socket);
            ClientEngine.ClientUpgradeInfo upgrade = engine.processResponse(response, writer, reason -> writer.close());
            if (upgrade.getUpgradeStatus() != ClientEngine.ClientUpgradeStatus.SUCCESS) {
                // A refusal was reported by processResponse; a redirect or an authentication round is not followed.
                if (upgrade.getUpgradeStatus() == ClientEngine.ClientUpgradeStatus.ANOTHER_UPGRADE_REQUEST_REQUIRED) {
                    engine.processError(new IOException("the server asked for another upgrade request (HTTP "
                            + response.getStatus() + "), which is not followed"));
                }
                writer.close();
                return;
            }
            connection = upgrade.createConnection();
            if (bytes.length > headEnd) connection.getReadHandler().handle(ByteBuffer.wrap(Arrays.copyOfRange(bytes, headEnd, bytes.length)));
            while (true) {
                int n = in.read(chunk);
                if (n < 0) break;
                // A fresh buffer each time: Tyrus keeps an unfinished frame's buffer until the rest comes.
                connection.getReadHandler().handle(ByteBuffer.wrap(Arrays.copyOf(chunk, n)));
            }
        } catch (IOException | RuntimeException e) {
            if (connection == null) {
                attempt.abort();
                // Also after an abort: Tyrus's connectToServer then returns now, not at its handshake timeout.
                engine.processError(e);
                return;
            }
        }
        attempt.abort();
        connection.close(CloseReasons.CLOSED_ABNORMALLY.getCloseReason());
    }

    /** Where the response head ends (after its blank line), or -1 while it has not all arrived. */
    private static int headEnd(ByteArrayOutputStream received) {
        byte[] b = received.toByteArray();
        for (int i = 3; i < b.length; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') return i + 1;
        }
        return -1;
    }

    private static TyrusUpgradeResponse parseHead(String head) throws IOException {
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/")) throw new IOException("not an HTTP response: " + lines[0]);
        TyrusUpgradeResponse response = new TyrusUpgradeResponse();
        try {
            response.setStatus(Integer.parseInt(status[1]));
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP response: " + lines[0], e);
        }
        response.setReasonPhrase(status.length > 2 ? status[2] : "");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) continue;
            String name = lines[i].substring(0, colon).trim();
            List<String> values = Utils.parseHeaderValue(lines[i].substring(colon + 1).trim());
            List<String> known = response.getHeaders().get(name);
            if (known == null) response.getHeaders().put(name, values);
            else known.addAll(values);
        }
        return response;
    }

    /** Writes Tyrus's frames to the socket, one at a time, blocking the caller until they are sent. */
    private static final class LinkWriter extends Writer {
        private final Socket socket;
        private final OutputStream out;

        LinkWriter(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        @Override
        public void write(ByteBuffer buffer, CompletionHandler<ByteBuffer> done) {
            try {
                synchronized (this) {
                    if (buffer.hasArray()) {
                        out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
                    } else {
                        byte[] bytes = new byte[buffer.remaining()];
                        buffer.duplicate().get(bytes);
                        out.write(bytes);
                    }
                    out.flush();
                }
                buffer.position(buffer.limit());
            } catch (IOException e) {
                if (done != null) done.failed(e);
                return;
            }
            if (done != null) done.completed(buffer);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that is wanted; a failure to close leaves nothing to do
            }
        }
    }

    /**
     * One attempt's socket: the transport may abort it at any moment, from before the TCP connection
     * to after the WebSocket opened, and whatever socket the attempt has or gets afterwards is closed.
     */
    static final class Attempt {
        /** Which servers to believe over TLS. */
        private final TlsTrust trust;
        /** The attempt's socket (the TLS one once there is one), or null before; guarded by {@code this}. */
        private Socket socket;
        /** Set once by abort(): by the transport, Tyrus's handshake timeout or the link's end; guarded by {@code this}. */
        private boolean aborted;

        Attempt(TlsTrust trust) {
            this.trust = trust;
        }

        TlsTrust trust() {
            return trust;
        }

        /** Makes {@code s} the attempt's socket; closes it at once when the attempt was aborted. */
        synchronized Socket attach(Socket s) throws IOException {
            if (aborted) {
                s.close();
                throw new IOException("the link was aborted");
            }
            socket = s;
            return s;
        }

        /** Gives up on the attempt: its socket is closed, whatever stage it is at, and any later one at once. */
        void abort() {
            Socket s;
            synchronized (this) {
                aborted = true;
                s = socket;
            }
            if (s == null) return;
            try {
                s.close();
            } catch (IOException ignored) {
                // the socket is unusable either way
            }
        }

        synchronized boolean isAborted() {
            return aborted;
        }
    }
}
