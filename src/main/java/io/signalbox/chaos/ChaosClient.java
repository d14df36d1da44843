package io.signalbox.chaos;

import io.signalbox.client.Connection;
import io.signalbox.client.DisconnectReason;
import io.signalbox.client.Resumption;
import io.signalbox.client.Session;
import io.signalbox.client.SessionListener;
import io.signalbox.client.Signal;
import io.signalbox.client.SignalOptions;
import io.signalbox.client.SignalingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * One client of a chaos run: a {@link Session} that reaches each server through a {@link FaultProxy}
 * of its own (one server, or each node of a cluster), the sends it made, the signals it received, and
 * what its listener heard of reconnections and of the other connections.
 *
 * <p>Sends are made one at a time: {@link #sendOne} by the run's driver thread, then {@link #sendLast}
 * by the run's own thread once the driver has stopped sending (the run waits for that, which orders
 * the two). The listener methods run on the session's event thread. The run reads the records once
 * both stopped; the lists are locked anyway, so that a late event cannot break a read.
 */
final class ChaosClient implements SessionListener {
    /** The type of the last signal each client sends to everyone, once sending stopped. */
    static final String LAST = "last";
    /** How many errors are kept in words; the count covers all of them. */
    private static final int MAX_ERRORS = 10;
    private static final SignalOptions RETRY = SignalOptions.builder().retryAfterReconnect(true).build();
    private static final SignalOptions NO_RETRY = SignalOptions.builder().retryAfterReconnect(false).build();

    final int index;
    /** This client's proxy to each server, by the server's number from 0. */
    private final List<FaultProxy> proxies;
    private final Session session;
    /** Chooses what each send is like; used by the driver thread only. */
    private final RandomGenerator random;
    /** The connections of this client's session by client index from {@link #firstPeer}, this one's included; set once by {@link #peers}. */
    private volatile List<Connection> peers = List.of();
    /** The client index of the first of {@link #peers}; set with them. */
    private volatile int firstPeer;
    /** The connection ids reported joined, each as often as reported; guarded by {@link #membership}. */
    private final List<String> joined = new ArrayList<>();
    /** The leaves reported and the joins of a connection reported joined before, in words; guarded by itself. */
    private final List<String> membership = new ArrayList<>();
    /** Every reconnection completed, in order; guarded by itself. */
    private final List<Outage> outages = new ArrayList<>();
    /** The counter of the latest send; by the thread sending (see the class comment). */
    private long counter;
    /** Every send, in the order made; guarded by itself. */
    private final List<Sent> sends = new ArrayList<>();
    /** Every signal received, in the order received; guarded by itself. */
    private final List<Received> inbox = new ArrayList<>();
    /** The clients whose last signal this one received; added to by the event thread. */
    private final Set<Integer> lastFrom = ConcurrentHashMap.newKeySet();

    /** Whether the link is up: set by onConnected and onReconnected, cleared by onReconnecting and onDisconnected. */
    private volatile boolean linked;
    /** Whether the session left for good without being asked to; set once by onDisconnected. */
    private volatile boolean gone;
    /** Why the session left for good unasked, in words; set with {@code gone}. */
    private volatile String goneWhy;
    /** When the link was last restored (or first made), by {@link System#nanoTime}; set with {@code linked}. */
    private volatile long linkedSince;
    /** How many reconnections must have begun before the link counts as up again; written by the driver thread. */
    private volatile int reconnectionsAwaited;
    /** Whether the driver is breaking this link now (a black hole before its reset); driver thread only writes. */
    private volatile boolean held;
    /** When the current reconnection began, by {@link System#nanoTime}; event thread only. */
    private long reconnectingSince;
    /** When the latest reconnection completed, until onResumed records it with what it did; event thread only. */
    private long reconnectedAt;
    /** The server the latest reconnection went to (-1: the proxies did not tell), until onResumed records it; event thread only. */
    private int reconnectedTo = -1;
    /** Whether a reconnection is under way; event thread only. */
    private boolean reconnecting;
    /** How long each reconnection took, from onReconnecting to onReconnected; guarded by itself. */
    private final List<Duration> reconnectTimes = new ArrayList<>();
    /** Counts of what the listener heard; raised by the event thread. */
    private final AtomicInteger reconnections = new AtomicInteger();
    private final AtomicLong missed = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong queuedSent = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    /** The first errors reported through onError, in words; guarded by itself. */
    private final List<String> errors = new ArrayList<>();
    /** How many errors were reported through onError; raised by the event thread. */
    private final AtomicLong errorCount = new AtomicLong();

    /**
     * @param index   this client's index in the run, from 0
     * @param proxies this client's own proxy to each server, by the server's number from 0
     * @param random  the source of this client's choices of what to send
     * @param session makes the session, given this client as its listener
     */
    ChaosClient(int index, List<FaultProxy> proxies, RandomGenerator random, Function<SessionListener, Session> session) {
        this.index = index;
        this.proxies = List.copyOf(proxies);
        if (this.proxies.isEmpty()) throw new IllegalArgumentException("a chaos client needs a proxy");
        this.random = Objects.requireNonNull(random, "random");
        this.session = session.apply(this);
    }

