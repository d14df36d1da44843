package io.signalbox.app.chat;

import io.signalbox.client.Connection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The name a person is shown by: the {@code name} field of their connection data (form-encoded, as
 * {@link io.signalbox.app.service.HostedSession#token} writes it), or the start of their connection
 * id when the token carried no name.
 */
final class DisplayNames {
    /** How much of a connection id stands in for a missing name: enough to tell people apart. */
    static final int SHORT_ID_LENGTH = 8;

    private DisplayNames() {}

    /** The name to show for a connection. */
    static String of(Connection connection) {
        return nameIn(connection.getData()).orElseGet(() -> shortId(connection.getConnectionId()));
    }

    /** The {@code name} field of form-encoded connection data, when there is a non-blank one. */
    static Optional<String> nameIn(String data) {
        if (data == null || data.isEmpty()) return Optional.empty();
        for (String field : data.split("&")) {
            int eq = field.indexOf('=');
            if (eq < 0 || !"name".equals(decode(field.substring(0, eq)))) continue;
            String name = decode(field.substring(eq + 1)).strip();
            if (!name.isEmpty()) return Optional.of(name);
        }
        return Optional.empty();
    }

    static String shortId(String connectionId) {
        return connectionId.length() <= SHORT_ID_LENGTH ? connectionId : connectionId.substring(0, SHORT_ID_LENGTH);
    }

    /** Form decoding that keeps text it cannot decode as it is: a stray '%' is still a name. */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
