package io.aiotedge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.clients.MqttSession;
import io.aiotedge.core.mqtt.OutboundPublish;
import io.aiotedge.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts and commands as MQTT publishes on the role's own session (QoS 1, not retained): a
 * device's alerts on {@code aiot/v1/things/{id}/alerts}, its commands on
 * {@code aiot/v1/things/{id}/control}, and any other alert topic through {@link #publish}. Without
 * a session (before start, after stop) nothing is sent; a failed publish is logged, never thrown.
 * No state of its own; called from any thread.
 */
final class MqttOutlet implements Outlet {
    private static final Logger log = LoggerFactory.getLogger(MqttOutlet.class);

    private final Supplier<MqttSession> session;

    /** @param session the role's session now, or null while it has none */
    MqttOutlet(Supplier<MqttSession> session) {
        this.session = session;
    }

    @Override
    public void alert(String deviceId, ObjectNode alert) {
        publish(Topics.thingAlerts(deviceId), alert);
    }

    @Override
    public void command(String deviceId, ObjectNode command) {
        publish(Topics.thingControl(deviceId), command);
    }

    void publish(String topic, JsonNode body) {
        MqttSession c = session.get();
        if (c == null) {
            return;
        }
        c.publish(new OutboundPublish(topic, body.toString().getBytes(StandardCharsets.UTF_8), 1, false, List.of()))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        log.warn("Cannot publish to {}: {}", topic, e.getMessage());
                    }
                });
    }
}
