package io.signalbox.cli;

import io.signalbox.server.auth.SessionIds;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code signalbox session}: prints a new session id for the API key, without asking a server. */
@Command(name = "session", mixinStandardHelpOptions = true,
        description = {
                "Prints a new session id of the API key. Any id of the right form is valid on every server",
                "with that key; a session is live while someone is in it."
        })
final class SessionCommand implements Callable<Integer> {
    @Mixin
    CredentialOptions credentials;

    @Override
    public Integer call() {
        System.out.println(SessionIds.create(credentials.require().apiKey(), Instant.now(), new SecureRandom()));
        return 0;
    }
}
