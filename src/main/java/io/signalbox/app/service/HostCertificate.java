package io.signalbox.app.service;

import io.signalbox.client.CertificateFingerprint;
import io.signalbox.server.ServerTls;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This computer's certificate for hosting on the local network: self-signed, made with Bouncy Castle
 * the first time it is needed, kept as a PKCS#12 file in the data folder, and used again on every
 * later run. Guests do not need it to be signed by anyone: their invite link carries its SHA-256
 * fingerprint, and their app trusts that certificate and no other.
 *
 * <p>The key is an EC P-256 one, which every TLS 1.2 and 1.3 client takes and which is quick to make.
 * The file's password is a constant: what protects the key is that the file is readable by its owner
 * only (as with an SSH host key), and a password kept beside the file would add nothing.
 */
public final class HostCertificate {
    private static final Logger log = LoggerFactory.getLogger(HostCertificate.class);

    /** The name of the entry in the file. */
    static final String ALIAS = "signalbox-host";
    /** See the class comment for why a constant password is enough. */
    static final String PASSWORD = "signalbox-host-certificate";
    /** Long, since nobody renews it: a guest trusts it by fingerprint, and the pin ignores dates. */
    static final Duration VALIDITY = Duration.ofDays(3650);

    private final Path file;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param file   where the certificate and its key are kept ({@link AppPaths#hostCertificateFile()})
     * @param clock  the start of a new certificate's validity
     * @param random the key's and the serial number's randomness
     */
    public HostCertificate(Path file, Clock clock, SecureRandom random) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Where the certificate is kept. */
    public Path file() {
        return file;
    }

    /**
     * The certificate to serve with: the saved one when the file holds a usable one, else a new one,
     * saved first. A file that cannot be used (damaged, from elsewhere) is replaced, and the log says so.
     * Synchronized, so two sessions hosted at once in one run share one certificate.
     *
     * @throws UncheckedIOException when the data folder cannot be written
     */
    public synchronized Identity loadOrCreate() {
        if (Files.exists(file)) {
            try {
                ServerTls tls = new ServerTls(file, PASSWORD);
                return new Identity(tls, tls.load().certificate());
            } catch (IllegalArgumentException e) {
                log.warn("the host certificate in {} cannot be used ({}); making a new one", file, e.getMessage());
            }
        }
        X509Certificate certificate = create();
        log.info("made a new host certificate in {}, SHA-256 fingerprint {}", file, CertificateFingerprint.of(certificate));
        return new Identity(new ServerTls(file, PASSWORD), certificate);
    }

    private X509Certificate create() {
        KeyPair keys;
        X509Certificate certificate;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            keys = generator.generateKeyPair();
            Instant now = clock.instant();
            X500Name name = new X500Name("CN=Signalbox host");
            // A positive serial of 127 random bits, as RFC 5280 asks (at most 20 octets, not negative).
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, random).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a certificate for hosting: " + e.getMessage(), e);
        }
        save(keys, certificate);
        return certificate;
    }

    /** Writes the file whole or not at all: a temporary file, readable by the owner only, moved into place. */
    private void save(KeyPair keys, X509Certificate certificate) {
        Path temporary = null;
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            temporary = Files.createTempFile(folder, "host-certificate", ".tmp");
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the file inherits the data folder's access list, which is the user's own.
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, keys.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {certificate});
            try (OutputStream out = Files.newOutputStream(temporary)) {
                store.store(out, PASSWORD.toCharArray());
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the host certificate in " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the host certificate as PKCS#12: " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    log.debug("cannot remove {}", temporary, e);
                }
            }
        }
    }

    /**
     * The certificate to serve with, and what guests check.
     *
     * @param tls         the keystore and its password, for the server
     * @param certificate the certificate in it
     */
    public record Identity(ServerTls tls, X509Certificate certificate) {
        /** The fingerprint guests pin, from the invite link. */
        public CertificateFingerprint fingerprint() {
            return CertificateFingerprint.of(certificate);
        }
    }
}
