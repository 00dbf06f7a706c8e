package io.aiotedge.devices;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.Rejection;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.util.Set;

/**
 * What a device publishes, retained, on {@code aiot/v1/things/{id}/status} (all fields optional):
 * <pre>{"state": "online", "firmware": "1.4.2", "model": "motor-condition:3",
 *  "rollout": {"model": "motor-condition", "version": 4, "state": "downloading", "detail": "41%"}}</pre>
 * Parsing is strict about types and sizes and names the bad field.
 */
record StatusReport(String state, String firmware, String model, Rollout rollout) {
    static final int MAX_BYTES = 4096;
    static final Set<String> ROLLOUT_STATES = Set.of("downloading", "verified", "active", "failed");
    private static final Json JSON = Json.mapper();

    record Rollout(String model, int version, String state, String detail) {
    }

    static StatusReport parse(byte[] payload) {
        if (payload.length > MAX_BYTES) {
            throw Rejection.invalid("payload", "is " + payload.length + " bytes, at most " + MAX_BYTES);
        }
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            throw Rejection.invalid("payload", "is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw Rejection.invalid("payload", "must be a JSON object");
        }
        Rollout r = null;
        JsonNode ro = n.get("rollout");
        if (ro != null && !ro.isNull()) {
            if (!ro.isObject()) {
                throw Rejection.invalid("rollout", "must be an object");
            }
            String state = text(ro, "rollout.state", "state", 16);
            if (state == null || !ROLLOUT_STATES.contains(state)) {
                throw Rejection.invalid("rollout.state", "must be one of " + ROLLOUT_STATES);
            }
            String model = text(ro, "rollout.model", "model", 64);
            JsonNode v = ro.get("version");
            if (model == null || v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
                throw Rejection.invalid(model == null ? "rollout.model" : "rollout.version", "is required");
            }
            String detail = text(ro, "rollout.detail", "detail", 512);
            r = new Rollout(model, v.asInt(), state, detail == null ? "" : detail);
        }
        return new StatusReport(text(n, "state", "state", 16), text(n, "firmware", "firmware", 64),
                text(n, "model", "model", 128), r);
    }

    private static String text(JsonNode parent, String field, String name, int max) {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().length() > max) {
            throw Rejection.invalid(field, "must be a string of at most " + max + " characters");
        }
        return v.asText();
    }
}
