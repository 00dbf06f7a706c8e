package io.aiotedge.clients;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aiotedge.core.mqtt.InboundPublish;
import io.aiotedge.core.mqtt.OutboundPublish;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** {@link MqttSession} on the HiveMQ MQTT client. */
final class HiveMqSession implements MqttSession {
    private final Mqtt5AsyncClient client;

    HiveMqSession(Mqtt5AsyncClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<Boolean> publish(OutboundPublish m) {
        var b = client.publishWith().topic(m.topic()).qos(qos(m.qos())).retain(m.retain()).payload(m.payload());
        if (!m.userProperties().isEmpty()) {
            Mqtt5UserPropertiesBuilder props = Mqtt5UserProperties.builder();
            for (InboundPublish.UserProperty p : m.userProperties()) {
                props.add(p.name(), p.value());
            }
            b = b.userProperties(props.build());
        }
        return b.send().thenApply(r -> r.getError().isEmpty());
    }

    @Override
    public CompletableFuture<Void> subscribe(String filter, int qos, Executor executor, Consumer<MqttMessage> handler) {
        return subscribe(filter, qos, executor, false, handler);
    }

    @Override
    public CompletableFuture<Void> subscribeManualAck(String filter, int qos, Executor executor,
            Consumer<MqttMessage> handler) {
        return subscribe(filter, qos, executor, true, handler);
    }

    private CompletableFuture<Void> subscribe(String filter, int qos, Executor executor, boolean manualAck,
            Consumer<MqttMessage> handler) {
        var b = client.subscribeWith().topicFilter(filter).qos(qos(qos)).callback(p -> handler.accept(new Message(p)))
                .manualAcknowledgement(manualAck);
        if (executor != null) {
            b = b.executor(new AfterStopExecutor(executor));
        }
        return b.send().thenApply(ack -> null);
    }

    @Override
    public boolean isConnected() {
        return client.getState().isConnected();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return client.disconnect();
    }

    private static MqttQos qos(int qos) {
        MqttQos q = MqttQos.fromCode(qos);
        if (q == null) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, got " + qos);
        }
        return q;
    }

    /** A delivered publish, read on demand. */
    private record Message(Mqtt5Publish publish) implements MqttMessage {
        @Override
        public String topic() {
            return publish.getTopic().toString();
        }

        @Override
        public byte[] payload() {
            return publish.getPayloadAsBytes();
        }

        @Override
        public String userProperty(String name) {
            return publish.getUserProperties().asList().stream().filter(u -> u.getName().toString().equals(name))
                    .map(u -> u.getValue().toString()).findFirst().orElse(null);
        }

        @Override
        public void acknowledge() {
            publish.acknowledge();
        }
    }
}
