package io.signalbox.server.auth;

import static io.signalbox.server.auth.HandMade.KEY;
import static io.signalbox.server.auth.HandMade.OTHER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionIdsTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123Z");

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a created id is 1_ and URL-safe base64 without padding of 1~key~~millis~random~")
    void createdForm() {
        String id = SessionIds.create(KEY, NOW, new Random(3));

        assertThat(id).startsWith("1_").matches("1_[A-Za-z0-9_-]+");
        String decoded = new String(Base64.getUrlDecoder().decode(id.substring(2)), StandardCharsets.UTF_8);
        String[] fields = decoded.split("~", -1);
        assertThat(fields).hasSize(6);
        assertThat(fields[0]).isEqualTo("1");
        assertThat(fields[1]).isEqualTo(KEY);
        assertThat(fields[2]).isEmpty();
        assertThat(fields[3]).isEqualTo(Long.toString(NOW.toEpochMilli()));
        assertThat(fields[4]).matches("[0-9a-z]{16}");
        assertThat(fields[5]).isEmpty();
    }

    @Test
    @DisplayName("a created id names its API key and belongs to it alone")
    void createdBelongs() {
        String id = SessionIds.create(KEY, NOW, new Random(3));

        assertThat(SessionIds.apiKeyOf(id)).contains(KEY);
        assertThat(SessionIds.belongsTo(id, KEY)).isTrue();
        assertThat(SessionIds.belongsTo(id, OTHER_KEY)).isFalse();
        assertThat(SessionIds.belongsTo(id, null)).isFalse();
    }

    @Test
    @DisplayName("ids depend only on the injected time and randomness, and differ between draws")
    void deterministic() {
        assertThat(SessionIds.create(KEY, NOW, new Random(9))).isEqualTo(SessionIds.create(KEY, NOW, new Random(9)));
        Random random = new Random(9);
        assertThat(IntStream.range(0, 100).mapToObj(i -> SessionIds.create(KEY, NOW, random)).distinct()).hasSize(100);
    }

    @Test
    @DisplayName("an id in standard base64 with padding, as other tooling writes it, is read the same")
    void standardAndPadded() {
        // Find an id whose URL-safe form uses '-' or '_', so that the standard form really differs.
        String id = IntStream.range(0, 1000)
                .mapToObj(seed -> SessionIds.create(KEY, NOW, new Random(seed)))
                .filter(candidate -> candidate.substring(2).matches(".*[-_].*"))
                .findFirst().orElseThrow();
        String body = id.substring(2);
        String standard = body.replace('-', '+').replace('_', '/');
        String padding = "=".repeat((4 - body.length() % 4) % 4);
        assertThat(standard).isNotEqualTo(body);

        assertThat(SessionIds.apiKeyOf("1_" + standard)).contains(KEY);
        assertThat(SessionIds.apiKeyOf("1_" + standard + padding)).contains(KEY);
        assertThat(SessionIds.apiKeyOf("1_" + body + padding)).contains(KEY);
    }

    @Test
    @DisplayName("an OpenTok-shaped id built by hand, with another version digit and padding, is read")
    void openTokShaped() {
        String id = "2_" + b64("1~" + KEY + "~~1565981779997~j5bx9lxKDhK+dmXbqwXW+Avuf~");

        assertThat(id).endsWith("=");
        assertThat(SessionIds.apiKeyOf(id)).contains(KEY);
        assertThat(SessionIds.apiKeyOf("1_" + b64("1~" + KEY))).contains(KEY);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"1", "1_", "x", "hello world", "1_!!!!", "1_MX4", "1_A", "a_" + "MX4xMjM0NTY3OH5-",
            "12MX4xMjM0NTY3OH5-", "1-MX4xMjM0NTY3OH5-", "_1MX4xMjM0NTY3OH5-", "1_MX4xMjM0NTY3OH5- ",
            "1_MX4xMjM0NTY3OH5-\n", "1_MX4x=MjM0NTY3OH5-"})
    @DisplayName("text that is not of the form belongs to no key, and reading it does not throw")
    void garbage(String text) {
        assertThat(SessionIds.apiKeyOf(text)).isEmpty();
        assertThat(SessionIds.belongsTo(text, KEY)).isFalse();
    }

    @ParameterizedTest(name = "fields \"{0}\"")
    @ValueSource(strings = {"", "1", "1~", "1~~~", "1~abc~~", "1~12a45678~~", "1~0123~~", "1~-5~~",
            "1~1234567890123456789~~", "1~ 12345678~~"})
    @DisplayName("decoded fields without a numeric API key in field 1 belong to no key")
    void badFields(String fields) {
        String id = "1_" + b64(fields);

        assertThat(SessionIds.apiKeyOf(id)).isEmpty();
        assertThat(SessionIds.belongsTo(id, KEY)).isFalse();
    }

    @Test
    @DisplayName("bytes that are not UTF-8 are not an id of any key")
    void notUtf8() {
        byte[] bytes = ("1~" + KEY + "~~").getBytes(StandardCharsets.UTF_8);
        bytes[3] = (byte) 0xff;
        assertThat(SessionIds.apiKeyOf("1_" + Base64.getEncoder().encodeToString(bytes))).isEmpty();
    }

    @Test
    @DisplayName("an id cannot be created for text that is not an API key")
    void createRefusesBadKey() {
        assertThatThrownBy(() -> SessionIds.create("abc", NOW, new Random(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot create a session id: \"abc\" is not an API key");
        assertThatThrownBy(() -> SessionIds.create(null, NOW, new Random(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
