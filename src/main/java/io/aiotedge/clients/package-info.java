/**
 * How the node's roles build their clients, once: {@link io.aiotedge.clients.MqttSettings} and
 * {@link io.aiotedge.clients.MqttConnector} connect the gateway, the simulator and inference to a
 * broker (host, port, credentials, TLS trusting {@link io.aiotedge.clients.Trust tls.trustStore}) and hand them an
 * {@link io.aiotedge.clients.MqttSession} of ours; {@link io.aiotedge.clients.KafkaClients}
 * assembles every Kafka consumer, producer and admin configuration from {@code kafka.client} and
 * the bootstrap servers. With {@code bench}, the only package importing {@code com.hivemq.client};
 * the Kafka client library is also imported by the packages that run consumers and producers.
 */
package io.aiotedge.clients;
