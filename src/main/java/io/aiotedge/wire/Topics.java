package io.aiotedge.wire;

import java.util.List;

/**
 * The topic vocabulary, spelled once: the Kafka topics of the closed loop (record key = device
 * id, or model name on {@link #MODELS}), the MQTT topics devices, the gateway, inference and the
 * registry exchange (docs/mqtt.md), and the reference implementation's legacy names. Renaming a
 * topic is one edit here; the defaults YAML spells the same names as user-facing config, and
 * {@code TopicsTest} ties the two.
 */
public final class Topics {
    /** Kafka: feature vectors, from MQTT {@code .../telemetry}. */
    public static final String TELEMETRY = "aiot.telemetry";
    /** Kafka: raw frames, from MQTT {@code .../raw}. */
    public static final String RAW = "aiot.raw";
    /** Kafka: condition alerts, from MQTT {@code .../alerts}. */
    public static final String ALERTS = "aiot.alerts";
    /** Kafka: actuator commands, to MQTT {@code .../control}. */
    public static final String CONTROL = "aiot.control";
    /** Kafka: model announcements, to MQTT {@code aiot/v1/models/{name}/latest}. */
    public static final String MODELS = "aiot.models";
    /** Kafka: rollout messages keyed by model name, to MQTT {@code aiot/v1/models/{name}/rollout}. */
    public static final String ROLLOUTS = "aiot.rollouts";
    /** Kafka: what could not be read or routed, with the reason in a header. */
    public static final String DEADLETTER = "aiot.deadletter";
    /** Every Kafka topic the node provisions. */
    public static final List<String> ALL = List.of(TELEMETRY, RAW, ALERTS, CONTROL, MODELS, ROLLOUTS,
            DEADLETTER);

    /** The reference firmware's sensor JSON (Kafka and MQTT, no device level). */
    public static final String LEGACY_SENSOR_DATA = "shaded-pole-motor-sensor_data";
    /** The reference implementation's model announcements (Kafka and MQTT). */
    public static final String LEGACY_CONTROL = "control-message";

    /** MQTT: alerts about the inference role itself (a refused model). */
    public static final String INFERENCE_ALERTS = "aiot/v1/inference/alerts";

    private static final String THINGS = "aiot/v1/things/";
    private static final String RAW_LEVEL = "raw";
    private static final String TELEMETRY_LEVEL = "telemetry";

    private Topics() {
    }

    /** {@code aiot/v1/things/{deviceId}/}: the prefix of every topic of one device. */
    public static String thingPrefix(String deviceId) {
        return THINGS + deviceId + "/";
    }

    /** {@code aiot/v1/things/{deviceId}/raw}: a device's raw frames ({@code +} for a filter). */
    public static String thingRaw(String deviceId) {
        return thingPrefix(deviceId) + RAW_LEVEL;
    }

    /** {@code aiot/v1/things/{deviceId}/telemetry}: its feature vectors. */
    public static String thingTelemetry(String deviceId) {
        return thingPrefix(deviceId) + TELEMETRY_LEVEL;
    }

    /** {@code aiot/v1/things/{deviceId}/telemetry/agg}: the gateway's per-device summaries. */
    public static String thingTelemetryAgg(String deviceId) {
        return thingTelemetry(deviceId) + "/agg";
    }

    /** {@code aiot/v1/things/{deviceId}/control}: commands to its actuator. */
    public static String thingControl(String deviceId) {
        return thingPrefix(deviceId) + "control";
    }

    /** {@code aiot/v1/things/{deviceId}/alerts}: condition alerts about it. */
    public static String thingAlerts(String deviceId) {
        return thingPrefix(deviceId) + "alerts";
    }

    /** {@code aiot/v1/things/{deviceId}/status}: what the device reports (retained). */
    public static String thingStatus(String deviceId) {
        return thingPrefix(deviceId) + "status";
    }

    /** {@code aiot/v1/deadletter/{deviceId}}: frames the gateway could not read. */
    public static String deadLetter(String deviceId) {
        return "aiot/v1/deadletter/" + deviceId;
    }

    /** {@code aiot/v1/models/{name}/latest}: a model's current announcement (retained). */
    public static String modelLatest(String modelName) {
        return "aiot/v1/models/" + modelName + "/latest";
    }

    /** {@code aiot/v1/models/{name}/rollout}: a model's current rollout message (retained). */
    public static String modelRollout(String modelName) {
        return "aiot/v1/models/" + modelName + "/rollout";
    }

    /** {@code aiot/v1/models/{name}/events}: what happened to a model's rollout (a rollback). */
    public static String modelEvents(String modelName) {
        return "aiot/v1/models/" + modelName + "/events";
    }

    /** {@code $share/{group}/{filter}}: an MQTT 5 shared subscription. */
    public static String shared(String group, String filter) {
        return "$share/" + group + "/" + filter;
    }

    /** The device level of {@code aiot/v1/things/{deviceId}/raw}, or null when the topic is not one. */
    public static String deviceOfRaw(String topic) {
        return deviceOf(topic, RAW_LEVEL);
    }

    /** The device level of {@code aiot/v1/things/{deviceId}/telemetry}, or null when the topic is not one. */
    public static String deviceOfTelemetry(String topic) {
        return deviceOf(topic, TELEMETRY_LEVEL);
    }

    private static String deviceOf(String topic, String kind) {
        String suffix = "/" + kind;
        if (topic.length() <= THINGS.length() + suffix.length() || !topic.startsWith(THINGS)
                || !topic.endsWith(suffix)) {
            return null;
        }
        String id = topic.substring(THINGS.length(), topic.length() - suffix.length());
        return id.isEmpty() || id.contains("/") ? null : id;
    }
}
