package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signalbox.protocol.Codec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The REST signal body on its own; {@link RestApiTest} covers it through a real server. */
class SignalRequestTest {

    @Test
    @DisplayName("a body with type and data is read as they are; a missing or null type is the empty type")
    void reads() {
        assertThat(SignalRequest.parse("{\"type\":\"chat\",\"data\":\"h\\u00e9\"}", Codec.mapper()))
                .isEqualTo(new SignalRequest("chat", "hé"));
        assertThat(SignalRequest.parse("{\"data\":\"x\"}", Codec.mapper())).isEqualTo(new SignalRequest("", "x"));
        assertThat(SignalRequest.parse("{\"type\":null,\"data\":\"x\"}", Codec.mapper()))
                .isEqualTo(new SignalRequest("", "x"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                                  | 400 | the body",
            "`[]`                                | 400 | JSON object",
            "`null`                              | 400 | JSON object",
            "`{\"type\":\"t\"}`                  | 400 | 'data' is required",
            "`{\"type\":\"t\",\"data\":5}`       | 400 | 'data' must be a string",
            "`{\"type\":5,\"data\":\"d\"}`       | 400 | 'type' must be a string",
            "`{\"type\":\"a b\",\"data\":\"d\"}` | 400 | only A-Z a-z 0-9 - _ ~",
            "`{\"type\":\"t\",\"data\":\"d\"} x` | 400 | not valid JSON",
    })
    @DisplayName("a body of the wrong shape or an invalid type is refused with 400 and the reason")
    void refuses(String body, int status, String reason) {
        assertThatThrownBy(() -> SignalRequest.parse(body, Codec.mapper()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status).isEqualTo(status))
                .hasMessageContaining(reason);
    }

    @Test
    @DisplayName("a type or data over the limits is refused with 413, the type checked first")
    void tooLong() {
        String longType = "{\"type\":\"" + "a".repeat(129) + "\",\"data\":\"" + "€".repeat(2731) + "\"}";
        assertThatThrownBy(() -> SignalRequest.parse(longType, Codec.mapper()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status).isEqualTo(413))
                .hasMessageContaining("type");
        String longData = "{\"type\":\"t\",\"data\":\"" + "€".repeat(2730) + "abc\"}";
        assertThatThrownBy(() -> SignalRequest.parse(longData, Codec.mapper()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status).isEqualTo(413))
                .hasMessageContaining("8192 bytes");
        assertThat(SignalRequest.parse("{\"type\":\"t\",\"data\":\"" + "€".repeat(2730) + "ab\"}", Codec.mapper())
                .data()).hasSize(2732);
    }
}
