package io.signalbox.app.chat;

import static org.awaitility.Awaitility.await;

import io.signalbox.app.AppContext;
import io.signalbox.app.JoinTarget;
import io.signalbox.app.notify.Notifier;
import io.signalbox.app.service.AppPaths;
import io.signalbox.app.service.HostedSession;
import io.signalbox.app.service.SdkSignalingService;
import io.signalbox.app.service.SettingsStore;
import io.signalbox.app.service.SignalingService;
import io.signalbox.client.Connection;
import io.signalbox.client.Session;
import io.signalbox.client.SessionListener;
import io.signalbox.client.Signal;
import io.signalbox.server.auth.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Platform;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A real session for the robot tests: an embedded server hosted as the app hosts it, main windows on
 * real {@link SdkSignalingService}s (the UI executor is {@code Platform::runLater}, as in the app), and
 * plain SDK participants that record what they receive.
 */
final class ChatFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(15);
    /** The width of a test window: two fit side by side on the headless screen, so clicks never land on the wrong one. */
    static final double WIDTH = 640;

    final HostedSession hosting = HostedSession.start(false);
    final FakeWindows windows = new FakeWindows();
    /** The services the windows made, in the order they were made. */
    final List<SignalingService> services = new CopyOnWriteArrayList<>();
    final AppContext context;
    /** The windows opened, closed by close(). */
    private final List<ChatWindow> opened = new ArrayList<>();
    /** The SDK participants joined, disconnected by close(). */
    private final List<Session> sessions = new ArrayList<>();

    ChatFixture() {
        Path dir;
        try {
            dir = Files.createTempDirectory("signalbox-chat-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        context = new AppContext(new AppPaths(dir), new SettingsStore(dir.resolve("settings.json")), Platform::runLater,
                Clock.systemUTC(), target -> {
                    SignalingService service = new SdkSignalingService(target.serverUrl(), target.sessionId(),
                            Platform::runLater);
                    services.add(service);
                    return service;
                }, windows);
    }

    /** Opens a main window for a participant named {@code name} (the host's when hosting) and waits until it is connected. */
    ChatWindow open(String name, boolean host, double x) {
        JoinTarget target = new JoinTarget(hosting.url(), hosting.sessionId(), hosting.token(Role.PUBLISHER, name), name);
        ChatWindow window = openAt(target, host, x);
        await().atMost(WAIT).until(() -> onFx(() -> window.viewModel().link().state() == LinkState.CONNECTED));
        return window;
    }

    /** Opens a main window that joins {@code target}, without waiting for the join's outcome. */
    ChatWindow openAt(JoinTarget target, boolean host, double x) {
        ChatWindow window = onFx(() -> {
            ChatWindow w = new ChatWindow(context, target, host ? hosting : null, stage -> Notifier.NONE);
            w.stage().setX(x);
            w.stage().setY(0);
            w.stage().setWidth(WIDTH);
            w.stage().setHeight(640);
            w.show();
            return w;
        });
        opened.add(window);
        return window;
    }

    /** A participant on the plain SDK, recording every signal it receives. */
    SdkPeer sdk(String name) {
        SdkPeer participant = new SdkPeer();
        Session session = Session.builder(hosting.url(), hosting.sessionId()).listener(participant).build();
        session.connect(hosting.token(Role.PUBLISHER, name)).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        participant.session = session;
        sessions.add(session);
        return participant;
    }

    /** Runs on the FX thread and returns what it computed. */
    static <T> T onFx(Callable<T> work) {
        try {
            return WaitForAsyncUtils.asyncFx(work).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("work on the FX thread failed", e);
        }
    }

    static void onFx(Runnable work) {
        onFx(() -> {
            work.run();
            return null;
        });
    }

    @Override
    public void close() {
        for (Session session : sessions) session.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        for (ChatWindow window : opened) onFx(() -> {
            window.service().faults().releaseReconnection();
            window.leave();
        });
        hosting.close();
    }

    /** A plain SDK participant: what it received, in order. */
    static final class SdkPeer implements SessionListener {
        /** The signals received, in order; appended on the SDK's event thread. */
        final List<Signal> received = new CopyOnWriteArrayList<>();
        /** The participant's session; set once joined. */
        Session session;

        @Override
        public void onSignal(Session s, Signal signal) {
            received.add(signal);
        }

        Connection connection() {
            return session.getConnection();
        }

        List<String> texts() {
            return received.stream().map(Signal::data).toList();
        }
    }
}
