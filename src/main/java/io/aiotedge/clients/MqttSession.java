package io.aiotedge.clients;

import io.aiotedge.core.mqtt.OutboundPublish;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A connected MQTT 5 client as the roles use it ({@link MqttConnector#connect}). It reconnects by
 * itself after a lost connection; {@link #isConnected()} tells whether it is connected now.
 */
public interface MqttSession {

    /**
     * Publishes; the future says whether the broker accepted it (false: it answered with an error
     * reason code) and fails when the message could not be sent at all.
     */
    CompletableFuture<Boolean> publish(OutboundPublish message);

    /**
     * Subscribes; each message is acknowledged as soon as {@code handler} returns.
     *
     * @param executor where {@code handler} runs; null = the client's own thread
     */
    CompletableFuture<Void> subscribe(String filter, int qos, Executor executor, Consumer<MqttMessage> handler);

    /**
     * Subscribes; a QoS 1/2 message is acknowledged only when the handler calls
     * {@link MqttMessage#acknowledge()}, so the broker redelivers what a crash interrupted and
     * holds back more than the connection's receive maximum.
     */
    CompletableFuture<Void> subscribeManualAck(String filter, int qos, Executor executor,
            Consumer<MqttMessage> handler);

    boolean isConnected();

    /** Disconnects (and stops reconnecting). */
    CompletableFuture<Void> disconnect();
}
