package io.signalbox.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signalbox.protocol.Limits;
import io.signalbox.protocol.WireError;

/**
 * The body of a REST signal call, {@code {"type": "...", "data": "..."}}, as OpenTok's API takes it:
 * {@code type} may be left out (or null) for the empty type, {@code data} is required, and both meet
 * the signaling limits. Reading it is apart from the handler so that it can be tested, and fuzzed,
 * without a server.
 *
 * @param type the signal's type, never null; empty when the body had none
 * @param data the signal's data, never null
 */
record SignalRequest(String type, String data) {

    /**
     * Reads and checks a body.
     *
     * @param body the request's body, as text
     * @param json the mapper to read it with
     * @return the signal the body asks for, within the limits
     * @throws ApiException 400 when the body is not a JSON object with a string {@code data} and a
     *         string or absent {@code type}, or the type has a character outside the allowed ones;
     *         413 when the type or the data is too long
     */
    static SignalRequest parse(String body, ObjectMapper json) {
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) throw new ApiException(400, "the body must be a JSON object with 'type' and 'data'");
        JsonNode typeNode = tree.get("type");
        JsonNode dataNode = tree.get("data");
        if (typeNode != null && !typeNode.isNull() && !typeNode.isTextual()) throw new ApiException(400, "'type' must be a string");
        if (dataNode == null || dataNode.isNull()) throw new ApiException(400, "'data' is required");
        if (!dataNode.isTextual()) throw new ApiException(400, "'data' must be a string");
        String type = typeNode == null || typeNode.isNull() ? "" : typeNode.textValue();
        String data = dataNode.textValue();
        WireError invalid = Limits.checkSignal(type, data);
        if (invalid != null) {
            int status = invalid == WireError.INVALID_SIGNAL_TYPE ? 400 : 413;
            throw new ApiException(status, SignalingEndpoint.describe(invalid));
        }
        return new SignalRequest(type, data);
    }
}
