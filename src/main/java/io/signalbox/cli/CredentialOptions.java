package io.signalbox.cli;

import io.signalbox.server.auth.ApiCredentials;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The API key and secret options that the server, token and signal commands share. */
final class CredentialOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:SIGNALBOX_API_KEY}",
            description = "The API key, a number (default: $SIGNALBOX_API_KEY).")
    String apiKey;

    @Option(names = "--api-secret", paramLabel = "SECRET", defaultValue = "${env:SIGNALBOX_API_SECRET}",
            description = "The API secret, at least 32 bytes (default: $SIGNALBOX_API_SECRET).")
    String apiSecret;

    boolean given() {
        return present(apiKey) || present(apiSecret);
    }

    /** The credentials given; a clear usage error when one half or both are missing or invalid. */
    ApiCredentials require() {
        if (!present(apiKey)) throw usage("no API key: pass --api-key or set SIGNALBOX_API_KEY");
        if (!present(apiSecret)) throw usage("no API secret: pass --api-secret or set SIGNALBOX_API_SECRET");
        try {
            return ApiCredentials.of(apiKey.trim(), apiSecret.trim());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
