package io.signalbox.app.service;

import io.signalbox.client.CertificateFingerprint;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An invitation to a session, as a link a person can paste:
 * {@code signalbox://join?url=URL&session=SID&token=T&fp=SHA256}, every parameter URL-encoded. {@code fp},
 * the SHA-256 fingerprint of the server's certificate in 64 hex digits, is there when the host serves
 * TLS with a certificate of its own (the app hosting on the local network): the guest's app then trusts
 * that certificate and no other. Links without it (from earlier versions, or for servers that browsers'
 * authorities vouch for) still open. Parameters this version does not know are kept, so that links from
 * newer versions still open.
 *
 * @param serverUrl   the server's {@code http(s)} base URL
 * @param sessionId   the session
 * @param token       a client token for it
 * @param fingerprint the fingerprint of the certificate to trust, 64 lowercase hex digits, or empty for
 *                    the system's trust
 * @param extra       other parameters, in order
 */
public record InviteLink(URI serverUrl, String sessionId, String token, String fingerprint, Map<String, String> extra) {
    public static final String SCHEME = "signalbox";
    /** The parameter that carries the fingerprint. */
    public static final String FINGERPRINT = "fp";

    public InviteLink {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(token, "token");
        // One form, so that equal links are equal records and the link stays short.
        fingerprint = fingerprint == null || fingerprint.isBlank() ? "" : CertificateFingerprint.parse(fingerprint).hex();
        if (!fingerprint.isEmpty() && !"https".equalsIgnoreCase(serverUrl.getScheme())) {
            throw new IllegalArgumentException("a certificate fingerprint goes with an https server, not " + serverUrl);
        }
        // Kept in order (Map.copyOf would shuffle them), so that a link is written back as it was read.
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra == null ? Map.of() : extra));
    }

    public InviteLink(URI serverUrl, String sessionId, String token) {
        this(serverUrl, sessionId, token, "", Map.of());
    }

    public InviteLink(URI serverUrl, String sessionId, String token, Map<String, String> extra) {
        this(serverUrl, sessionId, token, "", extra);
    }

    /** Whether {@code text} looks like an invite link at all (so a UI can tell a link from a URL). */
    public static boolean looksLikeLink(String text) {
        return text != null && text.strip().toLowerCase(Locale.ROOT).startsWith(SCHEME + "://");
    }

    /**
     * Reads a pasted link. Spaces around it are ignored.
     *
     * @throws IllegalArgumentException with a message a person can act on
     */
    public static InviteLink parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("The invite link is empty.");
        String link = text.strip();
        if (!looksLikeLink(link)) {
            throw new IllegalArgumentException("An invite link starts with signalbox://join?");
        }
        String rest = link.substring(SCHEME.length() + 3);
        int question = rest.indexOf('?');
        String action = question < 0 ? rest : rest.substring(0, question);
        if (!action.replaceAll("/+$", "").equalsIgnoreCase("join")) {
            throw new IllegalArgumentException("This link is not an invitation to join (it asks for '" + action + "').");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.putIfAbsent(key, value);
            }
        }
        String url = require(params, "url");
        String session = require(params, "session");
        String token = require(params, "token");
        URI serverUrl;
        try {
            serverUrl = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The server address in the link is not a valid URL: " + url);
        }
        String scheme = serverUrl.getScheme() == null ? "" : serverUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || serverUrl.getHost() == null) {
            throw new IllegalArgumentException("The server address in the link must be an http or https URL: " + url);
        }
        String fp = params.getOrDefault(FINGERPRINT, "").strip();
        if (!fp.isEmpty()) {
            try {
                CertificateFingerprint.parse(fp);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The invite link is damaged: its certificate fingerprint (fp) is not 64 hex digits.");
            }
            if (!scheme.equals("https")) {
                throw new IllegalArgumentException("The invite link names a certificate, but its server address is not https: " + url);
            }
        }
        params.remove("url");
        params.remove("session");
        params.remove("token");
        params.remove(FINGERPRINT);
        return new InviteLink(serverUrl, session, token, fp, params);
    }

    /** The link as text, every parameter URL-encoded. */
    public String format() {
        StringBuilder sb = new StringBuilder(SCHEME).append("://join?url=").append(encode(serverUrl.toString()))
                .append("&session=").append(encode(sessionId))
                .append("&token=").append(encode(token));
        if (!fingerprint.isEmpty()) sb.append('&').append(FINGERPRINT).append('=').append(fingerprint);
        extra.forEach((k, v) -> sb.append('&').append(encode(k)).append('=').append(encode(v)));
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private static String require(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The invite link has no " + name + ".");
        }
        return value.strip();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The invite link is damaged: '" + s + "' is not URL-encoded properly.");
        }
    }
}
