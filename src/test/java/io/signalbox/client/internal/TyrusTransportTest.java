package io.signalbox.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The production transport against a plain TCP server that plays the WebSocket server's part as far
 * as each test needs: what it does with its socket when the session gives up on a handshake.
 */
class TyrusTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ScheduledExecutorService scheduler;
    private ServerSocket server;

    @BeforeEach
    void setUp() throws IOException {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void tearDown() throws IOException {
        server.close();
        scheduler.shutdownNow();
    }

    private Transport transport() {
        return TyrusTransport.factory(Duration.ofSeconds(30), scheduler, TlsTrust.systemDefault()).create();
    }

    private URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws");
    }

    @Test
    @DisplayName("aborting while the server has not answered the upgrade closes the TCP connection at once, and nothing more is heard")
    void abortDuringHandshake() throws Exception {
        Transport transport = transport();
        Recorder heard = new Recorder();
        transport.open(uri(), heard);
        try (Socket accepted = server.accept()) {
            InputStream in = accepted.getInputStream();
            String request = readHead(in);
            assertThat(request).startsWith("GET /ws HTTP/1.1").containsIgnoringCase("upgrade: websocket");

            transport.abort();

            AtomicBoolean closed = watchForEnd(in);
            await().atMost(WAIT).untilTrue(closed);
        }
        Thread.sleep(200);
        assertThat(heard.events).isEmpty();
    }

    @Test
    @DisplayName("an upgrade answered after the abort opens nothing: no onOpen, and the socket is closed")
    void answerAfterAbort() throws Exception {
        Transport transport = transport();
        Recorder heard = new Recorder();
        transport.open(uri(), heard);
        try (Socket accepted = server.accept()) {
            InputStream in = accepted.getInputStream();
            String request = readHead(in);
            transport.abort();
            try {
                OutputStream out = accepted.getOutputStream();
                out.write(switchingProtocols(request));
                out.flush();
            } catch (IOException alreadyClosed) {
                // the client closed first, as it should
            }
            AtomicBoolean closed = watchForEnd(in);
            await().atMost(WAIT).untilTrue(closed);
        }
        Thread.sleep(200);
        assertThat(heard.events).isEmpty();
    }

    @Test
    @DisplayName("an upgrade answered in time opens the link, frames go both ways, and abort closes the socket")
    void openThenAbort() throws Exception {
        Transport transport = transport();
        Recorder heard = new Recorder();
        transport.open(uri(), heard);
        try (Socket accepted = server.accept()) {
            InputStream in = accepted.getInputStream();
            OutputStream out = accepted.getOutputStream();
            out.write(switchingProtocols(readHead(in)));
            // A text frame from the server (unmasked) in the same write as nothing else: "hi".
            out.write(new byte[] {(byte) 0x81, 2, 'h', 'i'});
            out.flush();
            await().atMost(WAIT).until(() -> heard.events.size() >= 2);
            assertThat(heard.events).containsExactly("open", "message hi");

            transport.abort();
            AtomicBoolean closed = watchForEnd(in);
            await().atMost(WAIT).untilTrue(closed);
        }
        Thread.sleep(200);
        assertThat(heard.events).containsExactly("open", "message hi");
    }

    @Test
    @DisplayName("a server that closes during the handshake is reported once as a failure")
    void closedDuringHandshake() throws Exception {
        Transport transport = transport();
        Recorder heard = new Recorder();
        transport.open(uri(), heard);
        try (Socket accepted = server.accept()) {
            readHead(accepted.getInputStream());
        }
        await().atMost(WAIT).until(() -> !heard.events.isEmpty());
        Thread.sleep(200);
        assertThat(heard.events).hasSize(1);
        assertThat(heard.events.getFirst()).startsWith("failure");
    }

    /** Reads an HTTP head up to its blank line. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("ended within the head: " + head);
            head.append((char) b);
        }
        return head.toString();
    }

    private static byte[] switchingProtocols(String request) throws Exception {
        Matcher key = Pattern.compile("(?i)sec-websocket-key: *(\\S+)").matcher(request);
        assertThat(key.find()).isTrue();
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(
                (key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(digest) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the client's side of the connection until it ends (end of stream or a reset). */
    private static AtomicBoolean watchForEnd(InputStream in) {
        AtomicBoolean ended = new AtomicBoolean();
        Thread.ofVirtual().start(() -> {
            try {
                while (in.read() >= 0) {
                    // frames the client sent before it closed do not matter here
                }
            } catch (IOException reset) {
                // a reset ends the connection as well
            }
            ended.set(true);
        });
        return ended;
    }

    /** Records what the transport reports, in order. */
    private static final class Recorder implements TransportListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onOpen() {
            events.add("open");
        }

        @Override
        public void onMessage(String frame) {
            events.add("message " + frame);
        }

        @Override
        public void onClosed(int code, String reason) {
            events.add("closed " + code);
        }

        @Override
        public void onFailure(Throwable failure) {
            events.add("failure " + failure);
        }
    }
}
