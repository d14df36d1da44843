package io.signalbox.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.client.internal.Transport;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Makes {@link FakeTransport}s and hands each to the test. */
final class FakeTransportFactory implements Transport.Factory {
    /** Transports made and not yet taken by the test, oldest first. */
    private final BlockingQueue<FakeTransport> created = new LinkedBlockingQueue<>();
    /** While set, every new link fails to open with it, as with no network; set by the test. */
    private volatile Throwable refusal;
    /** How many links failed to open because of {@link #refusal}. */
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Transport create() {
        Throwable failure = refusal;
        if (failure != null) {
            refused.incrementAndGet();
            return new Transport() {
                @Override
                public void open(java.net.URI uri, io.signalbox.client.internal.TransportListener listener) {
                    listener.onFailure(failure);
                }

                @Override
                public void send(String frame) {}

                @Override
                public void close(int code, String reason) {}

                @Override
                public void abort() {}
            };
        }
        FakeTransport transport = new FakeTransport();
        created.add(transport);
        return transport;
    }

    /** The next transport the session made. */
    FakeTransport next() {
        try {
            FakeTransport transport = created.poll(FakeTransport.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(transport).as("a transport made").isNotNull();
            return transport;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** From now on every new link fails to open with {@code failure}; null lets them open again. */
    void refuseAll(Throwable failure) {
        refusal = failure;
    }

    /** How many links failed to open while refusing. */
    int refusedCount() {
        return refused.get();
    }

    /** Whether no transport was made since the last {@link #next()}. */
    boolean noneMade() {
        return created.isEmpty();
    }
}
