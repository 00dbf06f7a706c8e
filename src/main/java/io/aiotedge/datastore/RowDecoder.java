package io.aiotedge.datastore;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.wire.FrameException;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import io.aiotedge.wire.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    static final List<String> LEGACY_FEATURES = List.of("current", "temperature", "vibration", "sound");
    private static final Json JSON = Json.mapper();

    private final TelemetryCodec telemetry = new TelemetryCodec();
    private final LabelSources labelSources;

    RowDecoder(LabelSources labelSources) {
        this.labelSources = labelSources;
    }

    /** Who published a record, from the bridge's headers; fields null when absent. */
    record Sender(String principal, String role) {
        static final Sender UNKNOWN = new Sender(null, null);
    }

    /** @param key the record key (the device the topic named), or null */
    FeatureRow decode(String topic, byte[] key, byte[] value, String dedupeKey, long recordTimestamp, Sender sender)
            throws FrameException {
        if (value == null) {
            throw new FrameException("record has no value");
        }
        if (Topics.LEGACY_SENSOR_DATA.equals(topic)) {
            FeatureRow row = legacy(value, dedupeKey, recordTimestamp, topic);
            sameDevice(key, row.deviceId(), "deviceID");
            return row;
        }
        Telemetry t = telemetry.decode(value);
        sameDevice(key, t.deviceId(), "deviceId");
        for (String n : t.names()) {
            if (n.indexOf(',') >= 0) {
                throw new FrameException("feature name '" + n + "' contains a comma");
            }
        }
        String label = t.label() != null && labelSources.trusts(sender.principal(), sender.role()) ? t.label() : null;
        return new FeatureRow(0, dedupeKey, t.deviceId(), t.timestampMillis(), t.sequence(), label, t.names(),
                t.values(), topic);
    }

    private static void sameDevice(byte[] key, String claimed, String field) throws FrameException {
        if (key == null) {
            return;
        }
        String device = new String(key, StandardCharsets.UTF_8);
        if (!device.equals(claimed)) {
            throw new FrameException("payload " + field + " '" + claimed + "' differs from the record key '" + device
                    + "' (the device the topic named)");
        }
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
