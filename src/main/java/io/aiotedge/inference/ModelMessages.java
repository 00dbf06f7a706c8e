package io.aiotedge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.clients.MqttMessage;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the inference role does with its two retained model messages: an announcement goes to the
 * {@link ModelUpdater} (and the {@link CandidateSlot} learns the new champion), a rollout message
 * to the slot. A refused one is counted and alerted on {@code aiot/v1/inference/alerts}
 * (docs/inference.md) while the running model keeps serving; the last refused announcement is kept
 * for the role's health until one is accepted. Announcements arrive on the model-updater thread,
 * rollout messages on the model-rollout thread; {@link #lastRejection} may be read from any thread.
 * Lives as long as its component, across restarts.
 */
final class ModelMessages {
    private static final Logger log = LoggerFactory.getLogger(ModelMessages.class);
    private static final Json JSON = Json.mapper();

    private final String modelName;
    private final BiConsumer<String, JsonNode> alerts;
    private final Counter modelsRejected;
    private final Counter candidatesRejected;
    private volatile String lastRejection;

    /** @param alerts publishes one alert (topic, body), QoS 1, not retained */
    ModelMessages(String modelName, MeterRegistry meters, BiConsumer<String, JsonNode> alerts) {
        this.modelName = modelName;
        this.alerts = alerts;
        this.modelsRejected = Counter.builder("aiot_inference_models_rejected_total")
                .description("Announced models refused (download, hash, signature, schema, load)").register(meters);
        this.candidatesRejected = Counter.builder("aiot_inference_candidates_rejected_total")
                .description("Rollout messages or candidates refused (signature, download, hash, schema, load)")
                .register(meters);
    }

    /** The reason the last announcement was refused, or null since one was accepted (or before any). */
    String lastRejection() {
        return lastRejection;
    }

    void onAnnouncement(ModelUpdater updater, CandidateSlot slot, MqttMessage p) {
        try {
            LoadedModel m = updater.update(p.payload(), slot::bytesOf);
            slot.championIs(m);
            lastRejection = null;
            log.debug("Model {} v{} in service", m.name(), m.version());
        } catch (ModelUpdater.Rejected e) {
            modelsRejected.increment();
            lastRejection = e.getMessage();
            log.warn("Model update refused, the running model stays: {}", e.getMessage());
            alerts.accept(Topics.INFERENCE_ALERTS, rejectedAlert(modelName, e.getMessage(), serving(updater)));
        } catch (RuntimeException e) {
            modelsRejected.increment();
            lastRejection = e.toString();
            log.warn("Model update failed: {}", e.toString());
        }
    }

    /** @param reporter told to report soon after a rollout message was acted on; null without reports */
    void onRollout(ModelUpdater updater, CandidateSlot slot, NodeReporter reporter, MqttMessage p) {
        if (p.payload().length == 0) {
            return; // a cleared retained message: nothing to act on, the slot stays as it is
        }
        try {
            CandidateSlot.Active a = slot.apply(p.payload(), updater::current);
            log.debug("Rollout slot: {}", a == null ? "empty" : a.rolloutId() + " " + a.stage());
        } catch (ModelUpdater.Rejected e) {
            candidatesRejected.increment();
            log.warn("Rollout message refused, the champion serves every device: {}", e.getMessage());
            alerts.accept(Topics.INFERENCE_ALERTS,
                    rejectedAlert(modelName, e.getMessage(), serving(updater)).put("slot", "candidate"));
        } catch (RuntimeException e) {
            candidatesRejected.increment();
            log.warn("Rollout message failed: {}", e.toString());
        }
        if (reporter != null) {
            reporter.soon();
        }
    }

    private static int serving(ModelUpdater updater) {
        LoadedModel running = updater.current();
        return running == null ? 0 : running.version();
    }

    /** The alert on {@code aiot/v1/inference/alerts} for a refused model (docs/inference.md). */
    static ObjectNode rejectedAlert(String model, String reason, int servingVersion) {
        return JSON.createObjectNode().put("schemaVersion", 1).put("type", "model-rejected").put("model", model)
                .put("reason", reason).put("timestamp", System.currentTimeMillis())
                .put("servingVersion", servingVersion);
    }
}
