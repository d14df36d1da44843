package io.signalbox.app;

import io.signalbox.app.qa.InspectingSignalingService;
import io.signalbox.app.service.AppPaths;
import io.signalbox.app.service.ConnectionData;
import io.signalbox.app.service.HostCertificate;
import io.signalbox.app.service.HostedSession;
import io.signalbox.app.service.SdkSignalingService;
import io.signalbox.app.service.SettingsStore;
import io.signalbox.app.service.SignalingService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop app's composition root: the one place that builds the object graph (data folder, log
 * file, settings, the UI executor, the clock, the signaling services, the windows) and the one place
 * that knows {@code Platform.runLater}. Started by {@code signalbox} with no command, or with an
 * invite link as its only argument.
 */
public final class SignalboxApp extends Application {
    private static final Logger log = LoggerFactory.getLogger(SignalboxApp.class);
    /**
     * The argument that makes the app open its start screen, print the time from process start to the
     * first frame of that window, and quit: the installers' start-up training run and measurements.
     */
    public static final String STARTUP_PROBE = "--startup-probe=true";

    /** The data folder to use, or null for the platform's; fixed at construction. */
    private final AppPaths chosenPaths;
    /** The log file in the data folder; set by start, closed by stop. */
    private FileLog fileLog;
    /** The windows, built by start; stop ends their hosted sessions. */
    private AppWindows windows;
    /** The handler that was in place before start, put back by stop. */
    private Thread.UncaughtExceptionHandler previousHandler;

    /** The app on the platform's data folder ({@code SIGNALBOX_DATA_DIR} overrides it). */
    public SignalboxApp() {
        this(null);
    }

    /** The app on a data folder of the caller's choice (tests use a temporary one). */
    public SignalboxApp(AppPaths paths) {
        this.chosenPaths = paths;
    }

    @Override
    public void start(Stage primaryStage) {
        AppPaths paths = chosenPaths != null ? chosenPaths : AppPaths.current();
        fileLog = FileLog.install(paths.logFile());
        log.info("Signalbox starting; data folder {}", paths.dataDir());

        Executor ui = Platform::runLater;
        SettingsStore settings = new SettingsStore(paths.settingsFile());
        Clock clock = Clock.systemUTC();
        // Every participant's service records its signals for the QA menu's inspector.
        Function<JoinTarget, SignalingService> services =
                // The saved name goes along for tokens that carry none (a guest's invitation): the token's
                // own data, the host's word, wins where it has any. The link's fingerprint, when there is
                // one, is the only certificate the participant trusts.
                target -> new InspectingSignalingService(new SdkSignalingService(target.serverUrl(), target.sessionId(),
                        target.fingerprint(), ConnectionData.forName(settings.load().displayName()), ui), clock);
        BackgroundTasks tasks = BackgroundTasks.onDaemonThreads(ui);
        // Made on the first session hosted on the network, and kept in the data folder for the next ones.
        HostCertificate certificate = new HostCertificate(paths.hostCertificateFile(), clock, new SecureRandom());
        windows = new AppWindows(paths, settings, ui, clock, services, tasks,
                onNetwork -> HostedSession.start(onNetwork, certificate), getHostServices());

        UncaughtErrors errors = new UncaughtErrors(ui, Platform::isFxApplicationThread, windows::showUnexpectedError,
                paths.logFile());
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(errors);
        // The UI thread may carry a handler of its own that prints to the console; ours replaces it.
        Thread.currentThread().setUncaughtExceptionHandler(errors);

        // The primary stage stays unused: every window, the first included, is opened through Windows.
        List<String> arguments = getParameters() == null ? List.of() : getParameters().getUnnamed();
        if (getParameters() != null && getParameters().getNamed().containsKey("startup-probe")) {
            windows.showStart();
            reportFirstFrameAndQuit();
        } else if (arguments.isEmpty()) {
            windows.showStart();
        } else {
            windows.openLink(arguments.getFirst());
        }
    }

    /**
     * Prints how long after the process started the start screen reached its first pulse, then quits.
     * The post-layout listener runs in the pulse that hands the first frame to the renderer.
     */
    private void reportFirstFrameAndQuit() {
        Scene scene = windows.startScene().orElseThrow();
        AtomicBoolean reported = new AtomicBoolean();
        scene.addPostLayoutPulseListener(() -> {
            if (reported.compareAndSet(false, true)) {
                String elapsed = ProcessHandle.current().info().startInstant()
                        .map(t -> Duration.between(t, Instant.now()).toMillis() + " ms")
                        .orElse("an unknown time");
                System.out.println("first window drawn " + elapsed + " after the process started");
                Platform.runLater(Platform::exit);
            }
        });
    }

    @Override
    public void stop() {
        log.info("Signalbox quitting");
        if (windows != null) {
            windows.endHostedSessions();
            windows.dispose();
        }
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        Thread.currentThread().setUncaughtExceptionHandler(null);
        if (fileLog != null) fileLog.close();
    }

    /** The windows, for the robot tests. */
    AppWindows windows() {
        return windows;
    }
}
