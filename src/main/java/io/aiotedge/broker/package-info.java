/**
 * The embedded MQTT broker (HiveMQ CE): listeners, persistence, limits, authentication through
 * the core {@link io.aiotedge.core.auth.Authenticator}, topic ACLs, client-id ownership, per-device
 * rate limits and broker metrics; it hands publishes to the node's
 * {@link io.aiotedge.core.mqtt.MqttIngress} before acknowledging them and is the node's
 * in-process {@link io.aiotedge.core.mqtt.MqttPublisher}. The only package that imports
 * {@code com.hivemq.embedded}, the HiveMQ extension SDK and HiveMQ's internals.
 */
package io.aiotedge.broker;
