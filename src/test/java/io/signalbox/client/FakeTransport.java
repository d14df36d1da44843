package io.signalbox.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.client.internal.Transport;
import io.signalbox.client.internal.TransportListener;
import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ProtocolException;
import io.signalbox.protocol.ServerMessage;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A scripted link: records what the session sends, and lets the test play the server, frame by frame.
 * The test's calls reach the session at once, on the test's thread, as a real transport's would on
 * its own.
 */
final class FakeTransport implements Transport {
    static final Duration WAIT = Duration.ofSeconds(5);

    /** Frames the session sent, in wire order; added by the session's writer, taken by the test. */
    private final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    /** The session's ear; set by open(). */
    private volatile TransportListener listener;
    /** Where the session asked to connect; set by open(). */
    private volatile URI uri;
    /** Whether the session aborted the link; set by abort(). */
    private volatile boolean aborted;
    /** The code the session closed with, or null; set by close(). */
    private volatile Integer closeCode;
    /** Whether a leave is answered at once with a 1000 close, as the server would; set by the test. */
    private volatile boolean closeOnLeave = true;

    @Override
    public void open(URI uri, TransportListener listener) {
        this.uri = uri;
        this.listener = listener;
    }

    @Override
    public void send(String frame) {
        if (aborted || closeCode != null) return;
        sent.add(frame);
        if (closeOnLeave && isLeave(frame)) listener.onClosed(1000, "left");
    }

    /** Answered at once with onClosed, as a server answering the close would. */
    @Override
    public void close(int code, String reason) {
        closeCode = code;
        if (!aborted) listener.onClosed(code, reason);
    }

    private static boolean isLeave(String frame) {
        try {
            return Codec.decodeClient(frame) instanceof ClientMessage.Leave;
        } catch (ProtocolException e) {
            return false;
        }
    }

    @Override
    public void abort() {
        aborted = true;
    }

    // ---- the test's side ----

    URI uri() {
        return uri;
    }

    boolean aborted() {
        return aborted;
    }

    Integer closeCode() {
        return closeCode;
    }

    /** Waits for the session to close the link, and checks the code. */
    void awaitClosedWith(int code) {
        Awaitility.await().atMost(WAIT).until(() -> closeCode != null);
        assertThat(closeCode).as("the close code").isEqualTo(code);
    }

    /** Waits for the session to abort the link. */
    void awaitAborted() {
        Awaitility.await().atMost(WAIT).until(() -> aborted);
    }

    void closeOnLeave(boolean close) {
        closeOnLeave = close;
    }

    /** The link opens. */
    FakeTransport opens() {
        listener.onOpen();
        return this;
    }

    /** The server sends a message. */
    FakeTransport receives(ServerMessage message) {
        listener.onMessage(Codec.encode(message));
        return this;
    }

    /** The server sends a frame as it is. */
    FakeTransport receivesRaw(String frame) {
        listener.onMessage(frame);
        return this;
    }

    /** The server closes the link. */
    void serverCloses(int code, String reason) {
        listener.onClosed(code, reason);
    }

    /** The link breaks. */
    void fails(Throwable failure) {
        listener.onFailure(failure);
    }

    /** The next message the session sent, waiting for it. */
    ClientMessage takeSent() {
        try {
            String frame = sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(frame).as("a frame sent within %s", WAIT).isNotNull();
            return Codec.decodeClient(frame);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ProtocolException e) {
            throw new AssertionError("the session sent an undecodable frame", e);
        }
    }

    /** The next message the session sent, which must be of this kind. */
    <T extends ClientMessage> T takeSent(Class<T> kind) {
        ClientMessage message = takeSent();
        assertThat(message).isInstanceOf(kind);
        return kind.cast(message);
    }

    /** Checks nothing more is sent within a short while (the writer is another thread). */
    void assertNothingSent() {
        try {
            String frame = sent.poll(150, TimeUnit.MILLISECONDS);
            assertThat(frame).as("no frame sent").isNull();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
