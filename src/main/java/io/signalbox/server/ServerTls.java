package io.signalbox.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Objects;

/**
 * Where a {@link SignalboxServer} serving HTTPS and WSS finds its certificate: a PKCS#12 keystore
 * holding one private key entry (the certificate, with its chain if it has one), and its password,
 * which also opens the key.
 *
 * @param keystore the PKCS#12 file
 * @param password the keystore's password (PKCS#12 keeps one password for the store and its keys)
 */
public record ServerTls(Path keystore, String password) {

    public ServerTls {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Opens the keystore and checks that it can serve: readable with this password, holding a key
     * whose certificate is X.509.
     *
     * @throws IllegalArgumentException with a message a person can act on (no such file, wrong password,
     *                                  not a PKCS#12 file, no private key in it)
     */
    public Loaded load() {
        KeyStore store;
        try (InputStream in = Files.newInputStream(keystore)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the TLS keystore " + keystore + " does not exist");
        } catch (IOException e) {
            // PKCS#12 reports a wrong password as an IOException caused by UnrecoverableKeyException.
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException("the TLS keystore " + keystore
                        + " cannot be opened with the password given: it is wrong");
            }
            throw new IllegalArgumentException("the TLS keystore " + keystore + " cannot be read as PKCS#12: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the TLS keystore " + keystore + " cannot be read: " + e.getMessage());
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) continue;
                Certificate certificate = store.getCertificate(alias);
                if (!(certificate instanceof X509Certificate x509)) continue;
                // Fails here, not in the first handshake, when the key has a password of its own.
                store.getKey(alias, password.toCharArray());
                return new Loaded(store, alias, x509);
            }
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("the private key in the TLS keystore " + keystore
                    + " has a password other than the keystore's; PKCS#12 files for Signalbox use one password");
        } catch (KeyStoreException | NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("the TLS keystore " + keystore + " cannot be read: " + e.getMessage());
        }
        throw new IllegalArgumentException("the TLS keystore " + keystore
                + " holds no private key with an X.509 certificate, so it cannot serve TLS");
    }

    /** The password kept out of logs and exception messages. */
    @Override
    public String toString() {
        return "ServerTls[keystore=" + keystore + ", password=***]";
    }

    /**
     * An opened keystore, ready to serve.
     *
     * @param keyStore    the store, loaded
     * @param alias       the entry that serves
     * @param certificate that entry's certificate, the one clients see first
     */
    public record Loaded(KeyStore keyStore, String alias, X509Certificate certificate) {}
}
