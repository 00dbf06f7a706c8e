package io.aiotedge.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Telemetry JSON, schema version 1 (docs/frames.md). Thread-safe. */
public final class TelemetryCodec {
    public static final int SCHEMA = 1;
    private static final int MAX_FEATURES = 4096;

    private final Json json = Json.mapper();

    public byte[] encode(Telemetry t) {
        ObjectNode n = json.createObjectNode().put("schema", SCHEMA).put("deviceId", t.deviceId())
                .put("ts", t.timestampMillis()).put("seq", t.sequence());
        ObjectNode f = n.putObject("features");
        for (int i = 0; i < t.values().length; i++) {
            f.put(t.names().get(i), t.values()[i]);
        }
        if (t.label() != null) {
            n.put("label", t.label());
        }
        try {
            return json.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Telemetry decode(byte[] data) throws FrameException {
        JsonNode n;
        try {
            n = json.readTree(data);
        } catch (IOException e) {
            throw new FrameException("telemetry is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (n == null || !n.isObject()) {
            throw new FrameException("telemetry must be a JSON object");
        }
        if (!n.path("schema").isInt() || n.path("schema").asInt() != SCHEMA) {
            throw new FrameException(
                    "unknown telemetry schema " + n.path("schema") + " (this node reads " + SCHEMA + ")");
        }
        String id = n.path("deviceId").asText("");
        if (!n.path("deviceId").isTextual() || !DeviceIds.valid(id)) {
            throw new FrameException("deviceId must be a string of " + DeviceIds.RULE);
        }
        if (!n.path("ts").isIntegralNumber() || n.path("ts").asLong() < 0) {
            throw new FrameException("ts must be epoch milliseconds");
        }
        if (!n.path("seq").isIntegralNumber()) {
            throw new FrameException("seq must be a whole number");
        }
        JsonNode f = n.path("features");
        if (!f.isObject() || f.isEmpty() || f.size() > MAX_FEATURES) {
            throw new FrameException("features must be an object of 1 to " + MAX_FEATURES + " name -> number");
        }
        List<String> names = new ArrayList<>(f.size());
        double[] values = new double[f.size()];
        Iterator<Map.Entry<String, JsonNode>> it = f.properties().iterator();
        for (int i = 0; it.hasNext(); i++) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().doubleValue())) {
                throw new FrameException("feature " + e.getKey() + " must be a finite number, got " + e.getValue());
            }
            names.add(e.getKey());
            values[i] = e.getValue().doubleValue();
        }
        JsonNode label = n.path("label");
        if (!label.isMissingNode() && !label.isNull() && !label.isTextual()) {
            throw new FrameException("label must be a string");
        }
        return new Telemetry(id, n.path("ts").asLong(), n.path("seq").asLong(), names, values,
                label.isTextual() ? label.asText() : null);
    }
}
