package io.signalbox.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            "90s   | PT1M30S",
            "30m   | PT30M",
            "24h   | PT24H",
            "7d    | PT168H",
            "1s    | PT1S",
            "2H    | PT2H",
            "' 15 m ' | PT15M",
            "'\t45s\t' | PT45S",
    })
    @DisplayName("a whole number and a unit is parsed")
    void parses(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"abc", "10", "s", "10x", "1.5h", "1h30m", "PT1H", "10 seconds", "٣s", "+5m"})
    @DisplayName("text of another form is refused, showing the expected form")
    void refusesOtherForms(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration \"" + text + "\"; expected a whole number and a unit s, m, h or d,"
                        + " e.g. 90s, 30m, 24h, 7d");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"0s", "0d", "-5m", "-0s"})
    @DisplayName("zero and negative durations are refused")
    void refusesNonPositive(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration must be positive; got \"" + text + "\"");
    }

    @Test
    @DisplayName("missing text and durations too long to hold are refused with their own message")
    void missingAndOverflow() {
        assertThatThrownBy(() -> Durations.parse(null)).hasMessageStartingWith("missing duration;");
        assertThatThrownBy(() -> Durations.parse("  ")).hasMessageStartingWith("missing duration;");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999d"))
                .hasMessage("duration \"99999999999999999999d\" is too long");
        assertThatThrownBy(() -> Durations.parse("999999999999999999d"))
                .hasMessage("duration \"999999999999999999d\" is too long");
    }
}
