package io.signalbox.server;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.Limits;
import io.signalbox.protocol.ProtocolException;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.protocol.WireError;
import io.signalbox.server.auth.SessionIds;
import io.signalbox.server.auth.TokenException;
import io.signalbox.server.auth.TokenGrant;
import io.signalbox.server.auth.Tokens;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint the SDK talks to. It authenticates each new socket, then turns its frames
 * into routing. A bad frame is answered with an error and harms nothing else; only what the protocol
 * calls fatal (a bad token, no shared version, a binary or oversized frame) closes the socket.
 */
final class SignalingEndpoint {
    private static final Logger log = LoggerFactory.getLogger(SignalingEndpoint.class);
    private static final String PONG = Codec.encode(new ServerMessage.Pong());

    private final SessionRegistry registry;
    private final Tokens tokens;
    private final String apiKey;
    private final ServerConfig config;
    private final ScheduledExecutorService timers;
    /** Frames sent while handling what one read brought in are written together (see WriteBatch). */
    private final WriteBatch.Threads batches;
    /** Set once when the server begins to shut down: new sockets are turned away from then on. */
    private volatile boolean shuttingDown;
    /** Open sockets; added at open and removed at close, by Jetty's threads. */
    private final Set<Link> links = ConcurrentHashMap.newKeySet();

    SignalingEndpoint(SessionRegistry registry, Tokens tokens, ServerConfig config, ScheduledExecutorService timers,
                      WriteBatch.Threads batches) {
        this.registry = registry;
        this.batches = batches;
        this.tokens = tokens;
        this.apiKey = config.credentials().apiKey();
        this.config = config;
        this.timers = timers;
    }

    /**
     * A socket for Jetty's connection {@code endPoint} once its upgrade is answered. On a single node
     * its reads run on Jetty's selector thread; in a cluster, where handling a message may wait for
     * Redis, on Jetty's pool.
     */
    Link newLink(EndPoint endPoint, Connector connector) {
        return new Link(endPoint, connector.getExecutor(), connector.getByteBufferPool(), this, batches,
                Limits.MAX_FRAME_BYTES, config.maxQueuedFrames(), config.maxQueuedBytes(),
                config.idleTimeout().toMillis(), !config.clustered());
    }

