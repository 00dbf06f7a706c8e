package io.aiotedge.bench;

/**
 * One load run: {@code publishers} clients each publish {@code payloadBytes} messages to their
 * own topic under {@code topicPrefix} at {@code ratePerPublisher} msg/s (0 = as fast as acks
 * allow) for {@code seconds} (or until {@code maxPerPublisher}); {@code subscribers} clients
 * each receive everything under the prefix.
 */
public record LoadSpec(String host, int port, String username, String password, int mqttVersion,
        int publishers, int subscribers, int qos, int ratePerPublisher, int seconds,
        long maxPerPublisher, int payloadBytes, String topicPrefix, int maxInFlight) {
}
