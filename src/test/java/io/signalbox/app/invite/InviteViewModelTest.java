package io.signalbox.app.invite;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.app.service.InviteLink;
import io.signalbox.server.auth.Role;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The invite dialog's state, with no toolkit and a minter that records what it was asked for. */
class InviteViewModelTest {
    private static final URI URL = URI.create("http://192.168.1.20:7400");

    private record Minted(Role role, String name) {}

    private final List<Minted> minted = new ArrayList<>();

    private InviteViewModel viewModel(boolean onNetwork) {
        return new InviteViewModel(URL, "session-1", onNetwork, (role, name) -> {
            minted.add(new Minted(role, name));
            return "token-" + minted.size();
        });
    }

    @Test
    @DisplayName("the first link is a publisher's, for the hosted server and session, and reads back as such")
    void firstLink() {
        InviteViewModel vm = viewModel(false);

        InviteLink link = InviteLink.parse(vm.linkProperty().get());

        assertThat(link).isEqualTo(new InviteLink(URL, "session-1", "token-1"));
        assertThat(minted).containsExactly(new Minted(Role.PUBLISHER, ""));
    }

    @Test
    @DisplayName("changing the role or the guest's name mints a new token with them")
    void remintsOnChange() {
        InviteViewModel vm = viewModel(false);

        vm.roleProperty().set(Role.MODERATOR);
        vm.guestNameProperty().set("  Grace ");

        assertThat(minted.getLast()).isEqualTo(new Minted(Role.MODERATOR, "Grace"));
        assertThat(InviteLink.parse(vm.linkProperty().get()).token()).isEqualTo("token-" + minted.size());
    }

    @Test
    @DisplayName("every role is offered, publisher first, each described in words")
    void roles() {
        InviteViewModel vm = viewModel(false);

        assertThat(vm.roles()).containsExactly(Role.PUBLISHER, Role.SUBSCRIBER, Role.MODERATOR, Role.PUBLISHER_ONLY);
        assertThat(vm.roles()).allSatisfy(role -> assertThat(vm.describe(role)).startsWith(role.wireName() + ": "));
    }

    @Test
    @DisplayName("a network session over TLS says it is encrypted; one without warns; a loopback one says who can join")
    void reach() {
        InviteViewModel encrypted = new InviteViewModel(URI.create("https://192.168.1.20:7400"), "session-1", true,
                "ab".repeat(32), (role, name) -> "token-1");
        assertThat(encrypted.reach()).contains("encrypted").contains("certificate").doesNotContain("unencrypted");
        assertThat(encrypted.exposed()).isFalse();
        assertThat(viewModel(true).reach()).contains("unencrypted");
        assertThat(viewModel(true).exposed()).isTrue();
        assertThat(viewModel(false).reach()).contains("this computer only").doesNotContain("unencrypted");
        assertThat(viewModel(false).exposed()).isFalse();
    }

    @Test
    @DisplayName("the links of a session over TLS carry the certificate's fingerprint, and read back with it")
    void linkCarriesFingerprint() {
        String fp = "ab".repeat(32);
        InviteViewModel vm = new InviteViewModel(URI.create("https://192.168.1.20:7400"), "session-1", true, fp,
                (role, name) -> "token-" + role.wireName());

        assertThat(vm.linkProperty().get()).endsWith("&fp=" + fp);
        InviteLink link = InviteLink.parse(vm.linkProperty().get());
        assertThat(link.fingerprint()).isEqualTo(fp);
        assertThat(link.token()).isEqualTo("token-publisher");
    }

    @Test
    @DisplayName("an over-long name gives no link and says why; copying says how long the link is valid")
    void nameTooLongAndCopied() {
        InviteViewModel vm = viewModel(false);

        vm.guestNameProperty().set("x".repeat(InviteViewModel.MAX_NAME_LENGTH + 1));
        assertThat(vm.linkProperty().get()).isEmpty();
        assertThat(vm.statusProperty().get()).contains("at most");
        vm.copied();
        assertThat(vm.statusProperty().get()).contains("at most");

        vm.guestNameProperty().set("Grace");
        vm.copied();
        assertThat(vm.statusProperty().get()).startsWith("Link copied").contains("24 hours");
    }
}
