package io.signalbox.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SessionListener} that records every call, for tests to assert on one at a time, in order
 * (after OkHttp's {@code WebSocketRecorder}).
 *
 * <pre>{@code
 * RecordingListener listener = new RecordingListener();
 * Session session = Session.builder(uri, sessionId).listener(listener).build();
 * session.connect(token).join();
 * listener.assertConnected();
 * listener.assertConnectionCreated(otherId);
 * listener.assertSignal("chat", "hello", otherId);
 * listener.assertExhausted();
 * }</pre>
 *
 * <p>Each {@code assert*} takes the next event, waiting up to the timeout for it, and fails when it is
 * not the one expected. Besides the events themselves it checks the SDK's threading promise: every
 * call on the session's event thread, and never two calls at once; a breach fails the next assert.
 * {@link #mark} puts a marker of the test's own among the events, to check what happened before what
 * (say, a future's completion).
 *
 * <p>The details of a reconnection ({@link ReconnectAttempt}, {@link Resumed}, {@link SignalsMissed},
 * {@link QueueChanged}) are kept in the {@linkplain #heard history} only, so that tests which do not
 * care about them need not step over them; {@link #sequence} puts chosen kinds among the events the
 * asserts take in order too.
 */
public final class RecordingListener implements SessionListener {
    /** The name of the thread the SDK calls its listener on. */
    public static final String EVENT_THREAD = "signalbox-session-events";

    /** What the listener heard. */
    public sealed interface Event {}

    public record Connected(Session session) implements Event {}

    public record Disconnected(Session session, DisconnectReason reason) implements Event {}

    public record ConnectionCreated(Session session, Connection connection) implements Event {}

    public record ConnectionDestroyed(Session session, Connection connection, DisconnectReason reason)
            implements Event {}

    public record SignalReceived(Session session, Signal signal) implements Event {}

    public record Reconnecting(Session session) implements Event {}

    public record Reconnected(Session session) implements Event {}

    public record ErrorReported(Session session, SignalingException exception) implements Event {}

    /** A reconnection attempt was scheduled; {@code heardAt} is when the listener was called. */
    public record ReconnectAttempt(Session session, int attempt, Instant nextAttemptAt, Instant heardAt)
            implements Event {}

    public record Resumed(Session session, Resumption resumption) implements Event {}

    public record SignalsMissed(Session session, int count) implements Event {}

    public record QueueChanged(Session session, List<QueuedSignal> queued) implements Event {}

    /** A marker the test put in with {@link #mark}. */
    public record Mark(String name) implements Event {}

    private final Duration timeout;
    /** Events not yet taken by an assert, oldest first; added by the SDK's calls and {@link #mark}. */
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    /** Every call of the SDK's, oldest first, whether asserted or not; added by the SDK's calls. */
    private final List<Event> history = new CopyOnWriteArrayList<>();
    /** Kinds kept in the history only, not among the events to assert; narrowed by {@link #sequence}. */
    private final Set<Class<? extends Event>> historyOnly = ConcurrentHashMap.newKeySet();
    /** Breaches of the threading promise seen so far; added by the SDK's calls. */
    private final List<String> breaches = new CopyOnWriteArrayList<>();
    /** How many calls are running right now; more than one is a breach. */
    private final AtomicInteger running = new AtomicInteger();

    /** A recorder whose asserts wait up to 5 seconds for each event. */
    public RecordingListener() {
        this(Duration.ofSeconds(5));
    }

    /** A recorder whose asserts wait up to {@code timeout} for each event. */
    public RecordingListener(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        historyOnly.addAll(List.of(ReconnectAttempt.class, Resumed.class, SignalsMissed.class, QueueChanged.class));
    }

    /**
     * Puts these kinds of event among the ones the asserts take in order, besides the history. Call it
     * before the session can hear them.
     */
    @SafeVarargs
    public final RecordingListener sequence(Class<? extends Event>... kinds) {
        historyOnly.removeAll(List.of(kinds));
        return this;
    }

    // ---- the listener ----

    @Override
    public void onConnected(Session session) {
        record(new Connected(session));
    }

    @Override
    public void onDisconnected(Session session, DisconnectReason reason) {
        record(new Disconnected(session, reason));
    }

    @Override
    public void onConnectionCreated(Session session, Connection connection) {
        record(new ConnectionCreated(session, connection));
    }

    @Override
    public void onConnectionDestroyed(Session session, Connection connection, DisconnectReason reason) {
        record(new ConnectionDestroyed(session, connection, reason));
    }

    @Override
    public void onSignal(Session session, Signal signal) {
        record(new SignalReceived(session, signal));
    }

    @Override
    public void onReconnecting(Session session) {
        record(new Reconnecting(session));
    }

    @Override
    public void onReconnected(Session session) {
        record(new Reconnected(session));
    }

    @Override
    public void onError(Session session, SignalingException exception) {
        record(new ErrorReported(session, exception));
    }

    @Override
    public void onReconnectAttempt(Session session, int attempt, Instant nextAttemptAt) {
        record(new ReconnectAttempt(session, attempt, nextAttemptAt, Instant.now()));
    }

    @Override
    public void onResumed(Session session, Resumption resumption) {
        record(new Resumed(session, resumption));
    }

    @Override
    public void onSignalsMissed(Session session, int count) {
        record(new SignalsMissed(session, count));
    }

    @Override
    public void onQueueChanged(Session session, List<QueuedSignal> queued) {
        record(new QueueChanged(session, List.copyOf(queued)));
    }

    private void record(Event event) {
        if (running.incrementAndGet() > 1) breaches.add("two listener calls at once, one of them " + event);
        try {
            String thread = Thread.currentThread().getName();
            if (!thread.equals(EVENT_THREAD)) breaches.add(event + " was called on thread '" + thread + "'");
            history.add(event);
            if (!historyOnly.contains(event.getClass())) events.add(event);
        } finally {
            running.decrementAndGet();
        }
    }

    // ---- the test's side ----

    /** Puts a marker among the events, from any thread. */
    public void mark(String name) {
        events.add(new Mark(name));
    }

    /** The next event, waiting up to the timeout for it. */
    public Event nextEvent() {
        assertNoBreaches();
        Event event;
        try {
            event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (event == null) throw new AssertionError("no event within " + timeout);
        assertNoBreaches();
        return event;
    }

    /** The next event, which must be of this kind. */
    public <T extends Event> T next(Class<T> kind) {
        Event event = nextEvent();
        assertThat(event).as("the next event").isInstanceOf(kind);
        return kind.cast(event);
    }

    public void assertConnected() {
        next(Connected.class);
    }

    public void assertDisconnected(DisconnectReason reason) {
        assertThat(next(Disconnected.class).reason()).as("the reason of onDisconnected").isEqualTo(reason);
    }

    /** Asserts the next event is the creation of this connection, and returns it. */
    public Connection assertConnectionCreated(String connectionId) {
        Connection connection = next(ConnectionCreated.class).connection();
        assertThat(connection.getConnectionId()).as("the created connection's id").isEqualTo(connectionId);
        return connection;
    }

    /** Asserts the next event is the end of this connection, for this reason, and returns it. */
    public Connection assertConnectionDestroyed(String connectionId, DisconnectReason reason) {
        ConnectionDestroyed destroyed = next(ConnectionDestroyed.class);
        assertThat(destroyed.connection().getConnectionId()).as("the destroyed connection's id").isEqualTo(connectionId);
        assertThat(destroyed.reason()).as("the reason of onConnectionDestroyed").isEqualTo(reason);
        return destroyed.connection();
    }

    /**
     * Asserts the next event is this signal, and returns it.
     *
     * @param fromId the sender's connection id, or {@code null} for a signal the server sent
     */
    public Signal assertSignal(String type, String data, String fromId) {
        Signal signal = next(SignalReceived.class).signal();
        assertThat(signal.type()).as("the signal's type").isEqualTo(type);
        assertThat(signal.data()).as("the signal's data").isEqualTo(data);
        if (fromId == null) {
            assertThat(signal.from()).as("the signal's sender").isNull();
        } else {
            assertThat(signal.from()).as("the signal's sender").isNotNull();
            assertThat(signal.from().getConnectionId()).as("the signal's sender").isEqualTo(fromId);
        }
        return signal;
    }

    public void assertReconnecting() {
        next(Reconnecting.class);
    }

    public void assertReconnected() {
        next(Reconnected.class);
    }

    /** Asserts the next event is an error with this code, and returns its exception. */
    public SignalingException assertError(ErrorCode code) {
        SignalingException exception = next(ErrorReported.class).exception();
        assertThat(exception.code()).as("the error's code (%s)", exception.getMessage()).isEqualTo(code);
        return exception;
    }

    /** Asserts the next event is {@code onResumed} (see {@link #sequence}), and returns what it reported. */
    public Resumption assertResumed() {
        return next(Resumed.class).resumption();
    }

    /** Asserts the next event is {@code onSignalsMissed} with this count (see {@link #sequence}). */
    public void assertSignalsMissed(int count) {
        assertThat(next(SignalsMissed.class).count()).as("the count of onSignalsMissed").isEqualTo(count);
    }

    /** Every call of this kind heard so far, asserted or not, oldest first. */
    public <T extends Event> List<T> heard(Class<T> kind) {
        return history.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** Every call heard so far, asserted or not, oldest first. */
    public List<Event> history() {
        return List.copyOf(history);
    }

    public void assertMark(String name) {
        assertThat(next(Mark.class).name()).as("the mark").isEqualTo(name);
    }

    /** Asserts no event is waiting now. Events still on their way are not waited for. */
    public void assertExhausted() {
        assertNoBreaches();
        assertThat(events).as("events not asserted").isEmpty();
    }

    /** Asserts no event arrives within {@code quiet}. */
    public void assertExhausted(Duration quiet) {
        Event event;
        try {
            event = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(event).as("an event not asserted").isNull();
        assertExhausted();
    }

    private void assertNoBreaches() {
        assertThat(breaches).as("breaches of the listener's threading promise").isEmpty();
    }
}
