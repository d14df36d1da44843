package io.signalbox.app;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's one way to run blocking work (starting a server, reading a file) without freezing the
 * window: the work runs on a background thread, and its outcome is handed to the UI thread. ViewModel
 * tests use {@link #direct()}, which runs everything at once on the caller's thread.
 */
public final class BackgroundTasks {
    private static final Logger log = LoggerFactory.getLogger(BackgroundTasks.class);

    private final Executor background;
    private final Executor ui;

    /**
     * @param background runs the work
     * @param ui         runs the outcome on the UI thread
     */
    public BackgroundTasks(Executor background, Executor ui) {
        this.background = Objects.requireNonNull(background, "background");
        this.ui = Objects.requireNonNull(ui, "ui");
    }

    /**
     * Each task on a daemon thread of its own: tasks are few and short, and a daemon thread never
     * keeps the app alive after its last window closed.
     */
    public static BackgroundTasks onDaemonThreads(Executor ui) {
        return new BackgroundTasks(
                Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon(true).name("signalbox-task-", 1).factory()),
                ui);
    }

    /** Runs the work and its outcome at once, on the caller's thread: for tests. */
    public static BackgroundTasks direct() {
        return new BackgroundTasks(Runnable::run, Runnable::run);
    }

    /**
     * Runs {@code work} in the background, then exactly one of {@code onSuccess} or {@code onFailure}
     * on the UI thread. An {@link Error} counts as a failure too, so that a screen waiting for the
     * work never waits forever.
     */
    public <T> void run(Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure) {
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(onSuccess, "onSuccess");
        Objects.requireNonNull(onFailure, "onFailure");
        Runnable task = () -> {
            T result;
            try {
                result = work.call();
            } catch (Exception | Error e) {
                ui.execute(() -> onFailure.accept(e));
                return;
            }
            ui.execute(() -> onSuccess.accept(result));
        };
        try {
            background.execute(task);
        } catch (RejectedExecutionException e) {
            log.warn("background work refused: {}", e.toString());
            ui.execute(() -> onFailure.accept(e));
        }
    }
}
