/**
 * The broker's seams, in broker-neutral types: publishes as a client sent them and as the node
 * sends them, the {@link io.aiotedge.core.mqtt.MqttIngress} that may hold a publish's
 * acknowledgement until it is durable (the bridge), the in-process
 * {@link io.aiotedge.core.mqtt.MqttPublisher}, and the connection events and session control the
 * device registry uses. Implemented by {@code broker}; nobody else sees HiveMQ's types.
 */
package io.aiotedge.core.mqtt;
