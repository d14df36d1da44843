package io.signalbox.app;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to an exception nothing caught: it is logged with its stack trace, and when it came
 * from the UI thread (a button's handler, a listener) the person is told in plain words, without the
 * stack trace, where the details are. The UI thread goes on; nothing freezes. Exceptions of other
 * threads are only logged: background work reports its failures through its own results.
 */
public final class UncaughtErrors implements Thread.UncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(UncaughtErrors.class);

    private final Executor ui;
    private final BooleanSupplier onUiThread;
    private final Consumer<String> tell;
    private final Path logFile;

    /**
     * @param ui         runs the telling on the UI thread
     * @param onUiThread whether the calling thread is the UI thread
     * @param tell       shows a message to the person (an alert in the app)
     * @param logFile    the log file, named in the message
     */
    public UncaughtErrors(Executor ui, BooleanSupplier onUiThread, Consumer<String> tell, Path logFile) {
        this.ui = Objects.requireNonNull(ui, "ui");
        this.onUiThread = Objects.requireNonNull(onUiThread, "onUiThread");
        this.tell = Objects.requireNonNull(tell, "tell");
        this.logFile = Objects.requireNonNull(logFile, "logFile");
    }

    @Override
    public void uncaughtException(Thread thread, Throwable failure) {
        try {
            log.error("unexpected failure on thread {}", thread.getName(), failure);
        } catch (RuntimeException loggingFailed) {
            // Nothing sensible is left to do with it; telling the person still is.
        }
        if (!onUiThread.getAsBoolean()) return;
        // Told later, not now: the failure may have come in the middle of a layout pass, where a
        // window cannot be opened.
        String message = message();
        ui.execute(() -> {
            try {
                tell.accept(message);
            } catch (RuntimeException tellingFailed) {
                log.error("cannot show the error to the person", tellingFailed);
            }
        });
    }

    /** What the person reads: what happened, that they can go on, and where the details are. */
    String message() {
        return "Signalbox ran into an unexpected problem and stopped what it was doing. You can go on "
                + "using it; if something looks wrong, close the window and open it again.\n\n"
                + "The details are in the log file: " + logFile;
    }
}
