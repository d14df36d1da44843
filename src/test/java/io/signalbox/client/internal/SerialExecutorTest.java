package io.signalbox.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    @Test
    @DisplayName("tasks run one at a time, in the order they were submitted, on the named thread")
    void order() throws Exception {
        SerialExecutor executor = new SerialExecutor("serial-order", 1_000);
        BlockingQueue<String> ran = new LinkedBlockingQueue<>();
        List<Thread> submitters = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            int id = t;
            submitters.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 500; i++) {
                    int n = i;
                    executor.execute(() -> ran.add(Thread.currentThread().getName() + " " + id + " " + n));
                }
            }));
        }
        start.countDown();
        for (Thread submitter : submitters) submitter.join();

        int[] next = new int[4];
        for (int i = 0; i < 2000; i++) {
            String[] parts = ran.poll(5, TimeUnit.SECONDS).split(" ");
            assertThat(parts[0]).isEqualTo("serial-order");
            int id = Integer.parseInt(parts[1]);
            assertThat(Integer.parseInt(parts[2])).isEqualTo(next[id]++);
        }
    }

    @Test
    @DisplayName("the thread ends when idle, and a new one starts for new work")
    void threadEndsWhenIdle() throws Exception {
        SerialExecutor executor = new SerialExecutor("serial-idle", 50);
        BlockingQueue<Thread> ran = new LinkedBlockingQueue<>();

        executor.execute(() -> ran.add(Thread.currentThread()));
        Thread first = ran.poll(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.isAlive());
        executor.execute(() -> ran.add(Thread.currentThread()));
        Thread second = ran.poll(5, TimeUnit.SECONDS);

        assertThat(second).isNotSameAs(first);
        assertThat(second.isDaemon()).isTrue();
    }

    @Test
    @DisplayName("a task that throws does not stop the ones after it")
    void throwingTask() throws Exception {
        SerialExecutor executor = new SerialExecutor("serial-throw", 1_000);
        BlockingQueue<String> ran = new LinkedBlockingQueue<>();

        executor.execute(() -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        executor.execute(() -> ran.add("after"));

        assertThat(ran.poll(5, TimeUnit.SECONDS)).isEqualTo("after");
    }

    @Test
    @DisplayName("a task can tell it runs on the executor's thread")
    void runnerThread() throws Exception {
        SerialExecutor executor = new SerialExecutor("serial-runner", 1_000);
        BlockingQueue<Boolean> answers = new LinkedBlockingQueue<>();

        executor.execute(() -> answers.add(executor.isRunnerThread()));

        assertThat(answers.poll(5, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.isRunnerThread()).isFalse();
    }
}