    Session session() {
        return session;
    }

    /**
     * Tells this client the connections of its session, once all have joined: those of the clients
     * {@code first} to {@code first + members.size() - 1}, this one among them.
     */
    void peers(int first, List<Connection> members) {
        if (index < first || index >= first + members.size()) {
            throw new IllegalArgumentException("c" + index + " is not among c" + first + " to c" + (first + members.size() - 1));
        }
        this.firstPeer = first;
        this.peers = List.copyOf(members);
    }

    /**
     * Sends one signal: to everyone or to a random other client of its session, with retry after
     * reconnect or without, each chosen at random.
     */
    void sendOne() {
        List<Connection> members = peers;
        int first = firstPeer;
        SignalTag tag = new SignalTag(index, ++counter, random.nextBoolean());
        SignalOptions options = tag.retry() ? RETRY : NO_RETRY;
        if (members.size() < 2 || random.nextBoolean()) {
            record(tag, SendRecord.EVERYONE, () -> session.sendSignal("all", tag.data(), options));
        } else {
            int target = first + random.nextInt(members.size() - 1);
            if (target >= index) target++;
            Connection to = members.get(target - first);
            record(tag, target, () -> session.sendSignalToConnection("one", tag.data(), to, options));
        }
    }

    /**
     * Sends the last signal, to everyone with retry: receiving it tells a client it has had every
     * signal of this one that it will get, since a sender's signals arrive in order.
     */
    void sendLast() {
        SignalTag tag = new SignalTag(index, ++counter, true);
        record(tag, SendRecord.EVERYONE, () -> session.sendSignal(LAST, tag.data(), RETRY));
    }

    private void record(SignalTag tag, int target, Supplier<CompletableFuture<Void>> send) {
        long sentAt = System.nanoTime();
        CompletableFuture<Void> future;
        try {
            future = send.get();
        } catch (RuntimeException e) {
            // The SDK promises sends never throw; keep the breach as a failed send, for the report.
            future = CompletableFuture.failedFuture(e);
        }
        synchronized (sends) {
            sends.add(new Sent(tag, target, future, sentAt, SendRecord.settling(future)));
        }
    }

    /** The futures of every send so far. */
    List<CompletableFuture<Void>> futures() {
        synchronized (sends) {
            return sends.stream().map(Sent::future).toList();
        }
    }

    /** Every send with its outcome as of now. */
    List<SendRecord> outcomes() {
        synchronized (sends) {
            return sends.stream().map(s -> SendRecord.of(s.tag(), s.target(), s.future(), s.sentAt(), s.settled())).toList();
        }
    }

    /** What this client received so far, in order. */
    List<Received> inbox() {
        synchronized (inbox) {
            return List.copyOf(inbox);
        }
    }

    /** Whether this client received the last signal of each of these senders (clients, or REST streams). */
    boolean heardLastFrom(Collection<Integer> senders) {
        return lastFrom.containsAll(senders);
    }

    /** Whether the link is up, the driver is not breaking it, and the last drop's reconnection was heard of. */
    boolean settled() {
        return linked && !held && reconnections.get() >= reconnectionsAwaited;
    }

    /**
     * Whether the driver may break this client's link: the reconnection after its last drop has been
     * heard of, and the link has been up for at least {@code uptime} since. Counting reconnections
     * keeps the driver from taking the link for up in the moment between a drop and the listener
     * hearing of it (the event thread may lag), when the proxy's only link is the handshake of the
     * next attempt.
     */
    boolean mayDrop(Duration uptime) {
        return linked && reconnections.get() >= reconnectionsAwaited
                && System.nanoTime() - linkedSince >= uptime.toNanos();
    }

    /** The driver broke this client's link: it may break it again once the client reconnected. */
    void dropped() {
        reconnectionsAwaited = reconnections.get() + 1;
    }

    /** Whether the session ended without being asked to. */
    boolean gone() {
        return gone;
    }

    /** Why the session ended unasked, or null. */
    String goneWhy() {
        return goneWhy;
    }

    void held(boolean held) {
        this.held = held;
    }

    boolean held() {
        return held;
    }

    // ---- the links, through the proxies ----

    /** How many links this client's proxies hold now, over all servers. */
    int linkCount() {
        int links = 0;
        for (FaultProxy proxy : proxies) links += proxy.linkCount();
        return links;
    }

    /**
     * The server (by number from 0) this client is linked to now: the one whose proxy holds a link;
     * -1 when none does, or more than one (a lost link not yet closed beside the new one).
     */
    int server() {
        int server = -1;
        for (int i = 0; i < proxies.size(); i++) {
            if (proxies.get(i).linkCount() == 0) continue;
            if (server >= 0) return -1;
            server = i;
        }
        return server;
    }

    /** Resets every link of this client, on every proxy: a network failure. */
    void resetLinks() {
        for (FaultProxy proxy : proxies) proxy.resetAll();
    }

