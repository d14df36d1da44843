package io.signalbox.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signalbox.app.qa.QaTools;
import io.signalbox.app.qa.SignalInspectorView;
import io.signalbox.app.qa.SignalInspectorViewModel.Format;
import io.signalbox.app.qa.SignalRecord;
import io.signalbox.app.service.AppPaths;
import io.signalbox.app.service.HostedSession;
import io.signalbox.server.auth.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
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
 * The QA menu as a tester uses it, headless, on the real composition root, a real embedded server and
 * the real SDK: each fault shows on the link indicator and the faults badge, and ends as it should;
 * the inspector lists a scenario's signals with their states, and exports them.
 */
class QaMenuRobotTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final FxRobot robot = new FxRobot();
    private SignalboxApp app;
    private HostedSession hosting;
    private Stage chat;
    /** Every text the link indicator showed since the chat window opened. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void host() throws Exception {
        app = new SignalboxApp(new AppPaths(dir));
        FxToolkit.setupApplication(() -> app);
        hosting = HostedSession.start(false);
        onFx(() -> app.windows().openChat(new JoinTarget(hosting.url(), hosting.sessionId(),
                hosting.token(Role.MODERATOR, "Ada"), "Ada"), hosting));
        await().atMost(WAIT).until(() -> chatStage().isPresent());
        chat = chatStage().orElseThrow();
        onFx(() -> {
            Label status = (Label) chat.getScene().getRoot().lookup("#link-status");
            status.textProperty().addListener((o, was, now) -> seen.add(now));
        });
        awaitLink("Connected");
        onFx(() -> {
            chat.toFront();
            chat.requestFocus();
        });
    }

    @AfterEach
    void stop() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        hosting.close();
    }

    @Test
    @DisplayName("Drop connection now (Ctrl+Shift+D): the indicator goes to reconnecting, then back to connected")
    void drop() {
        shortcut(KeyCode.D);

        await().atMost(WAIT).until(() -> seen.stream().anyMatch(s -> s.startsWith("Reconnecting")));
        awaitLink("Connected");
        assertThat(badgeShown()).isFalse();
    }

    @Test
    @DisplayName("Go offline for 2 s from the menu: reconnecting with a countdown badge, then connected and no badge")
    void offline() {
        robot.clickOn("QA").clickOn("Go offline for…");
        TextField seconds = robot.lookup("#qa-number").queryAs(TextField.class);
        onFx(() -> seconds.setText(""));
        robot.clickOn(seconds).write("2").type(KeyCode.ENTER);

        await().atMost(WAIT).until(() -> linkText().startsWith("Reconnecting"));
        assertThat(badgeShown()).isTrue();
        assertThat(badgeText()).startsWith("Offline");
        awaitLink("Connected");
        await().atMost(Duration.ofSeconds(3)).until(() -> !badgeShown());
    }

    @Test
    @DisplayName("Block reconnection (Ctrl+Shift+B) then drop: reconnecting until released, then connected")
    void block() throws Exception {
        shortcut(KeyCode.B);
        assertThat(badgeText()).isEqualTo("Reconnection blocked");
        shortcut(KeyCode.D);
        await().atMost(WAIT).until(() -> linkText().startsWith("Reconnecting"));

        Thread.sleep(1500);
        assertThat(linkText()).as("still down while blocked").startsWith("Reconnecting");

        shortcut(KeyCode.B);
        awaitLink("Connected");
        assertThat(badgeShown()).isFalse();
    }

    @Test
    @DisplayName("Add latency (300 ms): the badge says so, the link stays up and a message still arrives; 0 removes it")
    void latency() {
        latency("300");
        assertThat(badgeText()).isEqualTo("+300 ms latency");
        say("slow hello");
        await().atMost(WAIT).until(() -> records().stream().anyMatch(
                r -> r.direction() == SignalRecord.Direction.OUT && r.state() == SignalRecord.State.ACKNOWLEDGED));
        assertThat(linkText()).isEqualTo("Connected");

        latency("0");
        assertThat(badgeShown()).isFalse();
    }

    @Test
    @DisplayName("Stop embedded server: the indicator goes to reconnecting, the badge says the server stopped")
    void stopServer() {
        robot.clickOn("QA").clickOn("Stop embedded server");

        await().atMost(WAIT).until(() -> linkText().startsWith("Reconnecting"));
        assertThat(badgeText()).contains("Server stopped");
        // The SDK keeps trying within the reconnection window (60 s by default), in vain.
        assertThat(linkText()).startsWith("Reconnecting");
    }

    @Test
    @DisplayName("the inspector lists a scenario's signals with their states, filters them, and exports them")
    void inspector() throws Exception {
        say("before");
        await().atMost(WAIT).until(() -> count(SignalRecord.Direction.OUT, SignalRecord.State.ACKNOWLEDGED) == 1
                && count(SignalRecord.Direction.IN, SignalRecord.State.RECEIVED) == 1);

        shortcut(KeyCode.B);
        shortcut(KeyCode.D);
        await().atMost(WAIT).until(() -> linkText().startsWith("Reconnecting"));
        say("while away");
        await().atMost(WAIT).until(() -> count(SignalRecord.Direction.OUT, SignalRecord.State.QUEUED) == 1);
        shortcut(KeyCode.B);
        awaitLink("Connected");
        await().atMost(WAIT).until(() -> count(SignalRecord.Direction.OUT, SignalRecord.State.ACKNOWLEDGED) == 2
                && count(SignalRecord.Direction.IN, SignalRecord.State.RECEIVED) == 2);

        shortcut(KeyCode.I);
        await().atMost(WAIT).until(() -> qa().inspectorStage() != null && qa().inspectorStage().isShowing());
        Stage inspector = qa().inspectorStage();
        @SuppressWarnings("unchecked")
        TableView<SignalRecord> table = onFx(() -> (TableView<SignalRecord>) inspector.getScene().getRoot().lookup("#inspector-table"));
        assertThat(onFx(() -> table.getItems().stream().map(r -> r.direction() + " " + r.data() + " " + r.state()).toList()))
                .containsExactly("OUT before ACKNOWLEDGED", "IN before RECEIVED",
                        "OUT while away ACKNOWLEDGED", "IN while away RECEIVED");
        assertThat(onFx(() -> table.getColumns().stream().map(c -> c.getText()).toList()))
                .containsExactly("Time", "Direction", "Type", "Size", "From", "To", "Retry", "State", "Data");

        robot.clickOn(onFx(() -> inspector.getScene().getRoot().lookup("#inspector-filter"))).write("out");
        await().atMost(WAIT).until(() -> onFx(() -> table.getItems().size()) == 2);

        Path csv = dir.resolve("export/signals.csv");
        onFx(() -> app.windows().useExportChooser(owner -> Optional.of(new SignalInspectorView.ExportChoice(csv, Format.CSV))));
        robot.clickOn(onFx(() -> inspector.getScene().getRoot().lookup("#inspector-export")));
        await().atMost(WAIT).until(() -> Files.exists(csv));
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains(",OUT,").contains("ACKNOWLEDGED").endsWith(",before");
        assertThat(lines.get(2)).contains(",OUT,").contains("ACKNOWLEDGED").endsWith(",while away");

        Path jsonl = dir.resolve("export/signals.jsonl");
        onFx(() -> app.windows().useExportChooser(owner -> Optional.of(new SignalInspectorView.ExportChoice(jsonl, Format.JSON_LINES))));
        onFx(() -> ((TextField) inspector.getScene().getRoot().lookup("#inspector-filter")).setText(""));
        robot.clickOn(onFx(() -> inspector.getScene().getRoot().lookup("#inspector-export")));
        await().atMost(WAIT).until(() -> Files.exists(jsonl));
        assertThat(Files.readAllLines(jsonl, StandardCharsets.UTF_8)).hasSize(4)
                .allSatisfy(line -> assertThat(line).startsWith("{\"id\":"))
                .anySatisfy(line -> assertThat(line).contains("\"state\":\"RECEIVED\"", "\"data\":\"while away\""));
    }

    // ---- what the tester does ----

    private void shortcut(KeyCode key) {
        onFx(() -> chat.toFront());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, key).release(key, KeyCode.SHIFT, KeyCode.CONTROL);
        robot.sleep(100);
    }

    private void latency(String millis) {
        shortcut(KeyCode.L);
        TextField field = robot.lookup("#qa-number").queryAs(TextField.class);
        onFx(() -> field.setText(millis));
        robot.clickOn(field).type(KeyCode.ENTER);
        robot.sleep(100);
    }

    private void say(String text) {
        onFx(() -> chat.toFront());
        TextArea composer = onFx(() -> (TextArea) chat.getScene().getRoot().lookup("#composer"));
        robot.clickOn(composer).write(text, 0).type(KeyCode.ENTER);
    }

    // ---- what the tester sees ----

    private QaTools qa() {
        return onFx(() -> app.windows().qaTools(chat));
    }

    private List<SignalRecord> records() {
        return onFx(() -> List.copyOf(app.windows().qaTools(chat).inspectingRecords()));
    }

    private long count(SignalRecord.Direction direction, SignalRecord.State state) {
        return records().stream().filter(r -> r.direction() == direction && r.state() == state).count();
    }

    private String linkText() {
        return onFx(() -> ((Label) chat.getScene().getRoot().lookup("#link-status")).getText());
    }

    private void awaitLink(String text) {
        await().atMost(WAIT).until(() -> linkText().equals(text));
    }

    private boolean badgeShown() {
        return onFx(() -> chat.getScene().getRoot().lookup("#faults-badge").isVisible());
    }

    private String badgeText() {
        return onFx(() -> ((Label) chat.getScene().getRoot().lookup("#faults-badge")).getText());
    }

    private static Optional<Stage> chatStage() {
        return onFx(() -> Window.getWindows().stream()
                .filter(w -> w instanceof Stage s && s.getScene() != null && s.getScene().getRoot().lookup("#link-status") != null)
                .map(w -> (Stage) w).findFirst());
    }

    static <T> T onFx(java.util.concurrent.Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        if (Platform.isFxApplicationThread()) task.run(); else Platform.runLater(task);
        try {
            return task.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void onFx(Runnable work) {
        onFx(() -> {
            work.run();
            return null;
        });
    }
}
