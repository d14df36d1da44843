package io.signalbox.app.service;

import io.signalbox.protocol.CloseCodes;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.Role;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;

/**
 * A session this computer hosts: an embedded Signalbox server, one session on it, and tokens for the
 * host and whoever they invite. Closing it ends the session for everyone.
 */
public final class HostedSession implements AutoCloseable {
    /** How long invitations and the host's own token are valid. */
    public static final Duration TOKEN_TTL = Duration.ofDays(1);

    private final SignalboxServer server;
    private final String sessionId;
    private final URI url;
    private final boolean onNetwork;

    private HostedSession(SignalboxServer server, URI url, boolean onNetwork) {
        this.server = server;
        this.sessionId = server.createSessionId();
        this.url = url;
        this.onNetwork = onNetwork;
    }

    /**
     * Starts hosting.
     *
     * @param onNetwork false to listen on loopback only (this computer); true to accept others on the
     *                  local network, unencrypted
     */
    public static HostedSession start(boolean onNetwork) {
        ApiCredentials credentials = ApiCredentials.generate(new SecureRandom());
        ServerConfig config = ServerConfig.defaults(credentials).withHost(onNetwork ? "0.0.0.0" : "127.0.0.1");
        SignalboxServer server = SignalboxServer.start(config);
        String host = onNetwork ? lanAddress().orElse("127.0.0.1") : "127.0.0.1";
        return new HostedSession(server, URI.create("http://" + host + ":" + server.port()), onNetwork);
    }

    /** The server's base URL as guests reach it. */
    public URI url() {
        return url;
    }

    public String sessionId() {
        return sessionId;
    }

    /** Whether others on the local network can join (without encryption). */
    public boolean onNetwork() {
        return onNetwork;
    }

    /** A token for a participant, with their display name in the connection data. */
    public String token(Role role, String displayName) {
        return server.tokens().mintJwt(sessionId, role, ConnectionData.forName(displayName), TOKEN_TTL);
    }

    /** An invitation for a guest with this role; the guest chooses their own name. */
    public InviteLink invite(Role role) {
        return new InviteLink(url, sessionId, server.tokens().mintJwt(sessionId, role, "", TOKEN_TTL));
    }

    /** The embedded server, for QA tools. */
    public SignalboxServer server() {
        return server;
    }

    /** Ends the session for everyone: guests are told the host ended it, and the server stops. */
    @Override
    public void close() {
        server.close(CloseCodes.SESSION_ENDED, "the host ended the session");
    }

    /** The first site-local IPv4 address of an interface that is up, for guests on the network. */
    static Optional<String> lanAddress() {
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback() || nif.isVirtual()) continue;
                for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                    if (address instanceof Inet4Address && address.isSiteLocalAddress()) {
                        return Optional.of(address.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            // No interfaces to ask: fall back to loopback.
        }
        return Optional.empty();
    }
}
