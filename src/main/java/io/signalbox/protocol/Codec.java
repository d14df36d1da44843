package io.signalbox.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.UncheckedIOException;

/**
 * Encodes and decodes wire messages as JSON text. Thread-safe; the mapper is configured once and
 * never changed.
 *
 * <p>Decoding is strict about what matters: a field of the wrong JSON type (a number where a string
 * belongs) is refused rather than coerced, and a missing required field names itself. Unknown fields
 * are ignored, so that a newer peer may add some.
 */
public final class Codec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .build();

    private Codec() {}

    /** Encodes a message as one JSON text frame. */
    public static String encode(ClientMessage message) {
        return write(message);
    }

    /**
     * Encodes a message as one JSON text frame. The two messages of every signal, the signal itself and
     * its acknowledgement, are written by hand, as Jackson writes them: Jackson's bean writer reflects
     * and boxes field by field, several times the cost of the rest of routing a signal.
     */
    public static String encode(ServerMessage message) {
        return switch (message) {
            case ServerMessage.Signal signal -> signal(signal);
            case ServerMessage.Ack ack -> "{\"kind\":\"ack\",\"seq\":" + ack.seq() + "}";
            default -> write(message);
        };
    }

    private static String signal(ServerMessage.Signal signal) {
        // Room for the names, the time and the ref as well: growing the builder would copy it.
        StringBuilder json = new StringBuilder(128 + signal.type().length() + signal.data().length()
                + (signal.from() == null ? 0 : signal.from().length()));
        json.append("{\"kind\":\"signal\",\"type\":");
        string(json, signal.type());
        json.append(",\"data\":");
        string(json, signal.data());
        if (signal.from() != null) {
            json.append(",\"from\":");
            string(json, signal.from());
        }
        json.append(",\"direct\":").append(signal.direct().booleanValue())
                .append(",\"time\":").append(signal.time().longValue());
        if (signal.ref() != null) json.append(",\"ref\":").append(signal.ref().longValue());
        return json.append('}').toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** A JSON string, escaped as Jackson escapes it: quote, backslash and control characters only. */
    private static void string(StringBuilder json, String text) {
        json.append('"');
        int plain = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            json.append(text, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        json.append(text, plain, text.length()).append('"');
    }

    /**
     * Decodes a frame a client sent. A signal or a ping written plainly, as the SDK writes them, is
     * read by hand ({@link PlainClientFrames}); anything else by Jackson, which has the last word.
     */
    public static ClientMessage decodeClient(String frame) throws ProtocolException {
        ClientMessage plain = PlainClientFrames.read(frame);
        return plain != null ? plain : decodeClientWithJackson(frame);
    }

    /** Decodes a frame a client sent with Jackson alone; for tests comparing the two readers. */
    static ClientMessage decodeClientWithJackson(String frame) throws ProtocolException {
        return read(frame, ClientMessage.class);
    }

    /** Decodes a frame the server sent. */
    public static ServerMessage decodeServer(String frame) throws ProtocolException {
        return read(frame, ServerMessage.class);
    }

    /** The shared mapper, for callers that encode other JSON (the REST API's bodies). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static String write(Object message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(String frame, Class<T> kind) throws ProtocolException {
        if (!startsAsObject(frame)) {
            throw new ProtocolException(WireError.MALFORMED_MESSAGE, "a message must be a JSON object with a 'kind'");
        }
        try {
            T message = MAPPER.readValue(frame, kind);
            if (message == null) throw new ProtocolException(WireError.MALFORMED_MESSAGE, "a message must be a JSON object");
            return message;
        } catch (InvalidTypeIdException e) {
            String id = e.getTypeId();
            throw new ProtocolException(WireError.MALFORMED_MESSAGE,
                    id == null ? "missing field 'kind'" : "unknown message kind '" + id + "'");
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String why = cause.getMessage();
            // The peer is told what was wrong; an exception without words must not make that null.
            throw new ProtocolException(WireError.MALFORMED_MESSAGE,
                    why == null || why.isBlank() ? "a field holds a value this message cannot take" : why);
        } catch (MismatchedInputException e) {
            throw new ProtocolException(WireError.MALFORMED_MESSAGE, describeMismatch(e));
        } catch (JsonProcessingException e) {
            throw new ProtocolException(WireError.MALFORMED_MESSAGE, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Jackson would take a JSON array as a type-wrapped value; the protocol has only objects. */
    private static boolean startsAsObject(String frame) {
        for (int i = 0; i < frame.length(); i++) {
            char c = frame.charAt(i);
            if (!Character.isWhitespace(c)) return c == '{';
        }
        return false;
    }

    private static String describeMismatch(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> a + "." + b)
                .orElse(null);
        if (path == null) return "a message must be a JSON object with a 'kind'";
        return "field '" + path + "' has the wrong type";
    }
}
