package io.signalbox.cli;

import io.signalbox.client.CertificateFingerprint;
import io.signalbox.protocol.Codec;
import io.signalbox.server.auth.ProjectAuth;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code signalbox signal}: sends a signal through a server's REST API. */
@Command(name = "signal", mixinStandardHelpOptions = true,
        description = {
                "Sends a signal from the server through the REST API, to everyone in a session or to one",
                "connection. Receivers see no sender. Prints the outcome; exits 0 when delivered (HTTP 204)."
        })
final class SignalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The server, e.g. http://127.0.0.1:7400 or https://signal.example.com.")
    URI url;

    @Option(names = "--fingerprint", paramLabel = "SHA256",
            description = {"Trust exactly the https server's certificate with this SHA-256 fingerprint (hex, colons",
                    "optional), as for a self-signed one; by default the Java runtime's trust store decides."})
    String fingerprint;

    @Option(names = "--session", required = true, paramLabel = "SESSION_ID")
    String sessionId;

    @Option(names = "--connection", paramLabel = "CONNECTION_ID", description = "One receiver; everyone when left out.")
    String connectionId;

    @Option(names = "--type", defaultValue = "", paramLabel = "TYPE", description = "The signal type (A-Z a-z 0-9 - _ ~, at most 128).")
    String type;

    @Option(names = "--data", required = true, paramLabel = "DATA", description = "The signal data, at most 8192 bytes of UTF-8.")
    String data;

    @Mixin
    CredentialOptions credentials;

    @Override
    public Integer call() throws IOException, InterruptedException {
        var creds = credentials.require();
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (fingerprint != null) {
            if (!"https".equals(url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT))) {
                throw new ParameterException(spec.commandLine(), "--fingerprint is for an https server, and " + url + " is not one");
            }
            try {
                client.sslContext(CertificateFingerprint.parse(fingerprint).sslContext());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        ProjectAuth auth = new ProjectAuth(creds, Clock.systemUTC(), new SecureRandom());
        String path = "/v2/project/" + creds.apiKey() + "/session/" + encode(sessionId)
                + (connectionId == null ? "" : "/connection/" + encode(connectionId)) + "/signal";
        Map<String, String> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("data", data);
        HttpRequest request = HttpRequest.newBuilder(url.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("X-OPENTOK-AUTH", auth.mint(Duration.ofMinutes(3)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Codec.mapper().writeValueAsString(body)))
                .build();
        HttpResponse<String> response;
        try (HttpClient http = client.build()) {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            CertificateException refused = certificateFailure(e);
            if (refused != null) {
                System.err.println("signal not sent: the certificate of " + url + " is not trusted: " + refused.getMessage()
                        + (fingerprint == null ? " (a self-signed one can be trusted with --fingerprint)" : ""));
                return 2;
            }
            System.err.println("signal not sent: cannot reach " + url + " (" + e.getMessage() + ")");
            return 2;
        }
        if (response.statusCode() == 204) {
            System.out.println("delivered (204) to " + (connectionId == null ? "everyone in the session" : connectionId));
            return 0;
        }
        System.out.println("not delivered (" + response.statusCode() + "): " + message(response.body()));
        return 1;
    }

    /** The refusal of the server's certificate under a failed request, or null when it failed otherwise. */
    private static CertificateException certificateFailure(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertificateException refused) return refused;
        }
        return null;
    }

    private static String message(String body) {
        try {
            var node = Codec.mapper().readTree(body);
            if (node != null && node.hasNonNull("message")) return node.get("message").asText();
        } catch (IOException ignored) {
            // Not our JSON: show the body as it is.
        }
        return body;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
