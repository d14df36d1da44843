package io.signalbox.client;

import static io.signalbox.client.SessionFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.ServerMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A session given several servers: where connect and each reconnection attempt go. */
class SessionServersTest {
    private static final URI A = URI.create("http://node-a:8080");
    private static final URI B = URI.create("http://node-b:8080");
    private static final URI C = URI.create("http://node-c:8080/signal/");

    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final FakeTransportFactory transports = new FakeTransportFactory();
    private final RecordingListener listener = new RecordingListener();
    private final Session session = Session.builder(List.of(A, B, C), SessionFixture.SESSION_ID)
            .listener(listener)
            .clock(clock)
            .scheduler(scheduler)
            .transportFactory(transports)
            .build();

    /** Moves time until the session makes its next link, and returns it. */
    private FakeTransport nextAttempt() {
        for (int i = 0; i < 200 && transports.noneMade(); i++) scheduler.advance(Duration.ofMillis(50));
        return transports.next();
    }

    private FakeTransport join() {
        CompletableFuture<Void> joined = session.connect("token");
        FakeTransport transport = transports.next().opens();
        transport.takeSent(ClientMessage.Connect.class);
        transport.receives(SessionFixture.connected(0));
        assertThat(joined).succeedsWithin(WAIT);
        listener.assertConnected();
        return transport;
    }

    @Test
    @DisplayName("connect goes to the first server; reconnection tries the lost one, then the next, and resumes there")
    void attemptsGoToTheServersInTurn() {
        FakeTransport first = join();
        assertThat(first.uri()).isEqualTo(URI.create("ws://node-a:8080/ws"));

        first.fails(new IOException("connection reset"));
        listener.assertReconnecting();
        FakeTransport again = nextAttempt();
        assertThat(again.uri()).as("the first attempt retries the lost server").isEqualTo(URI.create("ws://node-a:8080/ws"));
        again.fails(new ConnectException("connection refused"));

        FakeTransport moved = nextAttempt();
        assertThat(moved.uri()).as("the second attempt moves on").isEqualTo(URI.create("ws://node-b:8080/ws"));
        moved.opens();
        ClientMessage.Resume resume = moved.takeSent(ClientMessage.Resume.class);
        assertThat(resume.connectionId()).isEqualTo(SessionFixture.SELF);
        assertThat(resume.resumeToken()).isEqualTo("resume-secret");
        moved.receives(new ServerMessage.Resumed(0L, 0, 0, List.of()));
        listener.assertReconnected();
        assertThat(session.getConnection().getConnectionId()).isEqualTo(SessionFixture.SELF);

        // Lost again: the turn now begins at B, where the session was, and wraps round to A.
        moved.fails(new IOException("connection reset"));
        listener.assertReconnecting();
        FakeTransport atB = nextAttempt();
        assertThat(atB.uri()).isEqualTo(URI.create("ws://node-b:8080/ws"));
        atB.fails(new ConnectException("connection refused"));
        FakeTransport atC = nextAttempt();
        assertThat(atC.uri()).isEqualTo(URI.create("ws://node-c:8080/signal/ws"));
        atC.fails(new ConnectException("connection refused"));
        FakeTransport atA = nextAttempt();
        assertThat(atA.uri()).isEqualTo(URI.create("ws://node-a:8080/ws"));
        atA.opens();
        atA.takeSent(ClientMessage.Resume.class);
        atA.receives(new ServerMessage.Resumed(0L, 0, 0, List.of()));
        listener.assertReconnected();
    }

    @Test
    @DisplayName("a connect after a disconnect starts at the first server again")
    void connectStartsAtTheFirst() {
        FakeTransport first = join();
        first.fails(new IOException("connection reset"));
        listener.assertReconnecting();
        nextAttempt().fails(new ConnectException("connection refused"));
        FakeTransport atB = nextAttempt().opens();
        atB.takeSent(ClientMessage.Resume.class);
        atB.receives(new ServerMessage.Resumed(0L, 0, 0, List.of()));
        listener.assertReconnected();
        assertThat(session.disconnect()).succeedsWithin(WAIT);

        session.connect("token");
        assertThat(transports.next().uri()).isEqualTo(URI.create("ws://node-a:8080/ws"));
    }

    @Test
    @DisplayName("the list of servers must be non-empty, valid, and all http or all https")
    void serversAreChecked() {
        assertThatThrownBy(() -> Session.builder(List.of(), "s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> Session.builder(List.of(A, URI.create("https://node-b")), "s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mix http and https");
        assertThatThrownBy(() -> Session.builder(List.of(A, URI.create("ftp://node-b")), "s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http or https");
    }
}
