package io.aiotedge.clients;

/** A message a subscription delivered. */
public interface MqttMessage {

    /** The topic it was published on. */
    String topic();

    /** A copy of its payload. */
    byte[] payload();

    /** The first MQTT 5 user property of that name, or null. */
    String userProperty(String name);

    /** Tells the broker it was processed (only for a {@link MqttSession#subscribeManualAck} subscription). */
    void acknowledge();
}
