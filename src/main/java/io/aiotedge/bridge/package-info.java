/**
 * The lossless MQTT<->Kafka bridge (docs/bridge.md). {@link io.aiotedge.bridge.BridgeUplink}
 * takes publishes inside the broker ({@link io.aiotedge.core.mqtt.MqttIngress}), routes and checks
 * them, and lets the broker acknowledge only once Kafka or the on-disk
 * {@link io.aiotedge.bridge.Spool} holds the record; {@link io.aiotedge.bridge.BridgeDownlink}
 * publishes Kafka records into the broker, only for registered devices and signed announcements.
 * Dead letters go to {@code aiot.deadletter}. The only package importing RocksDB and the JSON
 * Schema validator.
 */
package io.aiotedge.bridge;
