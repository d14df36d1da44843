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

    @Override
    public Transport create() {
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

    /** Whether no transport was made since the last {@link #next()}. */
    boolean noneMade() {
        return created.isEmpty();
    }
}
