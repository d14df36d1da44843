package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.SignalLimitsOracle;
import io.signalbox.protocol.WireError;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fuzz test of the one JSON body the REST API reads, the signal's (session create and force
 * disconnect take none). Its seed corpus is in
 * {@code src/test/resources/io/signalbox/server/SignalRequestFuzzTestInputs/}.
 *
 * <p>The properties, beyond not crashing: a body is refused only with an {@link ApiException} of 400
 * or 413 and a message (anything else would reach the caller as a 500); the status is the one the
 * contract names for what is wrong with the body; an accepted signal meets the limits, checked by
 * {@link SignalLimitsOracle} rather than by the code under test; and an accepted signal written back
 * as a body reads the same.
 */
class SignalRequestFuzzTest {
    private static final ObjectMapper JSON = Codec.mapper();

    @FuzzTest
    void parse(byte[] input) throws JsonProcessingException {
        String body = new String(input, StandardCharsets.UTF_8);
        int expected = expectedStatus(body);
        SignalRequest signal;
        try {
            signal = SignalRequest.parse(body, JSON);
        } catch (ApiException refused) {
            assertThat(refused.status).as("the status for %s", body).isEqualTo(expected);
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(expected).as("the status for %s", body).isEqualTo(204);
        assertThat(SignalLimitsOracle.violation(signal.type(), signal.data())).isNull();

        Map<String, String> again = new LinkedHashMap<>();
        again.put("type", signal.type());
        again.put("data", signal.data());
        assertThat(SignalRequest.parse(JSON.writeValueAsString(again), JSON)).isEqualTo(signal);
    }

    /**
     * What the API should answer for {@code body}, decided from its JSON tree and the oracle's limits:
     * 204 for a signal it accepts, 400 for a body of the wrong shape or an invalid type, 413 for a
     * type or data over the limits.
     */
    private static int expectedStatus(String body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JsonProcessingException notJson) {
            return 400;
        }
        if (tree == null || !tree.isObject()) return 400;
        JsonNode type = tree.get("type");
        JsonNode data = tree.get("data");
        boolean typeOk = type == null || type.isNull() || type.isTextual();
        if (!typeOk || data == null || !data.isTextual()) return 400;
        WireError violation = SignalLimitsOracle.violation(type == null || type.isNull() ? "" : type.textValue(),
                data.textValue());
        if (violation == null) return 204;
        return violation == WireError.INVALID_SIGNAL_TYPE ? 400 : 413;
    }
}
