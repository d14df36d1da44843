package io.signalbox.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoleTest {

    @Test
    @DisplayName("wire names are OpenTok's")
    void wireNames() {
        assertThat(Role.PUBLISHER.wireName()).isEqualTo("publisher");
        assertThat(Role.SUBSCRIBER.wireName()).isEqualTo("subscriber");
        assertThat(Role.MODERATOR.wireName()).isEqualTo("moderator");
        assertThat(Role.PUBLISHER_ONLY.wireName()).isEqualTo("publisheronly");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @DisplayName("every role is read back from its wire name, in any case")
    void roundTrip(Role role) {
        assertThat(Role.fromWire(role.wireName())).isEqualTo(role);
        assertThat(Role.fromWire(role.wireName().toUpperCase())).isEqualTo(role);
    }

    @Test
    @DisplayName("an unknown or missing role is refused with the list of valid roles")
    void unknown() {
        assertThatThrownBy(() -> Role.fromWire("admin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown role \"admin\"; valid roles are publisher, subscriber, moderator, publisheronly");
        assertThatThrownBy(() -> Role.fromWire("publisher_only")).hasMessageContaining("publisheronly");
        assertThatThrownBy(() -> Role.fromWire(""))
                .hasMessageStartingWith("unknown role \"\"");
        assertThatThrownBy(() -> Role.fromWire(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("role is missing; valid roles are publisher, subscriber, moderator, publisheronly");
    }

    @Test
    @DisplayName("only a publisher-only connection may not signal")
    void maySignal() {
        assertThat(Role.PUBLISHER.maySignal()).isTrue();
        assertThat(Role.SUBSCRIBER.maySignal()).isTrue();
        assertThat(Role.MODERATOR.maySignal()).isTrue();
        assertThat(Role.PUBLISHER_ONLY.maySignal()).isFalse();
    }
}
