package io.aiotedge.core.mqtt;

import io.aiotedge.core.Checks;
import io.aiotedge.core.auth.Principal;
import java.util.List;

/**
 * A PUBLISH as a client sent it to our broker, in broker-neutral form.
 *
 * @param topic the MQTT topic
 * @param qos 0, 1 or 2
 * @param retain the retain flag
 * @param payload the payload bytes (never null; empty for an empty payload)
 * @param clientId the sender's client id
 * @param mqtt5 whether the sender speaks MQTT 5 (it can then be told why a publish was refused)
 * @param receivedAtMillis when the broker received it (epoch milliseconds)
 * @param userProperties MQTT 5 user properties, in order (names may repeat)
 * @param principal who the broker authenticated on this connection: the sender's identity,
 *     never taken from anything in the packet
 */
public record InboundPublish(String topic, int qos, boolean retain, byte[] payload, String clientId, boolean mqtt5,
        long receivedAtMillis, List<UserProperty> userProperties, Principal principal) {

    public record UserProperty(String name, String value) {
    }

    public InboundPublish {
        userProperties = List.copyOf(userProperties);
        Checks.notNull(principal, "Publisher principal");
    }
}
