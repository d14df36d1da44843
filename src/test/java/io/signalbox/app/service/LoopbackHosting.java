package io.signalbox.app.service;

/**
 * Hosting as the app does on the local network (TLS with the host's certificate, links with its
 * fingerprint), but bound to and reached at loopback, so that tests never leave 127.0.0.1.
 */
public final class LoopbackHosting {
    private LoopbackHosting() {}

    public static HostedSession encrypted(HostCertificate certificate) {
        return HostedSession.startEncrypted("127.0.0.1", "127.0.0.1", certificate);
    }
}
