package io.signalbox.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.protocol.ServerMessage;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A session on fake time and a fake link: the test plays the server through {@link #transport}, moves
 * time with {@link #scheduler}, and hears the session through {@link #listener}.
 */
final class SessionFixture {
    static final String SESSION_ID = "2_MX40NjExMjIzM35-fake-session";
    static final URI SERVER = URI.create("http://127.0.0.1:8080");
    static final String SELF = "me";
    static final long CREATED_AT = 1_767_225_600_000L;
    static final Duration WAIT = Duration.ofSeconds(5);

    final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final FakeTransportFactory transports = new FakeTransportFactory();
    final RecordingListener listener = new RecordingListener();
    final Session session = Session.builder(SERVER, SESSION_ID)
            .listener(listener)
            .clock(clock)
            .scheduler(scheduler)
            .transportFactory(transports)
            .build();
    /** The link of the last join; set by {@link #join}. */
    FakeTransport transport;

    static ConnectionInfo info(String id) {
        return new ConnectionInfo(id, CREATED_AT, "data of " + id);
    }

    static ServerMessage.Connected connected(long heartbeatMs, String... others) {
        List<ConnectionInfo> infos = Arrays.stream(others).map(SessionFixture::info).toList();
        return new ServerMessage.Connected(1, info(SELF), infos, "resume-secret", 60_000L, heartbeatMs, CREATED_AT);
    }

    /** Joins with no heartbeat, the others already in the session, and takes the join's events. */
    FakeTransport join(String... others) {
        return join(0, others);
    }

    /** Joins, the others already in the session, and takes the join's events. */
    FakeTransport join(long heartbeatMs, String... others) {
        CompletableFuture<Void> joined = session.connect("token");
        transport = transports.next();
        transport.opens();
        transport.takeSent(ClientMessage.Connect.class);
        transport.receives(connected(heartbeatMs, others));
        assertThat(joined).succeedsWithin(WAIT);
        listener.assertConnected();
        for (String other : others) listener.assertConnectionCreated(other);
        return transport;
    }

    /** Waits for a future to fail with a {@link SignalingException}, and returns it. */
    static SignalingException failure(CompletableFuture<?> future) {
        Throwable cause;
        try {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("the future succeeded; expected it to fail");
        } catch (ExecutionException e) {
            cause = e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the future is still pending after " + WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(cause).isInstanceOf(SignalingException.class);
        return (SignalingException) cause;
    }

    /** Waits for a future to fail with a {@link SignalingException} of this code, and returns it. */
    static SignalingException failure(CompletableFuture<?> future, ErrorCode code) {
        SignalingException exception = failure(future);
        assertThat(exception.code()).as("the failure's code (%s)", exception.getMessage()).isEqualTo(code);
        return exception;
    }

    /** A future that already failed (not one that will), with this code. */
    static SignalingException failedAtOnce(CompletableFuture<?> future, ErrorCode code) {
        assertThat(future).as("failed at once").isCompletedExceptionally();
        return failure(future, code);
    }
}
