package io.signalbox.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenGrantTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    @DisplayName("a grant without connection data holds an empty string, never null")
    void nullDataIsEmpty() {
        assertThat(new TokenGrant("s", Role.PUBLISHER, null, T0, T1).connectionData()).isEmpty();
    }

    @Test
    @DisplayName("a grant refuses missing fields and connection data over 1000 characters")
    void validates() {
        assertThatThrownBy(() -> new TokenGrant(null, Role.PUBLISHER, "", T0, T1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("token grant is missing its sessionId");
        assertThatThrownBy(() -> new TokenGrant("s", null, "", T0, T1)).hasMessage("token grant is missing its role");
        assertThatThrownBy(() -> new TokenGrant("s", Role.PUBLISHER, "", null, T1))
                .hasMessage("token grant is missing its issuedAt");
        assertThatThrownBy(() -> new TokenGrant("s", Role.PUBLISHER, "", T0, null))
                .hasMessage("token grant is missing its expiresAt");
        assertThatThrownBy(() -> new TokenGrant("s", Role.PUBLISHER, "x".repeat(1001), T0, T1))
                .hasMessage("connection data must be at most 1000 characters; got 1001");
        assertThat(new TokenGrant("s", Role.PUBLISHER, "x".repeat(1000), T0, T1).connectionData()).hasSize(1000);
    }
}
