package io.signalbox.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invite links: what is formatted reads back the same, and a bad link is refused in words. */
class InviteLinkTest {

    @Test
    @DisplayName("a link formats with every parameter URL-encoded and parses back to the same invitation")
    void roundTrip() {
        InviteLink link = new InviteLink(URI.create("https://chat.example.com:8443/base?x=1"),
                "1_MX4x+MjM=/ü", "T1==cGFydG5lcl9pZD0xJnNpZz1hYmM6ZGF0YT0mbmFtZT1BZGE=");

        String text = link.format();

        assertThat(text).startsWith("signalbox://join?url=https%3A%2F%2Fchat.example.com%3A8443%2Fbase%3Fx%3D1&session=");
        assertThat(text).doesNotContain(" ", "ü", "+M", "/ü");
        assertThat(InviteLink.parse(text)).isEqualTo(link);
    }

    @Test
    @DisplayName("parameters this version does not know are kept, in order, and written back")
    void extraParameters() {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("role", "moderator");
        extra.put("v", "2");
        InviteLink link = new InviteLink(URI.create("http://h:1"), "s", "t", extra);

        InviteLink back = InviteLink.parse(link.format());

        assertThat(back.extra()).containsExactly(Map.entry("role", "moderator"), Map.entry("v", "2"));
        assertThat(back.format()).isEqualTo(link.format());
    }

    @Test
    @DisplayName("spaces around a pasted link, upper-case scheme and a trailing slash after join are accepted")
    void lenientReading() {
        InviteLink link = InviteLink.parse("  SIGNALBOX://join/?session=s&token=t&url=http%3A%2F%2F127.0.0.1%3A7400 \n");

        assertThat(link).isEqualTo(new InviteLink(URI.create("http://127.0.0.1:7400"), "s", "t"));
        assertThat(InviteLink.looksLikeLink(" signalbox://join?x")).isTrue();
        assertThat(InviteLink.looksLikeLink("http://127.0.0.1:7400")).isFalse();
        assertThat(InviteLink.looksLikeLink(null)).isFalse();
    }

    @Test
    @DisplayName("a link carries the certificate's fingerprint as fp, in 64 hex digits, and reads it back in any form")
    void fingerprint() {
        String fp = "0123456789abcdef".repeat(4);
        InviteLink link = new InviteLink(URI.create("https://192.168.1.20:7400"), "s", "t",
                fp.toUpperCase().replaceAll("(..)(?!$)", "$1:"), Map.of());

        assertThat(link.fingerprint()).isEqualTo(fp);
        assertThat(link.format()).isEqualTo("signalbox://join?url=https%3A%2F%2F192.168.1.20%3A7400&session=s&token=t&fp=" + fp);
        assertThat(InviteLink.parse(link.format())).isEqualTo(link);
        assertThat(InviteLink.parse(link.format()).extra()).isEmpty();
    }

    @Test
    @DisplayName("a link without fp, as earlier versions wrote them, still opens, trusting the system's certificates")
    void linkWithoutFingerprint() {
        InviteLink old = InviteLink.parse("signalbox://join?url=http%3A%2F%2F192.168.1.20%3A7400&session=s&token=t");

        assertThat(old.fingerprint()).isEmpty();
        assertThat(old.format()).doesNotContain("fp=");
        assertThat(old).isEqualTo(new InviteLink(URI.create("http://192.168.1.20:7400"), "s", "t"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("a bad link is refused with a message a person can act on")
    @CsvSource(delimiter = '|', value = {
            "''                                                              | The invite link is empty.",
            "http://127.0.0.1:7400                                           | An invite link starts with signalbox://join?",
            "signalbox://leave?url=http%3A%2F%2Fh%3A1&session=s&token=t      | not an invitation to join",
            "signalbox://join?session=s&token=t                              | The invite link has no url.",
            "signalbox://join?url=http%3A%2F%2Fh%3A1&token=t                 | The invite link has no session.",
            "signalbox://join?url=http%3A%2F%2Fh%3A1&session=s&token=        | The invite link has no token.",
            "signalbox://join?url=ftp%3A%2F%2Fh&session=s&token=t            | must be an http or https URL",
            "signalbox://join?url=http%3A%2F%2Fh%20x&session=s&token=t       | not a valid URL",
            "signalbox://join?url=%zz&session=s&token=t                      | is damaged",
            "signalbox://join?url=https%3A%2F%2Fh%3A1&session=s&token=t&fp=abc | certificate fingerprint (fp) is not 64 hex digits",
            "signalbox://join?url=http%3A%2F%2Fh%3A1&session=s&token=t&fp=0000000000000000000000000000000000000000000000000000000000000000 | its server address is not https",
    })
    void refused(String text, String message) {
        assertThatThrownBy(() -> InviteLink.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
