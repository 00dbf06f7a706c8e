package io.aiotedge.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where {@link Scoring}'s alerts and commands go: MQTT topics ({@link MqttOutlet}), or Kafka
 * {@code aiot.control} for commands ({@link KafkaTelemetry}). Called from the scoring threads.
 */
interface Outlet {
    void alert(String deviceId, ObjectNode alert);

    void command(String deviceId, ObjectNode command);
}
