package io.aiotedge.config;

/**
 * One Kafka -> MQTT route of the bridge ({@code bridge.downlink[]}).
 *
 * @param kafka the Kafka topic consumed
 * @param mqtt the MQTT topic published to; {@code {key}} is replaced by the record key
 * @param qos the MQTT QoS of the publish
 * @param retain whether the broker keeps the publish as the topic's retained message
 */
public record DownlinkMapping(String kafka, String mqtt, int qos, boolean retain) {

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
        return new DownlinkMapping(kafka, mqtt, qos, retain);
    }
}
