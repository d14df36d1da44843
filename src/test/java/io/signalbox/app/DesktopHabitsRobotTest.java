package io.signalbox.app;

import static io.signalbox.app.QaMenuRobotTest.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signalbox.app.service.AppPaths;
import io.signalbox.app.service.HostedSession;
import io.signalbox.app.service.Settings.Theme;
import io.signalbox.app.service.SettingsStore;
import io.signalbox.server.auth.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The desktop habits that outlive a run, headless: the theme chosen in the View menu and where the
 * windows were come back when the app starts again on the same data folder. The app is built twice.
 */
class DesktopHabitsRobotTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final FxRobot robot = new FxRobot();
    private SignalboxApp app;
    private HostedSession session;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) quit();
        if (session != null) session.close();
    }

    @Test
    @DisplayName("the theme switched to Dark and the windows' places survive a restart of the app")
    void survivesRestart() throws Exception {
        session = HostedSession.start(false);

        start();
        Stage start = await().atMost(WAIT).until(() -> window("Signalbox"), Optional::isPresent).orElseThrow();
        onFx(() -> {
            start.setX(40);
            start.setY(30);
            start.setWidth(1000);
            start.setHeight(760);
        });
        // Joining closes the start screen, which remembers its place as it goes.
        Stage chat = joinAsGuest();
        assertThat(stylesheets(chat)).anyMatch(s -> s.endsWith("theme-light.css"));
        onFx(() -> {
            chat.setX(120);
            chat.setY(90);
            chat.setWidth(1100);
            chat.setHeight(720);
        });

        robot.clickOn("View").clickOn("Theme").clickOn("Dark");
        await().atMost(WAIT).until(() -> stylesheets(chat).stream().anyMatch(s -> s.endsWith("theme-dark.css")));
        assertThat(stylesheets(chat)).noneMatch(s -> s.endsWith("theme-light.css"));
        quit();

        assertThat(new SettingsStore(dir.resolve("settings.json")).load().theme()).isEqualTo(Theme.DARK);

        start();
        Stage again = await().atMost(WAIT).until(() -> window("Signalbox"), Optional::isPresent).orElseThrow();
        assertThat(stylesheets(again)).anyMatch(s -> s.endsWith("theme-dark.css"));
        assertThat(onFx(() -> List.of(again.getX(), again.getY(), again.getWidth(), again.getHeight())))
                .containsExactly(40.0, 30.0, 1000.0, 760.0);
        Stage chatAgain = joinAsGuest();
        assertThat(stylesheets(chatAgain)).anyMatch(s -> s.endsWith("theme-dark.css"));
        assertThat(onFx(() -> List.of(chatAgain.getX(), chatAgain.getY(), chatAgain.getWidth(), chatAgain.getHeight())))
                .containsExactly(120.0, 90.0, 1100.0, 720.0);
        MenuItem dark = onFx(() -> themeItem(chatAgain, "theme-dark"));
        assertThat(onFx(() -> ((javafx.scene.control.RadioMenuItem) dark).isSelected())).isTrue();
    }

    @Test
    @DisplayName("QA and View menus list their shortcuts; the faults badge and inspector controls have accessible text")
    void menusAndAccessibleText() throws Exception {
        session = HostedSession.start(false);
        start();
        await().atMost(WAIT).until(() -> window("Signalbox"), Optional::isPresent);
        Stage chat = joinAsGuest();

        List<String> shortcuts = onFx(() -> menu(chat, "qa-menu").getItems().stream()
                .filter(i -> i.getAccelerator() != null).map(i -> i.getText() + " " + i.getAccelerator().getDisplayText()).toList());
        assertThat(shortcuts).hasSize(5);
        assertThat(onFx(() -> menu(chat, "qa-menu").getText())).isEqualTo("_QA");
        assertThat(onFx(() -> menu(chat, "qa-menu").getItems().stream().filter(i -> "qa-stop-server".equals(i.getId()))
                .findFirst().orElseThrow().isVisible())).as("a guest hosts no server to stop").isFalse();
        assertThat(onFx(() -> ((Labeled) chat.getScene().getRoot().lookup("#faults-badge")).getAccessibleText()))
                .startsWith("Faults in force");
        assertThat(onFx(() -> chat.getIcons().size())).isGreaterThan(0);
    }

    // ----

    private void start() throws Exception {
        app = new SignalboxApp(new AppPaths(dir));
        FxToolkit.setupApplication(() -> app);
    }

    private void quit() throws Exception {
        // Windows first, as quitting closes them: each saves its place as it goes.
        FxToolkit.cleanupStages();
        FxToolkit.cleanupApplication(app);
        app = null;
    }

    private Stage joinAsGuest() {
        onFx(() -> app.windows().openChat(new JoinTarget(session.url(), session.sessionId(),
                session.token(Role.PUBLISHER, "Grace"), "Grace"), null));
        return await().atMost(WAIT).until(() -> window("Grace"), Optional::isPresent).orElseThrow();
    }

    private static Optional<Stage> window(String titlePart) {
        return onFx(() -> Window.getWindows().stream()
                .filter(w -> w instanceof Stage s && s.isShowing() && s.getTitle() != null && s.getTitle().contains(titlePart)
                        && (titlePart.equals("Signalbox") ? s.getScene().getRoot().lookup("#link-status") == null : true))
                .map(w -> (Stage) w).findFirst());
    }

    private static List<String> stylesheets(Stage stage) {
        return onFx(() -> List.copyOf(stage.getScene().getStylesheets()));
    }

    private static Menu menu(Stage stage, String id) {
        MenuBar bar = (MenuBar) ((Parent) stage.getScene().getRoot()).lookup("#menu-bar");
        return bar.getMenus().stream().filter(m -> id.equals(m.getId())).findFirst().orElseThrow();
    }

    private static MenuItem themeItem(Stage stage, String id) {
        Menu theme = (Menu) menu(stage, "view-menu").getItems().getFirst();
        return theme.getItems().stream().filter(i -> id.equals(i.getId())).findFirst().orElseThrow();
    }
}