    /** Closes every link of this client cleanly, without any WebSocket close. */
    void closeLinks() {
        for (FaultProxy proxy : proxies) proxy.closeAll();
    }

    /** Throws away the bytes of every open link of this client going {@code direction}, until they are reset. */
    void blackHole(FaultProxy.Direction direction) {
        for (FaultProxy proxy : proxies) proxy.blackHole(direction);
    }

    /** Closes this client's proxies, once the run is over. */
    void closeProxies() {
        for (FaultProxy proxy : proxies) proxy.close();
    }

    /**
     * What this client heard of the others beyond their first join: every leave, and every join of a
     * connection it had been told of already, in words. While no one leaves for good, this stays empty.
     */
    List<String> membership() {
        synchronized (membership) {
            return List.copyOf(membership);
        }
    }

    /** Every reconnection this client completed, in order. */
    List<Outage> outages() {
        synchronized (outages) {
            return List.copyOf(outages);
        }
    }

    List<Duration> reconnectTimes() {
        synchronized (reconnectTimes) {
            return List.copyOf(reconnectTimes);
        }
    }

    int reconnections() {
        return reconnections.get();
    }

    long missed() {
        return missed.get();
    }

    long resent() {
        return resent.get();
    }

    long queuedSent() {
        return queuedSent.get();
    }

    long replayed() {
        return replayed.get();
    }

    /** The first errors the SDK reported through onError, in words. */
    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** How many errors the SDK reported through onError. */
    long errorCount() {
        return errorCount.get();
    }

    // ---- the listener, on the session's event thread ----

    @Override
    public void onConnected(Session session) {
        linkedSince = System.nanoTime();
        linked = true;
    }

    @Override
    public void onSignal(Session session, Signal signal) {
        Received received = new Received(signal.type(), signal.data(),
                signal.from() == null ? null : signal.from().getConnectionId(), signal.direct(), System.nanoTime());
        synchronized (inbox) {
            inbox.add(received);
        }
        if (LAST.equals(signal.type())) {
            SignalTag tag = SignalTag.parse(signal.data());
            if (tag != null) lastFrom.add(tag.sender());
        }
    }

    @Override
    public void onReconnecting(Session session) {
        linked = false;
        reconnections.incrementAndGet();
        reconnecting = true;
        reconnectingSince = System.nanoTime();
    }

    @Override
    public void onReconnected(Session session) {
        if (reconnecting) {
            Duration took = Duration.ofNanos(System.nanoTime() - reconnectingSince);
            synchronized (reconnectTimes) {
                reconnectTimes.add(took);
            }
        }
        reconnecting = false;
        linkedSince = System.nanoTime();
        linked = true;
        reconnectedAt = linkedSince;
        reconnectedTo = server();
    }

    @Override
    public void onResumed(Session session, Resumption resumption) {
        resent.addAndGet(resumption.resent());
        queuedSent.addAndGet(resumption.queuedSent());
        replayed.addAndGet(resumption.replayed());
        // Always right after onReconnected, on this thread.
        synchronized (outages) {
            outages.add(new Outage(reconnectingSince, reconnectedAt, reconnectedTo, resumption));
        }
    }

    @Override
    public void onConnectionCreated(Session session, Connection connection) {
        String id = connection.getConnectionId();
        synchronized (membership) {
            if (joined.contains(id)) membership.add("joined again: " + id);
            joined.add(id);
        }
    }

    @Override
    public void onConnectionDestroyed(Session session, Connection connection, DisconnectReason reason) {
        synchronized (membership) {
            membership.add("left (" + reason + "): " + connection.getConnectionId());
        }
    }

    @Override
    public void onSignalsMissed(Session session, int count) {
        missed.addAndGet(count);
    }

    @Override
    public void onDisconnected(Session session, DisconnectReason reason) {
        linked = false;
        reconnecting = false;
        if (reason != DisconnectReason.CLIENT_DISCONNECTED) {
            goneWhy = reason + (session.getDisconnectMessage() == null ? "" : ": " + session.getDisconnectMessage());
            gone = true;
        }
    }

    @Override
    public void onError(Session session, SignalingException exception) {
        errorCount.incrementAndGet();
        synchronized (errors) {
            if (errors.size() < MAX_ERRORS) errors.add(exception.toString());
        }
    }

    /** A send, its future, when it was made (by {@link System#nanoTime}), and when its future completed. */
    private record Sent(SignalTag tag, int target, CompletableFuture<Void> future, long sentAt,
                        CompletableFuture<Long> settled) {}

    /**
     * One reconnection, from its loss to the resume.
     *
     * @param lostAt     when onReconnecting was heard, by {@link System#nanoTime}
     * @param resumedAt  when onReconnected was heard
     * @param server     the server (by number from 0) it resumed on, as its proxies showed then; -1 when
     *                   they did not tell
     * @param resumption what the SDK reported of it
     */
    record Outage(long lostAt, long resumedAt, int server, Resumption resumption) {}
}
