package io.signalbox.app.qa;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.app.service.SignalingService;
import io.signalbox.client.Connection;
import io.signalbox.client.ErrorCode;
import io.signalbox.client.FaultInjector;
import io.signalbox.client.QueuedSignal;
import io.signalbox.client.SessionListener;
import io.signalbox.client.Signal;
import io.signalbox.client.SignalingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inspector's recording service and its ViewModel, without the toolkit. */
class SignalInspectorTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);
    private final FakeService fake = new FakeService();
    private final InspectingSignalingService service = new InspectingSignalingService(fake, clock);
    private final SignalInspectorViewModel vm = new SignalInspectorViewModel(service.records());
    private final Connection bob = new Connection("bob-id", Instant.EPOCH, "name=Bob");

    SignalInspectorTest() {
        service.setListener(new SessionListener() {});
    }

    @Test
    @DisplayName("an outgoing signal goes from sent to acknowledged, or to failed with its code")
    void outgoingStates() {
        service.send("chat", "héllo", null, true);
        service.send("chat", "psst", bob, false);
        SignalRecord toAll = vm.all().get(0);
        SignalRecord toBob = vm.all().get(1);
        assertThat(toAll.state()).isEqualTo(SignalRecord.State.SENT);
        assertThat(toAll.size()).isEqualTo(6);
        assertThat(toAll.to()).isEqualTo("everyone");
        assertThat(toBob.to()).isEqualTo("bob-id");
        assertThat(toBob.retry()).isFalse();

        fake.sends.get(0).complete(null);
        fake.sends.get(1).completeExceptionally(new SignalingException(ErrorCode.NOT_CONNECTED, "offline"));
        assertThat(toAll.state()).isEqualTo(SignalRecord.State.ACKNOWLEDGED);
        assertThat(toBob.state()).isEqualTo(SignalRecord.State.FAILED);
        assertThat(toBob.failure()).contains("1010").contains("offline");
    }

    @Test
    @DisplayName("while reconnecting a retried send is queued, and becomes sent when the link is back")
    void queuedWhileReconnecting() {
        fake.listener.onReconnecting(null);
        service.send("chat", "later", null, true);
        service.send("chat", "now or never", null, false);
        assertThat(vm.all()).extracting(SignalRecord::state)
                .containsExactly(SignalRecord.State.QUEUED, SignalRecord.State.SENT);
        fake.listener.onReconnected(null);
        assertThat(vm.all().get(0).state()).isEqualTo(SignalRecord.State.SENT);
    }

    @Test
    @DisplayName("incoming signals are recorded with their sender, or 'server'")
    void incoming() {
        fake.listener.onSignal(null, new Signal("chat", "hi", bob, false, Instant.EPOCH));
        fake.listener.onSignal(null, new Signal("notice", "from above", null, false, Instant.EPOCH));
        assertThat(vm.all()).extracting(SignalRecord::from).containsExactly("bob-id", "server");
        assertThat(vm.all()).extracting(SignalRecord::direction)
                .containsOnly(SignalRecord.Direction.IN);
    }

    @Test
    @DisplayName("the filter matches the chosen column, ignoring case, and follows state changes")
    void filter() {
        service.send("chat", "a", null, true);
        service.send("cursor", "b", bob, true);
        fake.listener.onSignal(null, new Signal("chat", "c", bob, true, Instant.EPOCH));

        vm.columnProperty().set(SignalInspectorViewModel.Column.TYPE);
        vm.filterProperty().set("CURSOR");
        assertThat(vm.shown()).extracting(SignalRecord::data).containsExactly("b");

        vm.columnProperty().set(SignalInspectorViewModel.Column.STATE);
        vm.filterProperty().set("acknowledged");
        assertThat(vm.shown()).isEmpty();
        fake.sends.get(0).complete(null);
        assertThat(vm.shown()).extracting(SignalRecord::data).containsExactly("a");

        vm.columnProperty().set(SignalInspectorViewModel.Column.ANY);
        vm.filterProperty().set("bob-id");
        assertThat(vm.shown()).extracting(SignalRecord::data).containsExactly("b", "c");
    }

    @Test
    @DisplayName("export writes the shown signals as CSV, quoting what needs it, or as JSON Lines")
    void export(@TempDir Path dir) throws Exception {
        service.send("chat", "one, \"two\"\nthree", null, true);
        fake.listener.onSignal(null, new Signal("chat", "plain", bob, false, Instant.EPOCH));

        Path csv = dir.resolve("signals.csv");
        assertThat(vm.export(csv, SignalInspectorViewModel.Format.CSV)).isEqualTo(2);
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        assertThat(text).startsWith("id,time,direction,type,size,from,to,retry,state,failure,data\n");
        assertThat(text).contains("\"one, \"\"two\"\"\nthree\"");
        assertThat(text).contains("IN,chat,5,bob-id,everyone,,RECEIVED,,plain");

        Path jsonl = dir.resolve("signals.jsonl");
        vm.filterProperty().set("plain");
        assertThat(vm.export(jsonl, SignalInspectorViewModel.Format.JSON_LINES)).isEqualTo(1);
        List<String> lines = Files.readAllLines(jsonl);
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line).contains("\"direction\":\"IN\"").contains("\"data\":\"plain\"").contains("\"from\":\"bob-id\"");
        });
    }

    /** A service whose sends wait for the test to settle them, and whose listener the test drives. */
    private static final class FakeService implements SignalingService {
        final List<CompletableFuture<Void>> sends = new ArrayList<>();
        SessionListener listener;

        @Override
        public void setListener(SessionListener listener) {
            this.listener = listener;
        }

        @Override
        public CompletableFuture<Void> connect(String token) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> send(String type, String data, Connection to, boolean retry) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            sends.add(f);
            return f;
        }

        @Override
        public List<QueuedSignal> queuedSignals() {
            return List.of();
        }

        @Override
        public boolean cancel(QueuedSignal signal) {
            return false;
        }

        @Override
        public Connection self() {
            return new Connection("me-id", Instant.EPOCH, "");
        }

        @Override
        public List<Connection> connections() {
            return List.of();
        }

        @Override
        public String disconnectMessage() {
            return null;
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public FaultInjector faults() {
            return null;
        }
    }
}
