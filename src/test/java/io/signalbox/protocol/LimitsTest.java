package io.signalbox.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LimitsTest {

    @Test
    @DisplayName("a type of exactly 128 characters is valid, 129 is too long")
    void typeLengthBoundary() {
        assertThat(Limits.checkSignal("a".repeat(128), "")).isNull();
        assertThat(Limits.checkSignal("a".repeat(129), "")).isEqualTo(WireError.SIGNAL_TYPE_TOO_LONG);
    }

    @Test
    @DisplayName("an empty type and empty data are allowed")
    void emptyIsValid() {
        assertThat(Limits.checkSignal("", "")).isNull();
    }

    @Test
    @DisplayName("every allowed type character passes")
    void allowedCharacters() {
        assertThat(Limits.checkSignal("AZaz09-_~", "x")).isNull();
    }

    @ParameterizedTest(name = "type \"{0}\" is invalid")
    @ValueSource(strings = {"with space", "é", "a.b", "a/b", "chat!", "\u0000", "emoji\uD83D\uDE00", "a+b"})
    @DisplayName("a type with a character outside A-Z a-z 0-9 - _ ~ is invalid")
    void invalidCharacters(String type) {
        assertThat(Limits.checkSignal(type, "")).isEqualTo(WireError.INVALID_SIGNAL_TYPE);
    }

    @Test
    @DisplayName("a type both too long and invalid is reported as too long: length is checked first")
    void lengthBeforeCharacters() {
        assertThat(Limits.checkSignal(" ".repeat(129), "")).isEqualTo(WireError.SIGNAL_TYPE_TOO_LONG);
    }

    @Test
    @DisplayName("data of exactly 8192 UTF-8 bytes is valid, 8193 is too long")
    void dataBoundaryAscii() {
        assertThat(Limits.checkSignal("t", "x".repeat(8192))).isNull();
        assertThat(Limits.checkSignal("t", "x".repeat(8193))).isEqualTo(WireError.SIGNAL_DATA_TOO_LONG);
    }

    @Test
    @DisplayName("data is measured in UTF-8 bytes, not characters")
    void dataBoundaryMultiByte() {
        // "€" is three bytes: 2730 of them are 8190 bytes, 2731 are 8193.
        assertThat(Limits.checkSignal("t", "€".repeat(2730))).isNull();
        assertThat(Limits.checkSignal("t", "€".repeat(2731))).isEqualTo(WireError.SIGNAL_DATA_TOO_LONG);
        // An emoji is a surrogate pair: two chars, four bytes. 2048 of them are exactly 8192 bytes.
        assertThat(Limits.checkSignal("t", "\uD83D\uDE00".repeat(2048))).isNull();
        assertThat(Limits.checkSignal("t", "\uD83D\uDE00".repeat(2048) + "x")).isEqualTo(WireError.SIGNAL_DATA_TOO_LONG);
        // "é" is two bytes.
        assertThat(Limits.checkSignal("t", "é".repeat(4096))).isNull();
        assertThat(Limits.checkSignal("t", "é".repeat(4096) + "x")).isEqualTo(WireError.SIGNAL_DATA_TOO_LONG);
    }

    @Test
    @DisplayName("the type is checked before the data")
    void typeBeforeData() {
        assertThat(Limits.checkSignal("a b", "x".repeat(9000))).isEqualTo(WireError.INVALID_SIGNAL_TYPE);
    }

    @Test
    @DisplayName("utf8Length agrees with the JDK's encoder, lone surrogates included")
    void utf8LengthMatchesEncoder() {
        for (String s : new String[] {"", "abc", "é", "€", "\uD83D\uDE00", "a\uD83Db", "\uDE00", "mixed é€\uD83D\uDE00x"}) {
            assertThat(Limits.utf8Length(s))
                    .as(s)
                    .isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    @Test
    @DisplayName("missing type or data is invalid, not a crash")
    void nulls() {
        assertThat(Limits.checkSignal(null, "")).isEqualTo(WireError.INVALID_SIGNAL_TYPE);
        assertThat(Limits.checkSignal("t", null)).isEqualTo(WireError.INVALID_SIGNAL_DATA);
    }
}
