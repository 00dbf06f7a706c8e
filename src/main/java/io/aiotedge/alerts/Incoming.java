package io.aiotedge.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a consumed record into a row to store: an alert from {@code aiot.alerts} or a command
 * from {@code aiot.control}. A record that is not such a JSON object is refused with the reason.
 */
final class Incoming {
    static final int MAX_PAYLOAD = 16_384;
    /** Alert types only the platform itself raises: a consumed record of one is forged. */
    static final java.util.Set<String> PLATFORM_TYPES = java.util.Set.of(PlatformAlerts.ROLLED_BACK);
    private static final Json JSON = Json.mapper();

    /** An alert not yet stored. */
    record NewAlert(String dedupeKey, Alert alert, String payload) {
    }

    /** A command not yet stored. */
    record NewCommand(String dedupeKey, Command command) {
    }

    /** Why a record was not stored; the reason is the meter's tag. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        Refused(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    private Incoming() {
    }

    static NewAlert alert(String dedupeKey, String key, byte[] value, long receivedAt) throws Refused {
        JsonNode a = object(value);
        String device = text(a, "deviceId");
        if (device == null) {
            device = key;
        }
        if (device == null || device.isBlank() || device.length() > 128) {
            throw new Refused("malformed", "alert without a deviceId");
        }
        String type = text(a, "type");
        if (type != null && PLATFORM_TYPES.contains(type)) {
            // only the platform raises these, into the table directly (PlatformAlerts), never over Kafka
            throw new Refused("forged", "alert type '" + type + "' is raised by the platform only");
        }
        long ts = a.path("timestamp").canConvertToLong() ? a.path("timestamp").asLong() : receivedAt;
        Alert out = new Alert(0, device, type == null ? "condition" : cut(type, 64), cut(text(a, "band"), 16),
                cut(text(a, "previousBand"), 16), a.path("score").isNumber() ? a.path("score").asDouble() : null,
                cut(text(a, "model"), 128), a.path("modelVersion").isInt() ? a.path("modelVersion").asInt() : null,
                cut(text(a, "lineageId"), 64), cut(text(a, "node"), 128), cut(text(a, "rolloutId"), 64), null,
                ts, receivedAt, null, null);
        return new NewAlert(dedupeKey, out, new String(value, StandardCharsets.UTF_8));
    }

    static NewCommand command(String dedupeKey, String key, byte[] value, long receivedAt) throws Refused {
        JsonNode c = object(value);
        String device = text(c, "deviceId");
        if (device == null) {
            device = key;
        }
        if (device == null || device.isBlank() || device.length() > 128) {
            throw new Refused("malformed", "command without a deviceId");
        }
        String command = text(c, "command");
        long ts = c.path("timestamp").canConvertToLong() ? c.path("timestamp").asLong() : receivedAt;
        return new NewCommand(dedupeKey, new Command(0, device, command == null ? "servo" : cut(command, 64),
                c.path("angle").isInt() ? c.path("angle").asInt() : null, cut(text(c, "reason"), 500), ts));
    }

    private static JsonNode object(byte[] value) throws Refused {
        if (value == null || value.length == 0) {
            throw new Refused("malformed", "empty record");
        }
        if (value.length > MAX_PAYLOAD) {
            throw new Refused("oversized", value.length + " bytes, more than " + MAX_PAYLOAD);
        }
        try {
            JsonNode n = JSON.readTree(value);
            if (n == null || !n.isObject()) {
                throw new Refused("malformed", "not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new Refused("malformed", "not JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) throws Refused {
        JsonNode v = n.get(field);
        String s = v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
        if (s != null && s.indexOf('\u0000') >= 0) {
            // PostgreSQL refuses NUL in text: such a record could never be stored
            throw new Refused("malformed", field + " contains a NUL character");
        }
        return s;
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
