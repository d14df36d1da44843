package io.signalbox.server.auth;

import java.util.Base64;

/**
 * Base64 decoding as OpenTok's tooling does it: the standard alphabet or the URL-safe one ({@code -}
 * and {@code _} for {@code +} and {@code /}), with or without {@code =} padding. Session ids and legacy
 * tokens reach us in every one of these shapes, depending on which SDK made them.
 */
final class LenientBase64 {
    private LenientBase64() {}

    /**
     * Decodes {@code text}.
     *
     * @return the bytes, or null when {@code text} is not base64 in any of the accepted shapes
     */
    static byte[] decode(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '=') end--;
        String unpadded = text.substring(0, end).replace('-', '+').replace('_', '/');
        try {
            // The basic decoder accepts a missing final padding, and refuses any character outside
            // the alphabet (whitespace included), which is what "not of the form" needs.
            return Base64.getDecoder().decode(unpadded);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
