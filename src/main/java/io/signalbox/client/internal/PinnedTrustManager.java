package io.signalbox.client.internal;

import io.signalbox.client.CertificateFingerprint;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server only when the certificate it shows first has one SHA-256 fingerprint. No chain, no
 * dates and no host name are looked at: the fingerprint names the very certificate the person chose
 * to trust, which is what a self-signed host needs.
 *
 * <p>An {@link X509ExtendedTrustManager} on purpose: JSSE wraps a plain {@code X509TrustManager} in
 * one of its own that adds the host name check, and that check is what pinning replaces.
 */
public final class PinnedTrustManager extends X509ExtendedTrustManager {
    private final CertificateFingerprint pin;

    public PinnedTrustManager(CertificateFingerprint pin) {
        this.pin = Objects.requireNonNull(pin, "pin");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) throw new CertificateException("the server showed no certificate");
        if (!pin.matches(chain[0])) throw new PinMismatchException(pin, CertificateFingerprint.of(chain[0]));
    }

    // A client of servers only: it is never asked to trust a client.

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("this trust manager checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("this trust manager checks servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    /** The server showed another certificate than the pinned one. */
    public static final class PinMismatchException extends CertificateException {
        private final transient CertificateFingerprint expected;
        private final transient CertificateFingerprint actual;

        PinMismatchException(CertificateFingerprint expected, CertificateFingerprint actual) {
            super("the server's certificate has the SHA-256 fingerprint " + actual
                    + ", not the trusted " + expected);
            this.expected = expected;
            this.actual = actual;
        }

        public CertificateFingerprint expected() {
            return expected;
        }

        public CertificateFingerprint actual() {
            return actual;
        }
    }
}
