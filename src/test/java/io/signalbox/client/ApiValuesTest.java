package io.signalbox.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signalbox.client.internal.SessionConfig;
import io.signalbox.protocol.WireError;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The small value types of the API, and the builder's checks. */
class ApiValuesTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(WireError.class)
    @DisplayName("every wire error has an ErrorCode of the same name and number")
    void everyWireErrorMaps(WireError wire) {
        ErrorCode code = ErrorCode.valueOf(wire.name());
        assertThat(code.number()).isEqualTo(wire.code());
        assertThat(ErrorCode.fromNumber(wire.code())).isEqualTo(code);
    }

    @Test
    @DisplayName("error numbers are unique, and OpenTok's where OpenTok has them")
    void errorNumbers() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::number)).doesNotHaveDuplicates();
        assertThat(ErrorCode.NOT_CONNECTED.number()).isEqualTo(1010);
        assertThat(ErrorCode.SIGNAL_DATA_TOO_LONG.number()).isEqualTo(1413);
        assertThat(ErrorCode.SIGNAL_TYPE_TOO_LONG.number()).isEqualTo(1414);
        assertThat(ErrorCode.INVALID_SIGNAL_TYPE.number()).isEqualTo(1461);
        assertThat(ErrorCode.AUTHENTICATION_FAILED.number()).isEqualTo(1004);
        assertThat(ErrorCode.CONNECT_FAILED.number()).isEqualTo(1006);
        assertThat(ErrorCode.DELIVERY_UNKNOWN.number()).isEqualTo(1512);
        assertThat(ErrorCode.fromNumber(4242)).isNull();
    }

    @Test
    @DisplayName("a SignalingException carries its code and reads well")
    void signalingException() {
        SignalingException e = new SignalingException(ErrorCode.NOT_CONNECTED, "the session is not connected");
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_CONNECTED);
        assertThat(e).hasMessage("the session is not connected")
                .hasToString("SignalingException[NOT_CONNECTED 1010]: the session is not connected");
    }

    @Test
    @DisplayName("connections are equal by id alone")
    void connectionEquality() {
        Connection a = new Connection("c1", Instant.ofEpochMilli(1), "alice");
        Connection sameId = new Connection("c1", Instant.EPOCH, null);
        Connection other = new Connection("c2", Instant.ofEpochMilli(1), "alice");

        assertThat(a).isEqualTo(sameId).hasSameHashCodeAs(sameId).isNotEqualTo(other);
        assertThat(sameId.getData()).isEmpty();
    }

    @Test
    @DisplayName("signal options retry after reconnect by default")
    void signalOptions() {
        assertThat(SignalOptions.defaults().retryAfterReconnect()).isTrue();
        assertThat(SignalOptions.builder().build().retryAfterReconnect()).isTrue();
        assertThat(SignalOptions.builder().retryAfterReconnect(false).build().retryAfterReconnect()).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://127.0.0.1:8080, ws://127.0.0.1:8080/ws",
            "http://127.0.0.1:8080/, ws://127.0.0.1:8080/ws",
            "https://signal.example.com, wss://signal.example.com/ws",
            "HTTPS://signal.example.com/base/, wss://signal.example.com/base/ws",
            "http://localhost:9000/a/b?x=1, ws://localhost:9000/a/b/ws"})
    @DisplayName("the WebSocket endpoint is /ws under the http(s) base URL")
    void webSocketUri(String base, String expected) {
        assertThat(SessionConfig.webSocketUri(URI.create(base))).isEqualTo(URI.create(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws://127.0.0.1:8080", "ftp://example.com", "127.0.0.1:8080", "/relative"})
    @DisplayName("the builder refuses a server URL that is not http(s) with a host")
    void badServerUrl(String url) {
        assertThatThrownBy(() -> Session.builder(URI.create(url), "s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("the builder refuses timeouts that are not positive")
    void badTimeouts() {
        Session.Builder builder = Session.builder(URI.create("http://localhost"), "s");
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.disconnectTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
