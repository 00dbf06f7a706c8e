package io.aiotedge.datastore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.wire.FrameException;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import java.io.IOException;
import java.util.List;

/**
 * Turns a Kafka record into a feature row: our telemetry JSON (docs/frames.md) on
 * {@code aiot.telemetry}, or the reference firmware's reading on
 * {@code shaded-pole-motor-sensor_data}, whose four readings become the features
 * {@code current, temperature, vibration, sound} and whose time is the record's (the reference's
 * ingest added it too). Throws {@link FrameException} with the reason for anything else.
 * Stateless; thread-safe.
 */
final class RowDecoder {
    static final String LEGACY_TOPIC = "shaded-pole-motor-sensor_data";
    static final List<String> LEGACY_FEATURES = List.of("current", "temperature", "vibration", "sound");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TelemetryCodec telemetry = new TelemetryCodec();

    FeatureRow decode(String topic, byte[] value, String dedupeKey, long recordTimestamp) throws FrameException {
        if (value == null) {
            throw new FrameException("record has no value");
        }
        if (LEGACY_TOPIC.equals(topic)) {
            return legacy(value, dedupeKey, recordTimestamp, topic);
        }
        Telemetry t = telemetry.decode(value);
        for (String n : t.names()) {
            if (n.indexOf(',') >= 0) {
                throw new FrameException("feature name '" + n + "' contains a comma");
            }
        }
        return new FeatureRow(0, dedupeKey, t.deviceId(), t.timestampMillis(), t.sequence(), t.label(), t.names(),
                t.values(), topic);
    }

    static FeatureRow legacy(byte[] value, String dedupeKey, long timestamp, String source) throws FrameException {
        JsonNode n;
        try {
            n = JSON.readTree(value);
        } catch (IOException e) {
            throw new FrameException("not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new FrameException("not a JSON object");
        }
        JsonNode id = n.get("deviceID");
        if (id == null || !id.isTextual() || id.asText().isEmpty() || id.asText().length() > 128) {
            throw new FrameException("deviceID must be a non-empty string");
        }
        double[] v = new double[LEGACY_FEATURES.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode x = n.get(LEGACY_FEATURES.get(i));
            if (x == null || !x.isNumber() || !Double.isFinite(x.asDouble())) {
                throw new FrameException(LEGACY_FEATURES.get(i) + " must be a finite number");
            }
            v[i] = x.asDouble();
        }
        return new FeatureRow(0, dedupeKey, id.asText(), timestamp, null, null, LEGACY_FEATURES, v, source);
    }
}
