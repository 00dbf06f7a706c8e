package io.aiotedge.models;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.core.RecordSink;
import io.aiotedge.core.mqtt.MqttPublisher;
import io.aiotedge.core.mqtt.OutboundPublish;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.ModelSignatures;
import io.aiotedge.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells inference nodes and devices about a new champion: a retained announcement on
 * {@code aiot/v1/models/{name}/latest} and a record keyed by name on {@code aiot.models}; and,
 * when legacy devices are on, the reference firmware's {@code {"command":"download-model",...}}
 * on {@code control-message}. Where this node's bridge downlink carries a Kafka topic to MQTT, the
 * record alone is sent (the downlink publishes it), so a device never sees one announcement twice.
 * Thread-safe.
 */
public final class Announcer {
    private static final Logger log = LoggerFactory.getLogger(Announcer.class);
    private static final Json JSON = Json.mapper();

    private final Supplier<MqttPublisher> mqtt;
    private final RecordSink kafka;
    private final boolean downlinkCarriesModels;
    private final boolean downlinkCarriesLegacy;
    private final boolean downlinkCarriesRollouts;
    private final boolean legacyDevices;

    /**
     * @param mqtt the node's broker, or a supplier of null when it has none
     * @param kafka null when the node has no Kafka
     * @param downlinkCarriesModels the bridge downlink maps {@code aiot.models} to MQTT on this node
     * @param downlinkCarriesLegacy the bridge downlink maps {@code control-message} to MQTT on this node
     */
    public Announcer(Supplier<MqttPublisher> mqtt, RecordSink kafka, boolean downlinkCarriesModels,
            boolean downlinkCarriesLegacy, boolean legacyDevices) {
        this(mqtt, kafka, downlinkCarriesModels, downlinkCarriesLegacy, false, legacyDevices);
    }

    /** @param downlinkCarriesRollouts the bridge downlink maps {@code aiot.rollouts} to MQTT on this node */
    public Announcer(Supplier<MqttPublisher> mqtt, RecordSink kafka, boolean downlinkCarriesModels,
            boolean downlinkCarriesLegacy, boolean downlinkCarriesRollouts, boolean legacyDevices) {
        this.mqtt = mqtt;
        this.kafka = kafka;
        this.downlinkCarriesModels = downlinkCarriesModels && kafka != null;
        this.downlinkCarriesLegacy = downlinkCarriesLegacy && kafka != null;
        this.downlinkCarriesRollouts = downlinkCarriesRollouts && kafka != null;
        this.legacyDevices = legacyDevices;
    }

    /**
     * Sends a signed rollout message: a record keyed by name on {@code aiot.rollouts} and, where no
     * downlink carries that topic, retained on {@code aiot/v1/models/{name}/rollout} directly.
     */
    public CompletableFuture<Void> announceRollout(String name, byte[] payload) {
        List<CompletableFuture<Void>> sends = new java.util.ArrayList<>();
        if (kafka != null) {
            sends.add(kafka.send(Topics.ROLLOUTS, name, payload));
        }
        if (!downlinkCarriesRollouts) {
            sends.add(mqttPublish(new OutboundPublish(Topics.modelRollout(name), payload, 1, true, List.of())));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    /** Publishes an event about a model's rollout (a rollback alert) on {@code aiot/v1/models/{name}/events}. */
    public CompletableFuture<Void> announceEvent(String name, byte[] payload) {
        return mqttPublish(new OutboundPublish(Topics.modelEvents(name), payload, 1, false, List.of()));
    }

    /** The registry's signed word that a champion replaces versions up to {@code supersedes} (a rollback). */
    public record Rollback(int supersedes, String signature) {
    }

    /**
     * What the metadata signature covers for {@code v}: the announcement's signed fields, read back
     * from their JSON text first, exactly as a consumer parses them.
     */
    static byte[] metadataStatement(ModelVersion v) {
        try {
            return ModelSignatures.metadataStatement(JSON.readTree(JSON.writeValueAsString(body(v, "", "", null))));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot render model " + v.name() + " v" + v.version(), e);
        }
    }

    /** The announcement body: what a consumer needs to fetch and check the model. */
    public static ObjectNode body(ModelVersion v, String alias, String baseUrl, Rollback rollback) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schemaVersion", 1);
        n.put("name", v.name());
        n.put("version", v.version());
        n.put("alias", alias);
        n.put("sha256", v.sha256());
        n.put("size", v.size());
        n.put("format", v.format());
        String path = "/api/v1/models/" + v.name() + "/versions/" + v.version() + "/download";
        n.put("path", path);
        n.put("url", baseUrl + path);
        n.put("signature", v.signature());
        n.put("signedStatement", new String(ModelSigner.statement(v.name(), v.version(), v.sha256(), v.size()),
                StandardCharsets.UTF_8));
        if (v.metadataSignature() != null) {
            n.put("metadataSignature", v.metadataSignature());
        }
        n.set("inputSchema", v.inputSchema());
        n.set("quantization", v.quantization());
        if (v.lineageId() != null) {
            n.put("lineageId", v.lineageId());
        }
        if (rollback != null) {
            n.putObject("rollback").put("supersedes", rollback.supersedes()).put("signature", rollback.signature());
        }
        return n;
    }

    /** Sends the champion announcement everywhere it goes; completes when all sends are done. */
    public CompletableFuture<Void> announce(ModelVersion v, String baseUrl, Rollback rollback) {
        byte[] payload = JSON.valueToTree(body(v, "champion", baseUrl, rollback)).toString()
                .getBytes(StandardCharsets.UTF_8);
        List<CompletableFuture<Void>> sends = new java.util.ArrayList<>();
        if (kafka != null) {
            sends.add(kafka.send(Topics.MODELS, v.name(), payload));
        }
        if (!downlinkCarriesModels) {
            sends.add(mqttPublish(new OutboundPublish(Topics.modelLatest(v.name()), payload, 1, true,
                    List.of())));
        }
        if (legacyDevices) {
            byte[] cmd = JSON.createObjectNode().put("command", "download-model").put("payload", v.fileName())
                    .toString().getBytes(StandardCharsets.UTF_8);
            if (kafka != null) {
                sends.add(kafka.send(Topics.LEGACY_CONTROL, v.name(), cmd));
            }
            if (!downlinkCarriesLegacy) {
                sends.add(mqttPublish(new OutboundPublish(Topics.LEGACY_CONTROL, cmd, 1, false, List.of())));
            }
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).whenComplete((x, e) -> {
            if (e != null) {
                log.warn("Announcing {} v{} failed: {}", v.name(), v.version(), e.getMessage());
            } else {
                log.info("Announced {} v{} as champion", v.name(), v.version());
            }
        });
    }

    private CompletableFuture<Void> mqttPublish(OutboundPublish p) {
        MqttPublisher m = mqtt.get();
        return m == null ? CompletableFuture.completedFuture(null) : m.publish(p);
    }
}
