package io.signalbox.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Failures nothing caught: told in words when they came from the UI thread, without a stack trace. */
class UncaughtErrorsTest {
    private static final Path LOG = Path.of("/data/signalbox/signalbox.log");

    private final List<Runnable> uiQueue = new ArrayList<>();
    private final List<String> told = new ArrayList<>();

    @Test
    @DisplayName("a failure on the UI thread is told later on the UI thread, naming the log file and no exception")
    void uiFailureIsTold() {
        UncaughtErrors errors = new UncaughtErrors(uiQueue::add, () -> true, told::add, LOG);

        errors.uncaughtException(Thread.currentThread(), new NullPointerException("Cannot invoke \"String.length()\""));

        assertThat(told).as("not in the middle of whatever failed").isEmpty();
        uiQueue.forEach(Runnable::run);
        assertThat(told).singleElement().satisfies(message -> assertThat(message)
                .contains("unexpected problem")
                .contains(LOG.toString())
                .doesNotContain("NullPointerException", "String.length", "\tat "));
    }

    @Test
    @DisplayName("a failure on another thread is only logged")
    void otherThreadIsLogged() {
        UncaughtErrors errors = new UncaughtErrors(uiQueue::add, () -> false, told::add, LOG);

        errors.uncaughtException(new Thread("worker"), new IllegalStateException("boom"));

        assertThat(uiQueue).isEmpty();
        assertThat(told).isEmpty();
    }

    @Test
    @DisplayName("when telling fails too, the handler swallows it instead of failing again")
    void tellingFails() {
        UncaughtErrors errors = new UncaughtErrors(Runnable::run, () -> true, message -> {
            throw new IllegalStateException("no window");
        }, LOG);

        assertThatCode(() -> errors.uncaughtException(Thread.currentThread(), new IllegalStateException("boom")))
                .doesNotThrowAnyException();
    }
}