    /** A socket opened: it has {@code authTimeout} to connect or resume. */
    void onOpen(Link link) {
        if (shuttingDown) {
            link.close(CloseCodes.GOING_AWAY, "server shutting down");
            return;
        }
        links.add(link);
        link.authTimer = timers.schedule(() -> {
            if (link.peer == null) {
                log.info("closing {}: no connect within {} ms", link.remote(), config.authTimeout().toMillis());
                fatal(link, WireError.AUTHENTICATION_FAILED, CloseCodes.AUTHENTICATION_TIMEOUT,
                        "no connect message within " + config.authTimeout().toSeconds() + " s");
            }
        }, config.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A link's queue of frames passed its bound: it is closed as too slow, off the sender's thread. */
    void onOverflow(Link link) {
        timers.execute(() -> tooSlow(link));
    }

    void onMessage(Link link, String text) {
        // What this message sends waits for the other messages read with it (see WriteBatch).
        batches.open();
        ClientMessage message;
        try {
            message = Codec.decodeClient(text);
        } catch (ProtocolException e) {
            log.info("bad message from {}: {}", link.remote(), e.getMessage());
            link.send(Codec.encode(new ServerMessage.Error(e.error().code(), e.getMessage())));
            return;
        }
        Peer peer = link.peer;
        if (peer == null) {
            handleFirst(link, message);
        } else {
            handle(link, peer, message);
        }
    }

    private void handleFirst(Link link, ClientMessage message) {
        switch (message) {
            case ClientMessage.Connect connect -> connect(link, connect);
            case ClientMessage.Resume resume -> resume(link, resume);
            case ClientMessage.Ping ignored -> link.send(PONG);
            default -> {
                log.info("message before connect from {}", link.remote());
                link.send(Codec.encode(new ServerMessage.Error(WireError.NOT_CONNECTED.code(),
                        "the first message must be 'connect' or 'resume'")));
            }
        }
    }

    private void connect(Link link, ClientMessage.Connect connect) {
        if (connect.v() != Limits.PROTOCOL_VERSION) {
            log.info("refusing {}: protocol version {}", link.remote(), connect.v());
            fatal(link, WireError.UNSUPPORTED_PROTOCOL, CloseCodes.UNSUPPORTED_PROTOCOL,
                    "this server speaks protocol version " + Limits.PROTOCOL_VERSION
                            + "; the client speaks version " + connect.v());
            return;
        }
        if (!SessionIds.belongsTo(connect.sessionId(), apiKey)) {
            log.info("refusing {}: session id '{}' is not of this server", link.remote(), connect.sessionId());
            fatal(link, WireError.INVALID_SESSION_ID, CloseCodes.AUTHENTICATION_FAILED,
                    "'" + connect.sessionId() + "' is not a session id of this server's API key");
            return;
        }
        TokenGrant grant;
        try {
            grant = tokens.verify(connect.token(), connect.sessionId());
        } catch (TokenException e) {
            log.info("refusing {}: {}", link.remote(), e.getMessage());
            fatal(link, WireError.AUTHENTICATION_FAILED, CloseCodes.AUTHENTICATION_FAILED, e.getMessage());
            return;
        }
        String offered = connect.data();
        if (grant.connectionData().isEmpty() && offered != null && !offered.isEmpty()) {
            if (offered.length() > Limits.MAX_CONNECTION_DATA_LENGTH) {
                fatal(link, WireError.MALFORMED_MESSAGE, CloseCodes.AUTHENTICATION_FAILED,
                        "the connection data offered is longer than " + Limits.MAX_CONNECTION_DATA_LENGTH + " characters");
                return;
            }
            // The token says nothing of the connection: the client's own words (its display name) stand.
            grant = new TokenGrant(grant.sessionId(), grant.role(), offered, grant.issuedAt(), grant.expiresAt());
        }
        Peer joined = registry.join(grant, link);
        if (joined == null) {
            log.info("refusing {}: session {} is full", link.remote(), grant.sessionId());
            int most = registry.maxConnectionsPerSession();
            fatal(link, WireError.SESSION_FULL, CloseCodes.SESSION_FULL, "the session is full: it already has "
                    + most + (most == 1 ? " connection" : " connections") + ", the most this server allows");
            return;
        }
        ScheduledFuture<?> timer = link.authTimer;
        if (timer != null) timer.cancel(false);
        link.peer = joined;
        log.debug("{} joined session {} from {}", link.peer, grant.sessionId(), link.remote());
    }

    private void resume(Link link, ClientMessage.Resume resume) {
        if (resume.v() != Limits.PROTOCOL_VERSION) {
            fatal(link, WireError.UNSUPPORTED_PROTOCOL, CloseCodes.UNSUPPORTED_PROTOCOL,
                    "this server speaks protocol version " + Limits.PROTOCOL_VERSION
                            + "; the client speaks version " + resume.v());
            return;
        }
        Peer peer;
        try {
            peer = registry.resume(resume.sessionId(), resume.connectionId(), resume.resumeToken(),
                    resume.received(), link);
        } catch (ResumeElsewhereException | io.signalbox.server.redis.BackplaneUnavailableException e) {
            // Not final: the client goes on trying, this node or the next, within its window.
            log.info("cannot resume {} from {} now: {}", resume.connectionId(), link.remote(), e.getMessage());
            link.close(CloseCodes.GOING_AWAY, e instanceof ResumeElsewhereException elsewhere
                    ? elsewhere.closeReason() : "the cluster registry does not answer");
            return;
        }
        if (peer == null) {
            log.info("refusing resume of {} from {}: not known here", resume.connectionId(), link.remote());
            fatal(link, WireError.RESUME_REFUSED, CloseCodes.RESUME_REFUSED,
                    "connection " + resume.connectionId() + " cannot be resumed: this server does not know it,"
                            + " or its reconnection window ran out");
            return;
        }
        ScheduledFuture<?> timer = link.authTimer;
        if (timer != null) timer.cancel(false);
        link.peer = peer;
        log.info("{} resumed from {} (client had {} signals)", peer, link.remote(), resume.received());
    }

    private void handle(Link link, Peer peer, ClientMessage message) {
        switch (message) {
            case ClientMessage.SendSignal signal -> signal(peer, signal);
            case ClientMessage.Ping ping -> {
                if (ping.received() != null) peer.received(ping.received());
                link.send(PONG);
            }
            case ClientMessage.Leave ignored -> {
                registry.leave(peer, Reason.CLIENT_DISCONNECTED);
                peer.close(CloseCodes.NORMAL, "client disconnected");
            }
            case ClientMessage.Connect ignored -> link.send(Codec.encode(new ServerMessage.Error(
                    WireError.MALFORMED_MESSAGE.code(), "this socket is already connected to the session")));
            case ClientMessage.Resume ignored -> link.send(Codec.encode(new ServerMessage.Error(
                    WireError.MALFORMED_MESSAGE.code(), "this socket is already connected to the session")));
        }
    }

    private void signal(Peer peer, ClientMessage.SendSignal signal) {
        long seq = signal.seq();
        if (seq <= peer.lastSeq()) {
            // Sent again by a client unsure whether it arrived: it did, so it is not routed twice.
            log.debug("{} sent signal {} again; dropped as a duplicate", peer, seq);
            registry.handled(peer, peer.lastSeq(), Codec.encode(new ServerMessage.Ack(seq)));
            return;
        }
        peer.lastSeq(seq);
        String answer = handle(peer, seq, signal);
        // After routing: a node dying between the two makes a signal the client sends again count
        // twice, never one that reached no one count as delivered.
        if (answer != null) registry.handled(peer, seq, answer);
    }

    /**
     * Routes a new signal, or refuses it; returns the answer for the client, or null when it has had
     * one already (a refusal for the rate goes at once).
     */
    private String handle(Peer peer, long seq, ClientMessage.SendSignal signal) {
        if (!peer.role.maySignal()) {
            return nack(peer, seq, WireError.NOT_PERMITTED, "the role '" + peer.role.wireName() + "' may not send signals");
        }
        WireError invalid = Limits.checkSignal(signal.type(), signal.data());
        if (invalid != null) return nack(peer, seq, invalid, describe(invalid));
        if (peer.gate != null && !admit(peer, seq, signal)) return null;
        boolean routed;
        try {
            routed = registry.route(peer.room.sessionId, peer, seq, signal.to(), signal.type(), signal.data());
        } catch (BacklogFullException e) {
            return nack(peer, seq, WireError.INTERNAL_ERROR, e.getMessage());
        }
        if (!routed) {
            return nack(peer, seq, WireError.CONNECTION_NOT_FOUND, "connection " + signal.to() + " is not in this session");
        }
        return Codec.encode(new ServerMessage.Ack(seq));
    }

    /**
     * Takes the signal's tokens, or refuses it with the time to wait; a connection refused too often is
     * flooding and is closed for good. Returns whether the signal may be routed.
     */
    private boolean admit(Peer peer, long seq, ClientMessage.SendSignal signal) {
        long size = Limits.utf8Length(signal.type()) + Limits.utf8Length(signal.data());
        long retryAfterMs = peer.gate.admit(size);
        if (retryAfterMs == 0) return true;
        ServerMessage.Nack nack = new ServerMessage.Nack(seq, WireError.RATE_LIMITED.code(),
                "too many signals: this connection may send " + describeRates() + "; send again in "
                        + retryAfterMs + " ms", retryAfterMs);
        peer.rememberNack(nack);
        peer.send(Codec.encode(nack));
        if (peer.gate.refusedTooOften()) {
            String reason = peer.gate.floodReason();
            log.warn("{} closed: {}", peer, reason);
            registry.leave(peer, Reason.SERVER_CLOSED);
            peer.close(CloseCodes.FLOODING, reason);
        } else {
            log.debug("refused signal {} of {}: over the rate; retry in {} ms", seq, peer, retryAfterMs);
        }
        return false;
    }

    private String describeRates() {
        RateLimits limits = config.rateLimits();
        StringBuilder words = new StringBuilder();
        if (limits.signalsPerSecond() > 0) {
            words.append(limits.signalsPerSecond()).append(" signals a second (").append(limits.signalBurst())
                    .append(" at once)");
        }
        if (limits.bytesPerSecond() > 0) {
            if (!words.isEmpty()) words.append(" and ");
            words.append(limits.bytesPerSecond() / 1024).append(" KiB a second (")
                    .append(limits.byteBurst() / 1024).append(" KiB at once)");
        }
        return words.toString();
    }

    /** Remembers a refusal for a client that may resume, and returns the frame that tells it. */
    private String nack(Peer peer, long seq, WireError error, String message) {
        log.info("refused signal {} of {}: {}", seq, peer, message);
        ServerMessage.Nack nack = new ServerMessage.Nack(seq, error.code(), message);
        peer.rememberNack(nack);
        return Codec.encode(nack);
    }

    static String describe(WireError error) {
        return switch (error) {
            case SIGNAL_TYPE_TOO_LONG -> "the signal type is longer than " + Limits.MAX_TYPE_LENGTH + " characters";
            case INVALID_SIGNAL_TYPE -> "the signal type may hold only A-Z a-z 0-9 - _ ~";
            case SIGNAL_DATA_TOO_LONG -> "the signal data is longer than " + Limits.MAX_DATA_BYTES + " bytes of UTF-8";
            case INVALID_SIGNAL_DATA -> "the signal data is missing";
            default -> error.name();
        };
    }

    /**
     * A receiver whose queue overflowed leaves the session at once (the others are told), is sent a
     * close with the reason, and, since a stalled reader may never take that close, is cut off after
     * a grace period.
     */
    private void tooSlow(Link link) {
        String reason = "too slow: more than " + config.maxQueuedFrames() + " messages or "
                + config.maxQueuedBytes() / 1024 + " KiB waited to be sent to this client";
        Peer peer = link.peer;
        if (peer != null) {
            registry.leave(peer, Reason.SERVER_CLOSED);
            log.warn("{} removed from session {}: {}", peer, peer.room.sessionId, reason);
            peer.close(CloseCodes.TOO_SLOW, reason);
        } else {
            link.close(CloseCodes.TOO_SLOW, reason);
        }
        timers.schedule(link::disconnect, 2, TimeUnit.SECONDS);
    }

    /** A socket failed: it will not be read again, so what its messages sent goes out now. */
    void onError(Link link, Throwable error) {
        batches.flush();
        log.info("socket error on {}: {}", link.remote(),
                error == null ? "unknown" : error.toString());
    }

    /** The client broke the WebSocket protocol, or sent a message over the limit: it is closed. */
    void onViolation(Link link, int code, String reason) {
        Peer peer = link.peer;
        log.info("closing {}{}: {}", peer == null ? "" : peer + " from ", link.remote(), reason);
        closeLink(link, code, reason);
    }

    void onBinary(Link link) {
        log.info("closing {}: sent a binary frame", link.remote());
        closeLink(link, CloseCodes.UNSUPPORTED_DATA, "binary frames are not part of the Signalbox protocol");
    }

    void onClose(Link link, int status, String reason) {
        batches.flush(); // the socket will not be read again
        if (!links.remove(link)) return;
        ScheduledFuture<?> timer = link.authTimer;
        if (timer != null) timer.cancel(false);
        Peer peer = link.peer;
        if (peer == null || !peer.isLinkedTo(link)) return;
        log.info("{} lost its link from {} ({} {})", peer, link.remote(), status, reason);
        registry.detach(peer, link);
    }

    private void fatal(Link link, WireError error, int closeCode, String message) {
        link.send(Codec.encode(new ServerMessage.Error(error.code(), message)));
        closeLink(link, closeCode, message);
    }

    private void closeLink(Link link, int code, String reason) {
        Peer peer = link.peer;
        if (peer != null) {
            registry.leave(peer, Reason.SERVER_CLOSED);
            peer.close(code, reason);
        } else {
            link.close(code, reason);
        }
    }

    /**
     * Turns new sockets away and closes every open one as the server goes away; clients treat it as a
     * lost link and try to resume, elsewhere or when the server is back.
     */
    void shutDown(int code, String reason) {
        shuttingDown = true;
        for (Link link : links) link.close(code, reason);
    }
}
