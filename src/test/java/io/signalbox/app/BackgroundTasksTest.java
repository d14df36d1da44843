package io.signalbox.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Background work: done off the caller's thread, its outcome handed to the UI executor, exactly once. */
class BackgroundTasksTest {

    @Test
    @DisplayName("the work runs on a daemon thread and its result is handed to the UI executor")
    void resultOnUi() throws Exception {
        LinkedBlockingQueue<Runnable> uiQueue = new LinkedBlockingQueue<>();
        BackgroundTasks tasks = BackgroundTasks.onDaemonThreads(uiQueue::add);
        CompletableFuture<Thread> worker = new CompletableFuture<>();
        List<String> outcomes = new ArrayList<>();

        tasks.run(() -> {
            worker.complete(Thread.currentThread());
            return "done";
        }, outcomes::add, failure -> outcomes.add("failed"));

        Runnable uiStep = uiQueue.poll(5, TimeUnit.SECONDS);
        assertThat(worker.get()).isNotSameAs(Thread.currentThread());
        assertThat(worker.get().isDaemon()).isTrue();
        assertThat(outcomes).as("nothing until the UI thread runs it").isEmpty();
        assertThat(uiStep).isNotNull();
        uiStep.run();
        assertThat(outcomes).containsExactly("done");
    }

    @Test
    @DisplayName("an exception, or even an Error, in the work comes to the failure handler, never to both")
    void failures() {
        BackgroundTasks tasks = BackgroundTasks.direct();
        List<Object> outcomes = new ArrayList<>();

        tasks.run(() -> {
            throw new IllegalStateException("no port");
        }, outcomes::add, outcomes::add);
        tasks.run(() -> {
            throw new NoClassDefFoundError("gone");
        }, outcomes::add, outcomes::add);

        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.get(0)).isInstanceOf(IllegalStateException.class);
        assertThat(outcomes.get(1)).isInstanceOf(NoClassDefFoundError.class);
    }

    @Test
    @DisplayName("work the executor refuses is reported as a failure")
    void refused() {
        BackgroundTasks tasks = new BackgroundTasks(r -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }, Runnable::run);
        List<Object> outcomes = new ArrayList<>();

        tasks.run(() -> "never", outcomes::add, outcomes::add);

        assertThat(outcomes).singleElement().isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }
}
