package io.aiotedge.config;

import java.util.regex.Pattern;

/** Kafka's rule for topic names: 1-249 of {@code [a-zA-Z0-9._-]}. */
final class KafkaNames {
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private KafkaNames() {
    }

    static void check(ConfigReader r, String key, String topic) {
        if (!topic.isEmpty() && !TOPIC.matcher(topic).matches()) {
            r.problem(key, "is not a valid Kafka topic name (1-249 of a-z A-Z 0-9 . _ -): '" + topic + "'");
        }
    }
}
