package io.signalbox.cli;

import io.signalbox.server.auth.Durations;
import io.signalbox.server.auth.Role;
import io.signalbox.server.auth.Tokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code signalbox token}: mints a client token for a session. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Prints a client token (a JWT) for joining a session, signed with the API secret.")
final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--session", required = true, paramLabel = "SESSION_ID", description = "The session to join.")
    String sessionId;

    @Option(names = "--role", defaultValue = "publisher", paramLabel = "ROLE",
            description = "publisher (default), subscriber, moderator, or publisheronly (may not send signals).")
    String role;

    @Option(names = "--data", defaultValue = "", paramLabel = "DATA",
            description = "Connection data others see, at most 1000 characters, e.g. name=Ada.")
    String data;

    @Option(names = "--expire-in", defaultValue = "24h", paramLabel = "DURATION",
            description = "How long the token is valid: 90s, 30m, 24h, 7d (default: ${DEFAULT-VALUE}, at most 30d).")
    String expireIn;

    @Option(names = "--legacy", description = "Mint OpenTok's older T1 form instead of a JWT.")
    boolean legacy;

    @Mixin
    CredentialOptions credentials;

    @Override
    public Integer call() {
        Tokens tokens = new Tokens(credentials.require(), Clock.systemUTC(), new SecureRandom());
        try {
            Role r = Role.fromWire(role);
            Duration ttl = Durations.parse(expireIn);
            System.out.println(legacy
                    ? tokens.mintLegacy(sessionId, r, data, ttl)
                    : tokens.mintJwt(sessionId, r, data, ttl));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return 0;
    }
}
