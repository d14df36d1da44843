package io.signalbox.chaos;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The waiting the long runs do (chaos, cluster chaos, soak): against deadlines in {@link System#nanoTime()},
 * giving up quietly when interrupted, since what they wait for is checked afterwards anyway.
 */
public final class Waits {
    /** How often a condition is polled. */
    private static final Duration POLL = Duration.ofMillis(10);

    private Waits() {}

    /** The {@link System#nanoTime()} deadline {@code within} from now. */
    public static long deadline(Duration within) {
        return System.nanoTime() + within.toNanos();
    }

    /** Sleeps until the {@link System#nanoTime()} given, or an interrupt. */
    public static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits, polling, until {@code condition} holds or the deadline passes; whether it holds. */
    public static boolean waitUntil(BooleanSupplier condition, long deadline) {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) return false;
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    /** Waits for a future until the deadline, whatever its outcome. */
    public static void awaitQuietly(Future<?> future, long deadline) {
        try {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The outcome is read from each future itself; here only the waiting matters.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
