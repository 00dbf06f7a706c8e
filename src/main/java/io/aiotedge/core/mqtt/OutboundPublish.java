package io.aiotedge.core.mqtt;

import java.util.List;

/**
 * A message the node publishes to its own broker's subscribers.
 *
 * @param topic the MQTT topic (no wildcards)
 * @param payload the payload bytes
 * @param qos 0, 1 or 2
 * @param retain whether the broker keeps it as the topic's retained message
 * @param userProperties MQTT 5 user properties
 */
public record OutboundPublish(String topic, byte[] payload, int qos, boolean retain,
        List<InboundPublish.UserProperty> userProperties) {
    public OutboundPublish {
        userProperties = List.copyOf(userProperties);
    }
}
