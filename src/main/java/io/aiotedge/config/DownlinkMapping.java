package io.aiotedge.config;

import io.aiotedge.wire.Topics;

/**
 * One Kafka -> MQTT route of the bridge ({@code bridge.downlink[]}).
 *
 * @param kafka the Kafka topic consumed
 * @param mqtt the MQTT topic published to; {@code {key}} is replaced by the record key
 * @param qos the MQTT QoS of the publish
 * @param retain whether the broker keeps the publish as the topic's retained message
 * @param keys which record keys are forwarded; the rest are dead-lettered. Default
 *     {@code registered-devices} when {@code {key}} is the device level of
 *     {@code aiot/v1/things/{key}/...}, else {@code any}
 * @param verify a check of the payload before it is forwarded; default {@code model-announcement}
 *     for {@code aiot/v1/models/{key}/latest}, {@code rollout} for {@code aiot/v1/models/{key}/rollout},
 *     else {@code none}
 */
public record DownlinkMapping(String kafka, String mqtt, int qos, boolean retain, Keys keys, Verify verify) {

    /** The allow-list of record keys. */
    public enum Keys {
        /** any key that is one valid topic level */
        ANY,
        /** only the id of a registered, non-revoked device */
        REGISTERED_DEVICES
    }

    /** What the payload must prove before it is forwarded. */
    public enum Verify {
        NONE,
        /** a model announcement signed with this node's model-signing key, its name = the record key */
        MODEL_ANNOUNCEMENT,
        /** a rollout message signed with this node's model-signing key, its name = the record key */
        ROLLOUT
    }

    static final String DEVICE_TOPIC_PREFIX = Topics.thingPrefix("{key}");
    static final String MODEL_TOPIC = Topics.modelLatest("{key}");
    static final String ROLLOUT_TOPIC = Topics.modelRollout("{key}");

    /** The MQTT topic for a record with this key (the caller checks the key is a safe level). */
    public String topicFor(String key) {
        return mqtt.replace("{key}", key);
    }

    public boolean usesKey() {
        return mqtt.contains("{key}");
    }

    static DownlinkMapping read(ConfigReader r) {
        String kafka = r.nonBlank("kafka");
        KafkaNames.check(r, "kafka", kafka);
        String mqtt = r.nonBlank("mqtt");
        String sample = mqtt.replace("{key}", "k");
        if (sample.contains("+") || sample.contains("#") || sample.contains("{") || sample.isEmpty()) {
            r.problem("mqtt", "must be a topic name without wildcards (only {key} is replaced), got '" + mqtt + "'");
        }
        int qos = r.has("qos") ? r.integer("qos", 0, 2) : 1;
        boolean retain = r.has("retain") && r.bool("retain");
        Keys keys = r.has("keys") ? r.enumValue("keys", Keys.class)
                : mqtt.startsWith(DEVICE_TOPIC_PREFIX) ? Keys.REGISTERED_DEVICES : Keys.ANY;
        if (keys == Keys.REGISTERED_DEVICES && !mqtt.contains("{key}")) {
            r.problem("keys", "registered-devices needs {key} in mqtt (the device level), got '" + mqtt + "'");
        }
        Verify verify = r.has("verify") ? r.enumValue("verify", Verify.class)
                : mqtt.equals(MODEL_TOPIC) ? Verify.MODEL_ANNOUNCEMENT
                        : mqtt.equals(ROLLOUT_TOPIC) ? Verify.ROLLOUT : Verify.NONE;
        return new DownlinkMapping(kafka, mqtt, qos, retain, keys, verify);
    }
}
