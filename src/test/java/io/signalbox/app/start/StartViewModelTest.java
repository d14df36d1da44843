package io.signalbox.app.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.app.BackgroundTasks;
import io.signalbox.app.JoinTarget;
import io.signalbox.app.Windows;
import io.signalbox.app.service.AppPaths;
import io.signalbox.app.service.HostCertificate;
import io.signalbox.app.service.HostedSession;
import io.signalbox.app.service.LoopbackHosting;
import io.signalbox.app.service.SdkSignalingService;
import io.signalbox.app.service.InviteLink;
import io.signalbox.app.service.Settings;
import io.signalbox.app.service.Settings.RecentSession;
import io.signalbox.app.service.SettingsStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start screen's state and verbs, with no toolkit: a direct executor, fake windows, a settings file in a temp folder. */
class StartViewModelTest {
    private static final String SID = "1_MX4xMjM0NTY3OH5-MTcwMDAwMDAwMDAwMH5hYmNkZWZnaGlqa2xtbm9wcX5-";
    private static final InviteLink LINK = new InviteLink(URI.create("http://192.168.1.20:7400"), SID, "eyJ.token.sig");
    private static final String FP = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final InviteLink TLS_LINK = new InviteLink(URI.create("https://192.168.1.20:7400"), SID,
            "eyJ.token.sig", FP, Map.of());

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.parse("2025-03-01T12:00:00Z"));
    private final RecordingWindows windows = new RecordingWindows();
    /** Hosted sessions the tests started, ended after each. */
    private final List<HostedSession> started = new ArrayList<>();

    @AfterEach
    void endHosting() {
        started.forEach(HostedSession::close);
    }

    private SettingsStore store() {
        return new SettingsStore(dir.resolve("settings.json"));
    }

    private StartViewModel viewModel() {
        return viewModel(onNetwork -> {
            HostedSession session = HostedSession.start(onNetwork);
            started.add(session);
            return session;
        });
    }

    private StartViewModel viewModel(StartViewModel.HostStarter starter) {
        return new StartViewModel(store(), windows, starter, BackgroundTasks.direct(), clock);
    }

    @Nested
    @DisplayName("validation")
    class Validation {
        @Test
        @DisplayName("with nothing entered, neither Host nor Join is possible, and the screen says what to enter")
        void emptyScreen() {
            StartViewModel vm = viewModel();

            assertThat(vm.canHostProperty().get()).isFalse();
            assertThat(vm.canJoinProperty().get()).isFalse();
            assertThat(vm.nameProblemProperty().get()).contains("Enter your name");
            assertThat(vm.joinProblemProperty().get()).contains("Paste an invite link");
        }

        @Test
        @DisplayName("a name enables Host; a blank or over-long name does not")
        void nameEnablesHost() {
            StartViewModel vm = viewModel();

            vm.displayNameProperty().set("   ");
            assertThat(vm.canHostProperty().get()).isFalse();

            vm.displayNameProperty().set("Ada");
            assertThat(vm.canHostProperty().get()).isTrue();
            assertThat(vm.nameProblemProperty().get()).isEmpty();

            vm.displayNameProperty().set("x".repeat(StartViewModel.MAX_NAME_LENGTH + 1));
            assertThat(vm.canHostProperty().get()).isFalse();
            assertThat(vm.nameProblemProperty().get()).contains("at most " + StartViewModel.MAX_NAME_LENGTH);
        }

        @Test
        @DisplayName("each missing detail is named in turn, and Join is enabled only when all are there")
        void missingFields() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Ada");

            vm.sessionIdProperty().set(SID);
            assertThat(vm.joinProblemProperty().get()).isEqualTo("Enter the server address.");
            assertThat(vm.joinInputWrongProperty().get()).as("missing is not wrong").isFalse();
            vm.serverUrlProperty().set("http://127.0.0.1:7400");
            assertThat(vm.joinProblemProperty().get()).isEqualTo("Enter the token.");
            vm.sessionIdProperty().set("");
            assertThat(vm.joinProblemProperty().get()).isEqualTo("Enter the session ID.");
            vm.sessionIdProperty().set(SID);
            assertThat(vm.canJoinProperty().get()).isFalse();

            vm.tokenProperty().set("eyJ.token.sig");

            assertThat(vm.joinProblemProperty().get()).isEmpty();
            assertThat(vm.canJoinProperty().get()).isTrue();
        }

        @Test
        @DisplayName("a server address that is not http(s) is refused in words; one typed without a scheme is taken as http")
        void badUrl() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Ada");
            vm.sessionIdProperty().set(SID);
            vm.tokenProperty().set("tok");

            vm.serverUrlProperty().set("ftp://files.example.com");
            assertThat(vm.joinProblemProperty().get()).contains("should look like http://");
            assertThat(vm.joinInputWrongProperty().get()).isTrue();
            assertThat(vm.canJoinProperty().get()).isFalse();

            vm.serverUrlProperty().set("http://exa mple");
            assertThat(vm.canJoinProperty().get()).isFalse();

            vm.serverUrlProperty().set("192.168.1.20:7400");
            assertThat(vm.canJoinProperty().get()).isTrue();
            assertThat(vm.joinInputWrongProperty().get()).isFalse();
            assertThat(StartViewModel.serverUri("192.168.1.20:7400")).contains(URI.create("http://192.168.1.20:7400"));
        }

        @Test
        @DisplayName("a damaged invite link is explained, and the fields keep what they had")
        void badLink() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Ada");
            vm.serverUrlProperty().set("http://127.0.0.1:7400");

            vm.inviteLinkProperty().set("signalbox://join?url=http%3A%2F%2Fh%3A1&session=S");

            assertThat(vm.joinProblemProperty().get()).isEqualTo("The invite link has no token.");
            assertThat(vm.joinInputWrongProperty().get()).isTrue();
            assertThat(vm.canJoinProperty().get()).isFalse();
            assertThat(vm.serverUrlProperty().get()).isEqualTo("http://127.0.0.1:7400");

            vm.inviteLinkProperty().set("https://example.com/join");
            assertThat(vm.joinProblemProperty().get()).contains("starts with signalbox://join?");
        }
    }

    @Nested
    @DisplayName("the invite link")
    class Link {
        @Test
        @DisplayName("a pasted link fills the server address, session id and token, and enables Join")
        void linkFillsFields() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Ada");

            vm.inviteLinkProperty().set("  " + LINK.format() + "\n");

            assertThat(vm.serverUrlProperty().get()).isEqualTo("http://192.168.1.20:7400");
            assertThat(vm.sessionIdProperty().get()).isEqualTo(SID);
            assertThat(vm.tokenProperty().get()).isEqualTo("eyJ.token.sig");
            assertThat(vm.canJoinProperty().get()).isTrue();
        }

        @Test
        @DisplayName("a link pasted into the server address field is taken as the link")
        void linkInUrlField() {
            StartViewModel vm = viewModel();

            vm.serverUrlProperty().set(LINK.format());

            assertThat(vm.inviteLinkProperty().get()).isEqualTo(LINK.format());
            assertThat(vm.serverUrlProperty().get()).isEqualTo("http://192.168.1.20:7400");
            assertThat(vm.sessionIdProperty().get()).isEqualTo(SID);
        }
    }

    @Nested
    @DisplayName("joining")
    class Joining {
        @Test
        @DisplayName("Join opens the chat with the details and the name, and remembers both")
        void joinOpensChat() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("  Ada  ");
            vm.inviteLinkProperty().set(LINK.format());

            vm.join();

            assertThat(windows.chats).singleElement().satisfies(chat -> {
                assertThat(chat.target()).isEqualTo(new JoinTarget(URI.create("http://192.168.1.20:7400"), SID, "eyJ.token.sig", "Ada"));
                assertThat(chat.hosting()).isNull();
            });
            Settings saved = store().load();
            assertThat(saved.displayName()).isEqualTo("Ada");
            assertThat(saved.recentSessions()).singleElement().satisfies(recent -> {
                assertThat(recent.serverUrl()).isEqualTo("http://192.168.1.20:7400");
                assertThat(recent.sessionId()).isEqualTo(SID);
                assertThat(recent.token()).isEqualTo("eyJ.token.sig");
                assertThat(recent.label()).isEqualTo("192.168.1.20:7400");
                assertThat(recent.lastUsed()).isEqualTo(clock.instant());
            });
        }

        @Test
        @DisplayName("a link with the host's fingerprint opens the chat pinned to it, and rejoining the recent session pins it again")
        void joinPinsLinkFingerprint() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Ada");
            vm.inviteLinkProperty().set(TLS_LINK.format());

            vm.join();

            assertThat(windows.chats.getLast().target()).isEqualTo(
                    new JoinTarget(URI.create("https://192.168.1.20:7400"), SID, "eyJ.token.sig", "Ada", FP));
            assertThat(store().load().recentSessions()).singleElement()
                    .satisfies(recent -> assertThat(recent.fingerprint()).isEqualTo(FP));

            vm.rejoin(viewModel().recentSessions().getFirst());

            assertThat(windows.chats.getLast().target().fingerprint()).isEqualTo(FP);
        }

        @Test
        @DisplayName("an address typed over the one the link filled in is joined without the link's fingerprint")
        void otherAddressDropsFingerprint() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Ada");
            vm.inviteLinkProperty().set(TLS_LINK.format());
            vm.serverUrlProperty().set("https://chat.example.com");

            vm.join();

            assertThat(windows.chats.getLast().target().serverUrl()).isEqualTo(URI.create("https://chat.example.com"));
            assertThat(windows.chats.getLast().target().fingerprint()).isEmpty();
        }

        @Test
        @DisplayName("Join does nothing while the details are incomplete")
        void joinWhenInvalid() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Ada");
            vm.serverUrlProperty().set("http://127.0.0.1:7400");

            vm.join();

            assertThat(windows.chats).isEmpty();
            assertThat(store().load().recentSessions()).isEmpty();
        }

        @Test
        @DisplayName("recent sessions are newest first; rejoining one moves it to the top and opens it with its token")
        void recentsOrder() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Ada");
            joinDetails(vm, "http://a.example:7400", "session-a", "token-a");
            clock.advance(Duration.ofMinutes(5));
            joinDetails(vm, "http://b.example:7400", "session-b", "token-b");

            assertThat(vm.recentSessions()).extracting(RecentSession::sessionId).containsExactly("session-b", "session-a");

            clock.advance(Duration.ofHours(2));
            vm.rejoin(vm.recentSessions().get(1));

            assertThat(vm.recentSessions()).extracting(RecentSession::sessionId).containsExactly("session-a", "session-b");
            assertThat(windows.chats.getLast().target())
                    .isEqualTo(new JoinTarget(URI.create("http://a.example:7400"), "session-a", "token-a", "Ada"));
            assertThat(store().load().recentSessions()).extracting(RecentSession::sessionId)
                    .containsExactly("session-a", "session-b");
            // A new screen reads the same list back.
            assertThat(viewModel().recentSessions()).extracting(RecentSession::sessionId)
                    .containsExactly("session-a", "session-b");
        }

        @Test
        @DisplayName("the same session joined twice is listed once")
        void recentsDeduplicated() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Ada");
            joinDetails(vm, "http://a.example:7400", "session-a", "token-1");
            joinDetails(vm, "http://a.example:7400", "session-a", "token-2");

            assertThat(vm.recentSessions()).singleElement().extracting(RecentSession::token).isEqualTo("token-2");
        }

        @Test
        @DisplayName("rejoining needs a name first, and says so")
        void rejoinNeedsName() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Ada");
            joinDetails(vm, "http://a.example:7400", "session-a", "token-a");
            windows.chats.clear();
            vm.displayNameProperty().set("");

            vm.rejoin(vm.recentSessions().getFirst());

            assertThat(windows.chats).isEmpty();
            assertThat(vm.errorProperty().get()).contains("Enter your name");
        }

        @Test
        @DisplayName("forgetting a recent session removes it from the list and the file")
        void forget() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Ada");
            joinDetails(vm, "http://a.example:7400", "session-a", "token-a");
            joinDetails(vm, "http://b.example:7400", "session-b", "token-b");

            vm.forget(vm.recentSessions().getFirst());

            assertThat(vm.recentSessions()).extracting(RecentSession::sessionId).containsExactly("session-a");
            assertThat(store().load().recentSessions()).extracting(RecentSession::sessionId).containsExactly("session-a");
        }

        @Test
        @DisplayName("a recent session is described by its session and how long ago it was joined")
        void describe() {
            StartViewModel vm = viewModel();
            RecentSession recent = new RecentSession("h:1", "http://h:1", SID, "t", clock.instant().minus(Duration.ofHours(3)));

            assertThat(vm.describe(recent)).isEqualTo("Session 1_MX4xMj…9wcX5- · 3 hours ago");
            assertThat(StartViewModel.ago(Duration.ofSeconds(20))).isEqualTo("just now");
            assertThat(StartViewModel.ago(Duration.ofMinutes(1))).isEqualTo("a minute ago");
            assertThat(StartViewModel.ago(Duration.ofHours(30))).isEqualTo("yesterday");
            assertThat(StartViewModel.ago(Duration.ofDays(9))).isEqualTo("9 days ago");
        }

        private void joinDetails(StartViewModel vm, String url, String session, String token) {
            vm.inviteLinkProperty().set("");
            vm.serverUrlProperty().set(url);
            vm.sessionIdProperty().set(session);
            vm.tokenProperty().set(token);
            vm.join();
        }
    }

    @Nested
    @DisplayName("the display name")
    class Name {
        @Test
        @DisplayName("the saved name is filled in on the next start")
        void savedNameComesBack() {
            store().save(Settings.empty().withDisplayName("Grace"));

            assertThat(viewModel().displayNameProperty().get()).isEqualTo("Grace");
        }

        @Test
        @DisplayName("a name typed and not used is kept when the screen closes")
        void keptOnClose() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Grace ");

            vm.dispose();

            assertThat(store().load().displayName()).isEqualTo("Grace");
        }
    }

    @Nested
    @DisplayName("hosting")
    class Hosting {
        @Test
        @DisplayName("Host starts a loopback server, opens the chat as its moderator with the name, and keeps the name")
        void hostOpensChat() {
            StartViewModel vm = viewModel();
            vm.displayNameProperty().set("Ada");

            vm.host();

            assertThat(windows.chats).singleElement().satisfies(chat -> {
                HostedSession hosting = chat.hosting();
                assertThat(hosting).isNotNull();
                assertThat(hosting.onNetwork()).isFalse();
                assertThat(hosting.url().getHost()).isEqualTo("127.0.0.1");
                assertThat(chat.target().serverUrl()).isEqualTo(hosting.url());
                assertThat(chat.target().sessionId()).isEqualTo(hosting.sessionId());
                assertThat(chat.target().displayName()).isEqualTo("Ada");
                assertThat(serves(hosting.url())).isTrue();
                var grant = hosting.server().tokens().verify(chat.target().token(), hosting.sessionId());
                assertThat(grant.role().wireName()).isEqualTo("moderator");
                assertThat(grant.connectionData()).isEqualTo("name=Ada");
            });
            assertThat(vm.busyProperty().get()).isFalse();
            assertThat(vm.errorProperty().get()).isEmpty();
            assertThat(store().load().displayName()).isEqualTo("Ada");
            assertThat(store().load().recentSessions()).as("a hosted session cannot be rejoined later").isEmpty();
        }

        @Test
        @DisplayName("the network option is passed to the server, and Host is refused while a start is under way")
        void networkOptionAndBusy() {
            AtomicReference<Boolean> asked = new AtomicReference<>();
            List<Runnable> pending = new ArrayList<>();
            // Work that is started but not finished, to see the screen while it waits.
            BackgroundTasks held = new BackgroundTasks(pending::add, Runnable::run);
            StartViewModel vm = new StartViewModel(store(), windows, onNetwork -> {
                asked.set(onNetwork);
                throw new IllegalStateException("port in use");
            }, held, clock);
            vm.displayNameProperty().set("Ada");
            vm.shareOnNetworkProperty().set(true);

            vm.host();

            assertThat(vm.busyProperty().get()).isTrue();
            assertThat(vm.statusProperty().get()).contains("local network");
            assertThat(vm.canHostProperty().get()).isFalse();
            vm.host();
            assertThat(pending).hasSize(1);

            pending.getFirst().run();

            assertThat(asked.get()).isTrue();
            assertThat(vm.busyProperty().get()).isFalse();
            assertThat(vm.statusProperty().get()).isEmpty();
        }

        @Test
        @DisplayName("the network option notes that messages are encrypted, with no warning that they are not")
        void networkNote() {
            StartViewModel vm = viewModel();
            assertThat(vm.networkNoteProperty().get()).isEmpty();

            vm.shareOnNetworkProperty().set(true);

            assertThat(vm.networkNoteProperty().get()).contains("encrypted").contains("certificate")
                    .doesNotContain("unencrypted");
            vm.shareOnNetworkProperty().set(false);
            assertThat(vm.networkNoteProperty().get()).isEmpty();
        }

        @Test
        @DisplayName("hosting on the network opens the host's chat on https pinned to this computer's certificate, and it connects")
        void hostOnNetworkIsPinned() throws Exception {
            HostCertificate certificate = new HostCertificate(new AppPaths(dir).hostCertificateFile(), Clock.systemUTC(),
                    new SecureRandom());
            StartViewModel vm = viewModel(onNetwork -> {
                HostedSession session = onNetwork ? LoopbackHosting.encrypted(certificate) : HostedSession.start(false);
                started.add(session);
                return session;
            });
            vm.displayNameProperty().set("Ada");
            vm.shareOnNetworkProperty().set(true);

            vm.host();

            JoinTarget target = windows.chats.getLast().target();
            assertThat(target.serverUrl().getScheme()).isEqualTo("https");
            assertThat(target.fingerprint()).isEqualTo(certificate.loadOrCreate().fingerprint().hex());
            SdkSignalingService host = new SdkSignalingService(target.serverUrl(), target.sessionId(), target.fingerprint(),
                    null, Runnable::run);
            try {
                assertThat(host.connect(target.token())).succeedsWithin(Duration.ofSeconds(10));
            } finally {
                host.disconnect().get(10, TimeUnit.SECONDS);
            }
        }

        @Test
        @DisplayName("a server that cannot start is explained in words, and no window opens")
        void hostFails() {
            StartViewModel vm = viewModel(onNetwork -> {
                throw new IllegalStateException("Failed to bind to 0.0.0.0:7400");
            });
            vm.displayNameProperty().set("Ada");

            vm.host();

            assertThat(windows.chats).isEmpty();
            assertThat(vm.errorProperty().get())
                    .startsWith("Signalbox could not start a session on this computer")
                    .contains("Failed to bind")
                    .doesNotContain("Exception");
            assertThat(vm.canHostProperty().get()).isTrue();
        }

        @Test
        @DisplayName("a session that finishes starting after the screen closed is ended, not left running")
        void hostAfterClose() {
            List<Runnable> pending = new ArrayList<>();
            StartViewModel vm = new StartViewModel(store(), windows, onNetwork -> {
                HostedSession session = HostedSession.start(false);
                started.add(session);
                return session;
            }, new BackgroundTasks(pending::add, Runnable::run), clock);
            vm.displayNameProperty().set("Ada");
            vm.host();

            vm.dispose();
            pending.getFirst().run();

            assertThat(windows.chats).isEmpty();
            assertThat(serves(started.getFirst().url())).as("the late server was stopped").isFalse();
        }
    }

    @Test
    @DisplayName("Open the log folder goes to the windows")
    void openLogFolder() {
        viewModel().openLogFolder();

        assertThat(windows.logFolderOpened).isEqualTo(1);
    }

    /** Whether a server answers its health check at this address. */
    private static boolean serves(URI url) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            return http.send(HttpRequest.newBuilder(url.resolve("/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Records what the screen asked the windows to do. */
    private static final class RecordingWindows implements Windows {
        record Chat(JoinTarget target, HostedSession hosting) {}

        final List<Chat> chats = new ArrayList<>();
        int logFolderOpened;

        @Override
        public void showStart() {}

        @Override
        public void openChat(JoinTarget target, HostedSession hosting) {
            chats.add(new Chat(target, hosting));
        }

        @Override
        public void showInvite(HostedSession hosting) {}

        @Override
        public void openParticipant(HostedSession hosting) {}

        @Override
        public boolean confirmEndHosting(HostedSession hosting) {
            return false;
        }

        @Override
        public void openLogFolder() {
            logFolderOpened++;
        }
    }

    /** A clock that moves only when told to. */
    private static final class MovableClock extends Clock {
        /** The time it shows; moved by advance. */
        private Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
