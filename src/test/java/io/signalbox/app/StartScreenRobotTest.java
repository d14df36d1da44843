package io.signalbox.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signalbox.app.service.AppPaths;
import io.signalbox.app.service.HostedSession;
import io.signalbox.app.service.InviteLink;
import io.signalbox.app.service.SettingsStore;
import io.signalbox.server.auth.Role;
import io.signalbox.server.auth.TokenGrant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.MouseEvent;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The start screen as a person uses it, on the real composition root with a data folder of its own,
 * headless (Monocle).
 */
class StartScreenRobotTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final FxRobot robot = new FxRobot();
    /** The app under test; made fresh for each test. */
    private SignalboxApp app;
    /** Sessions a test hosted itself, ended after it. */
    private final List<HostedSession> hosted = new ArrayList<>();

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void startApp() throws Exception {
        app = new SignalboxApp(new AppPaths(dir));
        FxToolkit.setupApplication(() -> app);
        await().atMost(WAIT).until(() -> startWindow().isPresent());
    }

    @AfterEach
    void stopApp() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        hosted.forEach(HostedSession::close);
    }

    @Test
    @DisplayName("type a name, click Host: a Signalbox chat window opens on a running hosted server, which ends when closed")
    void hostFromStartScreen() {
        robot.clickOn("#displayName").write("Ada");
        robot.clickOn("#hostButton");

        await().atMost(WAIT).until(() -> startWindow().isEmpty() && chatWindow().isPresent());
        Stage chat = chatWindow().orElseThrow();
        assertThat(chat.getTitle()).contains("Signalbox");
        List<HostedSession> sessions = app.windows().hostedSessions();
        assertThat(sessions).hasSize(1);
        HostedSession hosting = sessions.getFirst();
        assertThat(hosting.onNetwork()).isFalse();
        assertThat(serves(hosting.url())).as("the hosted server answers").isTrue();
        assertThat(new SettingsStore(dir.resolve("settings.json")).load().displayName()).isEqualTo("Ada");

        robot.interact(chat::close);
        hosting.close();

        assertThat(serves(hosting.url())).as("the hosted server has stopped").isFalse();
        assertThat(dir.resolve("signalbox.log")).as("the app logs to its data folder").exists();
    }

    @Test
    @DisplayName("a pasted invite link fills the fields, and Join opens the chat and lists the session as recent")
    void joinWithLink() {
        HostedSession session = HostedSession.start(false);
        hosted.add(session);
        String link = session.invite(Role.PUBLISHER).format();
        Button join = robot.lookup("#joinButton").queryButton();

        robot.clickOn("#displayName").write("Grace");
        assertThat(join.isDisabled()).isTrue();
        // Pasted, as people do, rather than typed key by key.
        robot.interact(() -> robot.lookup("#inviteLink").queryAs(TextField.class).setText(link));

        assertThat(robot.lookup("#sessionId").queryAs(TextField.class).getText()).isEqualTo(session.sessionId());
        assertThat(robot.lookup("#serverUrl").queryAs(TextField.class).getText()).isEqualTo(session.url().toString());
        assertThat(join.isDisabled()).isFalse();
        robot.clickOn(join);

        await().atMost(WAIT).until(() -> startWindow().isEmpty() && chatWindow().isPresent());
        var recent = new SettingsStore(dir.resolve("settings.json")).load().recentSessions();
        assertThat(recent).singleElement().satisfies(r -> assertThat(r.sessionId()).isEqualTo(session.sessionId()));
    }

    @Test
    @DisplayName("a bad server address is explained under the fields, and Join stays disabled")
    void badAddress() {
        robot.clickOn("#displayName").write("Grace");
        robot.clickOn("#serverUrl").write("ftp://example.com");
        robot.clickOn("#sessionId").write("s");
        robot.clickOn("#token").write("t");

        assertThat(robot.lookup("#joinProblem").queryAs(Label.class).getText()).contains("should look like http://");
        assertThat(robot.lookup("#joinButton").queryButton().isDisabled()).isTrue();
    }

    @Test
    @DisplayName("the network option says that messages are encrypted and that the link names this computer's certificate")
    void networkNote() {
        Node note = robot.lookup("#networkNote").query();
        assertThat(note.isVisible()).isFalse();

        robot.clickOn("#shareOnNetwork");

        assertThat(note.isVisible()).isTrue();
        assertThat(((Label) note).getText()).contains("encrypted").contains("certificate").doesNotContain("unencrypted");
        assertThat(note.getStyleClass()).doesNotContain("warning");
    }

    @Test
    @DisplayName("a failure in a click handler shows a readable alert, no stack trace, and the screen goes on working")
    void unexpectedFailure() {
        Node header = robot.lookup(".app-header").query();
        robot.interact(() -> header.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            throw new IllegalStateException("a bug in a handler");
        }));

        robot.clickOn(header);

        await().atMost(WAIT).until(() -> errorDialog().isPresent());
        DialogPane pane = errorDialog().orElseThrow();
        assertThat(pane.getHeaderText()).isEqualTo("Something went wrong");
        assertThat(pane.getContentText()).contains("signalbox.log").doesNotContain("IllegalStateException", "at io.");
        robot.clickOn(pane.lookupButton(ButtonType.OK));
        await().atMost(WAIT).until(() -> errorDialog().isEmpty());

        robot.clickOn("#displayName").write("Still here");
        assertThat(robot.lookup("#hostButton").queryButton().isDisabled()).isFalse();
    }

    @Test
    @DisplayName("the invite dialog makes a link with the chosen role and guest name, and Copy puts it on the clipboard")
    void inviteDialog() throws Exception {
        HostedSession session = HostedSession.start(false);
        hosted.add(session);

        robot.interact(() -> app.windows().showInvite(session));
        await().atMost(WAIT).until(() -> robot.lookup("#invitationLink").tryQuery().isPresent());
        robot.interact(() -> robot.lookup("#inviteRole").queryComboBox().getSelectionModel().select(Role.MODERATOR));
        robot.clickOn("#inviteName").write("Grace");
        robot.clickOn("#copyInvite");

        String text = robot.lookup("#invitationLink").queryAs(TextField.class).getText();
        InviteLink link = InviteLink.parse(text);
        assertThat(link.serverUrl()).isEqualTo(session.url());
        assertThat(link.sessionId()).isEqualTo(session.sessionId());
        TokenGrant grant = session.server().tokens().verify(link.token(), session.sessionId());
        assertThat(grant.role()).isEqualTo(Role.MODERATOR);
        assertThat(grant.connectionData()).isEqualTo("name=Grace");
        String[] clipboard = new String[1];
        robot.interact(() -> clipboard[0] = Clipboard.getSystemClipboard().getString());
        assertThat(clipboard[0]).isEqualTo(text);
        assertThat(robot.lookup("#inviteReach").queryAs(Label.class).getText()).contains("this computer only");
    }

    @Test
    @DisplayName("New participant opens another window in the same hosted session")
    void newParticipant() {
        HostedSession session = HostedSession.start(false);
        hosted.add(session);
        long before = showingStages().size();

        robot.interact(() -> app.windows().openParticipant(session));
        robot.interact(() -> app.windows().openParticipant(session));

        await().atMost(WAIT).until(() -> showingStages().size() == before + 2);
        assertThat(showingStages()).filteredOn(s -> s.getTitle() != null && s.getTitle().contains("Signalbox"))
                .hasSizeGreaterThanOrEqualTo(3);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Optional<Stage> startWindow() {
        return showingStages().stream().filter(s -> s.getScene().lookup("#hostButton") != null).findFirst();
    }

    /** A showing Signalbox window that is not the start screen and not a dialog. */
    private Optional<Stage> chatWindow() {
        return showingStages().stream()
                .filter(s -> s.getTitle() != null && s.getTitle().contains("Signalbox"))
                .filter(s -> s.getScene().lookup("#hostButton") == null)
                .filter(s -> !(s.getScene().getRoot() instanceof DialogPane))
                .findFirst();
    }

    private Optional<DialogPane> errorDialog() {
        return showingStages().stream()
                .map(s -> s.getScene().getRoot())
                .filter(DialogPane.class::isInstance).map(DialogPane.class::cast)
                .filter(p -> "Something went wrong".equals(p.getHeaderText()))
                .findFirst();
    }

    private List<Stage> showingStages() {
        List<Stage> stages = new ArrayList<>();
        for (Window w : robot.listWindows()) {
            if (w instanceof Stage s && s.isShowing() && s.getScene() != null) stages.add(s);
        }
        return stages;
    }

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
}
