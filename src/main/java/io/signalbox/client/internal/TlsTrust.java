package io.signalbox.client.internal;

import io.signalbox.client.CertificateFingerprint;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Which servers a session believes over TLS: those the Java runtime's default trust store vouches
 * for, by name (the default), or exactly one certificate named by its fingerprint.
 *
 * @param pin the one certificate to trust, or null for the runtime's default trust
 */
public record TlsTrust(CertificateFingerprint pin) {

    /** The runtime's default: its trust store ({@code javax.net.ssl.trustStore}, else its CA certificates) and host name checks. */
    public static TlsTrust systemDefault() {
        return new TlsTrust(null);
    }

    public static TlsTrust pinned(CertificateFingerprint pin) {
        return new TlsTrust(Objects.requireNonNull(pin, "pin"));
    }

    /** Whether the certificate must name the host the URL names; not with a pin, which is stronger. */
    public boolean checksHostName() {
        return pin == null;
    }

    /** The TLS context for a link. */
    public SSLContext sslContext() {
        if (pin != null) return pin.sslContext();
        try {
            // The JVM's own default: the trust store that javax.net.ssl.* names, else the JDK's cacerts.
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime offers no default TLS context", e);
        }
    }

    /**
     * Why a link failed because the server's certificate was refused, for a person; null when
     * {@code failure} is about something else (a refused connection, a timeout).
     */
    public String describeRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PinnedTrustManager.PinMismatchException mismatch) {
                return mismatch.getMessage() + "; this is not the server the fingerprint names";
            }
            if (t instanceof CertificateException refused) {
                return "the server's certificate is not trusted (" + refused.getMessage() + "); a server with a"
                        + " self-signed certificate can be trusted by its SHA-256 fingerprint instead";
            }
            if (t.getCause() == t) break;
        }
        return null;
    }
}
