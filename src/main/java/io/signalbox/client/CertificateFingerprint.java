package io.signalbox.client;

import io.signalbox.client.internal.PinnedTrustManager;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The SHA-256 fingerprint of a certificate (of its DER encoding), the form in which a person or an
 * invite link names the one certificate to trust for a server with a self-signed certificate.
 *
 * <p>Written as 64 hex digits, with or without colons between the bytes, in either case:
 * {@code 3A:F1:...} and {@code 3af1...} name the same certificate.
 *
 * @param bytes the 32 bytes of the SHA-256 digest
 */
public record CertificateFingerprint(byte[] bytes) {
    private static final int LENGTH = 32;
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":").withUpperCase();

    public CertificateFingerprint {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a SHA-256 fingerprint is 32 bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /**
     * Reads a fingerprint as people copy it: 64 hex digits, colons between pairs optional, any case,
     * spaces around it ignored.
     *
     * @throws IllegalArgumentException when it is not that, saying what is wrong
     */
    public static CertificateFingerprint parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("the certificate fingerprint is empty");
        String digits = text.strip().replace(":", "");
        if (digits.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a certificate's SHA-256 fingerprint has 64 hex digits (colons optional), not "
                    + digits.length() + ": '" + text.strip() + "'");
        }
        try {
            return new CertificateFingerprint(HexFormat.of().parseHex(digits.toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a certificate fingerprint has only hex digits 0-9 A-F (and colons): '"
                    + text.strip() + "'");
        }
    }

    /** The fingerprint of a certificate. */
    public static CertificateFingerprint of(X509Certificate certificate) {
        try {
            return new CertificateFingerprint(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot take the SHA-256 of a certificate", e);
        }
    }

    /** Whether this is the fingerprint of {@code certificate}; compared in constant time. */
    public boolean matches(X509Certificate certificate) {
        return MessageDigest.isEqual(bytes, of(certificate).bytes);
    }

    /**
     * A TLS context that trusts exactly the certificate with this fingerprint, and no other, for
     * clients other than the SDK's sessions (an HTTP client of the REST API, say). Host names are not
     * checked against the certificate: the fingerprint names the very certificate, which is stronger.
     */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinnedTrustManager(this)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime offers no TLS", e);
        }
    }

    /** The 32 bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** 64 lowercase hex digits without colons: the compact form, as in invite links. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateFingerprint other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Uppercase hex pairs with colons, as {@code keytool} and {@code openssl} print it. */
    @Override
    public String toString() {
        return COLONS.formatHex(bytes);
    }
}
