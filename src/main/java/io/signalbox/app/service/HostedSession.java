package io.signalbox.app.service;

import io.signalbox.client.CertificateFingerprint;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A session this computer hosts: an embedded Signalbox server, one session on it, and tokens for the
 * host and whoever they invite. Closing it ends the session for everyone.
 *
 * <p>Open to the local network, the server speaks TLS only, with this computer's self-signed
 * {@link HostCertificate}, and invitations carry its fingerprint, so that a guest's app trusts that
 * certificate and no other. On this computer only it stays plain HTTP on loopback: nothing it carries
 * leaves the computer, and every window here would need the pin for no gain.
 */
public final class HostedSession implements AutoCloseable {
    /** How long invitations and the host's own token are valid. */
    public static final Duration TOKEN_TTL = Duration.ofDays(1);

    private final SignalboxServer server;
    private final String sessionId;
    private final URI url;
    private final boolean onNetwork;
    /** The fingerprint of the certificate guests must see, or null when the server is plain. */
    private final CertificateFingerprint fingerprint;

    private HostedSession(SignalboxServer server, URI url, boolean onNetwork, CertificateFingerprint fingerprint) {
        this.server = server;
        this.sessionId = server.createSessionId();
        this.url = url;
        this.onNetwork = onNetwork;
        this.fingerprint = fingerprint;
    }

    /**
     * Starts hosting.
     *
     * @param onNetwork   false to listen on loopback only (this computer), in plain HTTP; true to accept
     *                    others on the local network, over TLS with {@code certificate}
     * @param certificate this computer's certificate; used only when {@code onNetwork}, and then required
     */
    public static HostedSession start(boolean onNetwork, HostCertificate certificate) {
        if (!onNetwork) return start(false);
        Objects.requireNonNull(certificate, "certificate");
        return startEncrypted("0.0.0.0", lanAddress().orElse("127.0.0.1"), certificate);
    }

    /**
     * Starts hosting on this computer only: loopback, plain HTTP.
     *
     * @param onNetwork must be false: hosting on the network needs this computer's certificate, through
     *                  {@link #start(boolean, HostCertificate)}
     */
    public static HostedSession start(boolean onNetwork) {
        if (onNetwork) {
            throw new IllegalArgumentException("hosting on the network needs this computer's certificate");
        }
        ApiCredentials credentials = ApiCredentials.generate(new SecureRandom());
        SignalboxServer server = SignalboxServer.start(ServerConfig.defaults(credentials).withHost("127.0.0.1"));
        return new HostedSession(server, URI.create("http://127.0.0.1:" + server.port()), false, null);
    }

    /**
     * Hosts over TLS with {@code certificate}, listening on {@code bindHost}, for guests who reach it as
     * {@code guestHost}. The app binds every interface and names its LAN address; tests bind and name
     * loopback, so that nothing leaves the computer.
     */
    static HostedSession startEncrypted(String bindHost, String guestHost, HostCertificate certificate) {
        HostCertificate.Identity identity = certificate.loadOrCreate();
        ApiCredentials credentials = ApiCredentials.generate(new SecureRandom());
        SignalboxServer server = SignalboxServer.start(ServerConfig.defaults(credentials).withHost(bindHost)
                .withTls(identity.tls()));
        return new HostedSession(server, URI.create("https://" + guestHost + ":" + server.port()), true,
                identity.fingerprint());
    }

    /** The server's base URL as guests reach it. */
    public URI url() {
        return url;
    }

    public String sessionId() {
        return sessionId;
    }

    /** Whether others on the local network can join (over TLS). */
    public boolean onNetwork() {
        return onNetwork;
    }

    /** Whether guests reach the server over TLS, checking {@link #fingerprint()}. */
    public boolean encrypted() {
        return fingerprint != null;
    }

    /**
     * The SHA-256 fingerprint of the server's certificate, in the compact form of invite links, or empty
     * when the server is plain (on this computer only).
     */
    public String fingerprint() {
        return fingerprint == null ? "" : fingerprint.hex();
    }

    /** A token for a participant, with their display name in the connection data. */
    public String token(Role role, String displayName) {
        return server.tokens().mintJwt(sessionId, role, ConnectionData.forName(displayName), TOKEN_TTL);
    }

    /** An invitation for a guest with this role; the guest chooses their own name. */
    public InviteLink invite(Role role) {
        return new InviteLink(url, sessionId, server.tokens().mintJwt(sessionId, role, "", TOKEN_TTL), fingerprint(), Map.of());
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
