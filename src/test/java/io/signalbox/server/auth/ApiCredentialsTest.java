package io.signalbox.server.auth;

import static io.signalbox.server.auth.HandMade.KEY;
import static io.signalbox.server.auth.HandMade.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiCredentialsTest {

    @Test
    @DisplayName("credentials from text keep the key and the secret's UTF-8 bytes")
    void fromText() {
        ApiCredentials credentials = ApiCredentials.of(KEY, SECRET);

        assertThat(credentials.apiKey()).isEqualTo(KEY);
        assertThat(credentials.secret()).isEqualTo(SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(credentials.secretText()).isEqualTo(SECRET);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "abc", "1234a678", "-1234567", "+1234567", "1234 5678", "0123", "0",
            "1234567890123456789", "１２３"})
    @DisplayName("an API key that is not 1 to 18 digits without a leading 0 is refused, saying so")
    void badKey(String key) {
        assertThatThrownBy(() -> ApiCredentials.of(key, SECRET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("API key must be a decimal number of 1 to 18 digits, not starting with 0")
                .hasMessageContaining("got \"" + key + "\"");
    }

    @Test
    @DisplayName("API keys of 1 and of 18 digits are accepted")
    void keyLengths() {
        assertThat(ApiCredentials.of("7", SECRET).apiKey()).isEqualTo("7");
        assertThat(ApiCredentials.of("123456789012345678", SECRET).apiKey()).isEqualTo("123456789012345678");
    }

    @Test
    @DisplayName("a missing key or secret is refused with its own message")
    void missing() {
        assertThatThrownBy(() -> ApiCredentials.of(null, SECRET)).hasMessage("API key is missing");
        assertThatThrownBy(() -> ApiCredentials.of(KEY, null)).hasMessage("API secret is missing");
        assertThatThrownBy(() -> new ApiCredentials(KEY, null)).hasMessage("API secret is missing");
    }

    @Test
    @DisplayName("a secret shorter than 32 bytes is refused; 32 bytes is enough")
    void shortSecret() {
        assertThatThrownBy(() -> new ApiCredentials(KEY, new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("API secret must be at least 32 bytes (an OpenTok secret is 40 hex characters); got 31");
        assertThat(new ApiCredentials(KEY, new byte[32]).secret()).hasSize(32);
    }

    @Test
    @DisplayName("generated credentials have an 8-digit key and a secret of 40 lowercase hex characters")
    void generate() {
        ApiCredentials credentials = ApiCredentials.generate(new Random(1));

        assertThat(credentials.apiKey()).matches("[1-9][0-9]{7}");
        assertThat(credentials.secretText()).matches("[0-9a-f]{40}");
        assertThat(credentials.secret()).isEqualTo(credentials.secretText().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("generation depends only on the injected random source")
    void generateIsDeterministic() {
        assertThat(ApiCredentials.generate(new Random(5))).isEqualTo(ApiCredentials.generate(new Random(5)));
        assertThat(ApiCredentials.generate(new Random(5))).isNotEqualTo(ApiCredentials.generate(new Random(6)));
    }

    @Test
    @DisplayName("equality compares the secret's bytes, not the array's identity")
    void equality() {
        ApiCredentials a = new ApiCredentials(KEY, SECRET.getBytes(StandardCharsets.UTF_8));
        ApiCredentials b = new ApiCredentials(KEY, SECRET.getBytes(StandardCharsets.UTF_8));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(ApiCredentials.of(KEY, HandMade.OTHER_SECRET));
        assertThat(a).isNotEqualTo(ApiCredentials.of(HandMade.OTHER_KEY, SECRET));
    }

    @Test
    @DisplayName("toString shows the key and hides the secret")
    void toStringHidesSecret() {
        String text = ApiCredentials.of(KEY, SECRET).toString();

        assertThat(text).contains(KEY).doesNotContain(SECRET).doesNotContain(SECRET.substring(0, 8));
        assertThat(text).isEqualTo("ApiCredentials[apiKey=12345678, secret=<hidden>]");
    }

    @Test
    @DisplayName("the secret cannot be changed through the array given or the array returned")
    void defensiveCopies() {
        byte[] given = SECRET.getBytes(StandardCharsets.UTF_8);
        ApiCredentials credentials = new ApiCredentials(KEY, given);

        given[0] = 'X';
        credentials.secret()[1] = 'Y';

        assertThat(credentials.secretText()).isEqualTo(SECRET);
    }
}
