package io.aiotedge.core.mqtt;

import java.util.concurrent.CompletableFuture;

/** Publishes into the node's broker in-process (no network hop, no client session). */
public interface MqttPublisher {

    /**
     * Hands a message to the broker. The future completes once the broker has taken it (queued,
     * and persisted with file persistence, for every matching subscription), or fails with the
     * reason, e.g. an invalid topic or a broker that is not running.
     */
    CompletableFuture<Void> publish(OutboundPublish message);
}
