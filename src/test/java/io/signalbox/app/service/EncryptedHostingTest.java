package io.signalbox.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signalbox.client.CertificateFingerprint;
import io.signalbox.client.ErrorCode;
import io.signalbox.client.SignalingException;
import io.signalbox.server.auth.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosting on the network as the app does it, on loopback: the host's certificate made once and kept,
 * the server over TLS with it, invitations carrying its fingerprint, and guests trusting exactly it.
 */
class EncryptedHostingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable resource : resources.reversed()) resource.close();
    }

    private HostCertificate certificate() {
        return new HostCertificate(new AppPaths(dir).hostCertificateFile(), Clock.systemUTC(), new SecureRandom());
    }

    private HostedSession host(HostCertificate certificate) {
        HostedSession hosting = LoopbackHosting.encrypted(certificate);
        resources.add(hosting);
        return hosting;
    }

    /** A guest's service as the app makes it from a link, connected (or failing to), on a direct executor. */
    private CompletableFuture<Void> guestJoins(InviteLink link) {
        SdkSignalingService guest = new SdkSignalingService(link.serverUrl(), link.sessionId(), link.fingerprint(),
                "name=Guest", Runnable::run);
        resources.add(() -> guest.disconnect().get(10, TimeUnit.SECONDS));
        return guest.connect(link.token());
    }

    @Test
    @DisplayName("the host's certificate is made on first use in the data folder, readable by its owner only, and reused after")
    void certificateMadeOnceAndReused() throws Exception {
        Path file = new AppPaths(dir).hostCertificateFile();
        assertThat(file).doesNotExist();

        HostCertificate.Identity first = certificate().loadOrCreate();
        byte[] saved = Files.readAllBytes(file);
        HostCertificate.Identity again = new HostCertificate(file, Clock.systemUTC(), new SecureRandom()).loadOrCreate();

        assertThat(file).isRegularFile();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(Files.readAllBytes(file)).as("the file is not rewritten").isEqualTo(saved);
        assertThat(first.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=Signalbox host");
        first.certificate().verify(first.certificate().getPublicKey());
        assertThat(first.tls().load().certificate()).isEqualTo(first.certificate());
    }

    @Test
    @DisplayName("a damaged certificate file is replaced by a new certificate")
    void damagedFileReplaced() throws Exception {
        Path file = new AppPaths(dir).hostCertificateFile();
        Files.writeString(file, "damaged");

        HostCertificate.Identity made = certificate().loadOrCreate();

        assertThat(made.tls().load().certificate()).isEqualTo(made.certificate());
        assertThat(certificate().loadOrCreate().fingerprint()).isEqualTo(made.fingerprint());
    }

    @Test
    @DisplayName("a session hosted on the network serves https with the saved certificate, and its invitations carry the fingerprint")
    void hostingServesTlsAndLinksCarryFingerprint() {
        HostCertificate certificate = certificate();
        HostedSession first = host(certificate);
        HostedSession second = host(certificate);
        CertificateFingerprint saved = certificate.loadOrCreate().fingerprint();

        assertThat(first.url().getScheme()).isEqualTo("https");
        assertThat(first.encrypted()).isTrue();
        assertThat(first.onNetwork()).isTrue();
        assertThat(first.fingerprint()).isEqualTo(saved.hex());
        assertThat(CertificateFingerprint.of(first.server().certificate())).isEqualTo(saved);
        assertThat(second.fingerprint()).as("every session shows the same certificate").isEqualTo(first.fingerprint());

        String link = first.invite(Role.PUBLISHER).format();
        assertThat(link).contains("url=https%3A%2F%2F127.0.0.1%3A" + first.url().getPort()).endsWith("&fp=" + saved.hex());
        assertThat(InviteLink.parse(link).fingerprint()).isEqualTo(saved.hex());
    }

    @Test
    @DisplayName("a guest with the link trusts exactly the host's certificate: joined with it, refused with another or with none")
    void guestPinsTheHost() throws Exception {
        HostedSession hosting = host(certificate());
        InviteLink link = InviteLink.parse(hosting.invite(Role.PUBLISHER).format());
        Path otherFile = dir.resolve("other").resolve("host-certificate.p12");
        String other = new HostCertificate(otherFile, Clock.systemUTC(), new SecureRandom()).loadOrCreate().fingerprint().hex();

        assertThat(guestJoins(link)).succeedsWithin(WAIT);
        assertThat(hosting.server().connectionCount()).isEqualTo(1);

        InviteLink forged = new InviteLink(link.serverUrl(), link.sessionId(), link.token(), other, link.extra());
        assertThat(failure(guestJoins(forged)).code()).isEqualTo(ErrorCode.CERTIFICATE_NOT_TRUSTED);
        InviteLink stripped = new InviteLink(link.serverUrl(), link.sessionId(), link.token());
        SignalingException untrusted = failure(guestJoins(stripped));
        assertThat(untrusted.code()).as("the system does not vouch for a self-signed certificate")
                .isEqualTo(ErrorCode.CERTIFICATE_NOT_TRUSTED);
        assertThat(hosting.server().connectionCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("hosting on this computer only stays plain http on loopback, with no fingerprint in its links")
    void loopbackStaysPlain() {
        HostedSession hosting = HostedSession.start(false, certificate());
        resources.add(hosting);

        assertThat(hosting.url().toString()).startsWith("http://127.0.0.1:");
        assertThat(hosting.encrypted()).isFalse();
        assertThat(hosting.invite(Role.PUBLISHER).format()).doesNotContain("fp=");
        assertThat(new AppPaths(dir).hostCertificateFile()).as("no certificate made for it").doesNotExist();
        assertThatThrownBy(() -> HostedSession.start(true)).isInstanceOf(IllegalArgumentException.class);
    }

    private static SignalingException failure(CompletableFuture<Void> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SignalingException.class);
            return (SignalingException) e.getCause();
        }
        throw new AssertionError("the guest joined; expected a refusal");
    }
}
