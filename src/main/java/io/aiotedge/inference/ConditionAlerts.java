package io.aiotedge.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a band change sends (docs/inference.md): one condition alert with the serving model and
 * the window's feature snapshot, and, on entering FAILURE, one servo command; both carry the
 * rollout id when a canary candidate served the device. No state but its two counters; called
 * from the scoring threads.
 */
final class ConditionAlerts {
    private static final Logger log = LoggerFactory.getLogger(ConditionAlerts.class);
    private static final Json JSON = Json.mapper();

    private final int servoAngle;
    private final String nodeId;
    private final Counter alerts;
    private final Counter commands;

    /** @param nodeId this node's id in alerts ({@code node}), {@code local} on a platform node */
    ConditionAlerts(int servoAngle, String nodeId, MeterRegistry meters) {
        this.servoAngle = servoAngle;
        this.nodeId = nodeId;
        this.alerts = Counter.builder("aiot_inference_alerts_total").description("Condition band changes alerted")
                .register(meters);
        this.commands = Counter.builder("aiot_inference_commands_total").description("Servo commands sent")
                .register(meters);
    }

    /**
     * @param at where each model feature stands in the window's values
     * @param rolloutId set when a rollout candidate serves the device (a canary), else null
     */
    void send(Telemetry t, LoadedModel model, ConditionTracker.Change c, int[] at, Outlet outlet,
            String rolloutId) {
        alerts.increment();
        outlet.alert(t.deviceId(), alert(t, model, c, at, rolloutId));
        log.info("Device {}: {} -> {} (score {})", t.deviceId(), c.from(), c.to(),
                String.format(Locale.ROOT, "%.3f", c.score()));
        if (c.to() == ConditionTracker.Band.FAILURE) {
            commands.increment();
            outlet.command(t.deviceId(), command(t, model, c, rolloutId));
        }
    }

    private ObjectNode alert(Telemetry t, LoadedModel model, ConditionTracker.Change c, int[] at, String rolloutId) {
        ObjectNode a = JSON.createObjectNode().put("schemaVersion", 1).put("type", "condition")
                .put("deviceId", t.deviceId()).put("band", c.to().name()).put("previousBand", c.from().name())
                .put("score", c.score()).put("model", model.name()).put("modelVersion", model.version())
                .put("timestamp", t.timestampMillis()).put("sequence", t.sequence()).put("node", nodeId);
        if (model.lineageId() != null) {
            a.put("lineageId", model.lineageId());
        }
        if (rolloutId != null) {
            a.put("rolloutId", rolloutId);
        }
        ObjectNode snapshot = a.putObject("features");
        for (int i = 0; i < at.length; i++) {
            snapshot.put(model.features().get(i), t.values()[at[i]]);
        }
        if (t.label() != null) {
            a.put("label", t.label());
        }
        return a;
    }

    private ObjectNode command(Telemetry t, LoadedModel model, ConditionTracker.Change c, String rolloutId) {
        ObjectNode cmd = JSON.createObjectNode().put("schemaVersion", 1).put("command", "servo")
                .put("angle", servoAngle).put("deviceId", t.deviceId())
                .put("reason", String.format(Locale.ROOT, "FAILURE: score %.3f from %s v%d", c.score(), model.name(),
                        model.version()))
                .put("timestamp", System.currentTimeMillis());
        if (rolloutId != null) {
            cmd.put("rolloutId", rolloutId);
        }
        return cmd;
    }
}
