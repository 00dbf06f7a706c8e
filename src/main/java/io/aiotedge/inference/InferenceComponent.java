package io.aiotedge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.clients.MqttMessage;
import io.aiotedge.clients.MqttSession;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.ComponentState;
import io.aiotedge.core.Health;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.core.PlatformLink;
import io.aiotedge.core.mqtt.OutboundPublish;
import io.aiotedge.tflite.Backend;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference role: follows {@code aiot/v1/models/{name}/latest} (retained, so the current
 * champion arrives at connect) through the {@link ModelUpdater}, and scores every telemetry
 * window ({@link Scoring}) from one of two sources: Kafka {@code aiot.telemetry} as a consumer
 * group ({@link KafkaTelemetry}; servo commands on {@code aiot.control}), or, on nodes without
 * Kafka, {@code $share/aiot-inference/aiot/v1/things/+/telemetry} (several inference nodes split
 * the devices; commands on {@code aiot/v1/things/{id}/control}). Alerts go on
 * {@code aiot/v1/things/{id}/alerts}, which the bridge carries to {@code aiot.alerts}. A rejected
 * model is alerted on {@code aiot/v1/inference/alerts} and the running one keeps serving.
 */
public final class InferenceComponent extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(InferenceComponent.class);
    private static final Json JSON = Json.mapper();
    static final String TELEMETRY = Topics.shared("aiot-inference", Topics.thingTelemetry("+"));
    /** Windows waiting for the scoring thread before new ones are dropped (MQTT and gateway sources). */
    static final int QUEUE = 10_000;

    private final InferenceConfig config;
    private final Path dataDir;
    private final BoundPorts ports;
    private final Map<String, String> kafkaClient;
    private final Supplier<String> kafkaBootstrap;
    private final PlatformLink local;
    private final Scoring scoring;
    private final Counter modelsRejected;
    private final Counter commandFailures;
    private final String clientId;
    private volatile ModelUpdater updater;
    private volatile MqttSession client;
    private volatile String lastRejection;
    private volatile KafkaTelemetry kafka;
    private Thread kafkaThread;
    private ExecutorService scoringThread;
    private ExecutorService updates;

    /**
     * @param kafkaBootstrap the node's Kafka, or null when it has none; {@code inference.source}
     *     {@code auto} then means MQTT (the composition root refuses {@code kafka} without it)
     */
    /** @param local the platform role on this node, or null when it runs elsewhere */
    public InferenceComponent(InferenceConfig config, Path dataDir, BoundPorts ports, MeterRegistry meters,
            Map<String, String> kafkaClient, Supplier<String> kafkaBootstrap, PlatformLink local) {
        this(config, dataDir, ports, meters, kafkaClient, kafkaBootstrap, local, io.aiotedge.core.LiveFeed.NONE);
    }

    /** @param live where each score goes for the console (the platform's live hub on the same node) */
    public InferenceComponent(InferenceConfig config, Path dataDir, BoundPorts ports, MeterRegistry meters,
            Map<String, String> kafkaClient, Supplier<String> kafkaBootstrap, PlatformLink local,
            io.aiotedge.core.LiveFeed live) {
        super("inference");
        this.config = config;
        this.dataDir = dataDir;
        this.ports = ports;
        this.kafkaClient = Map.copyOf(kafkaClient);
        this.kafkaBootstrap = kafkaBootstrap;
        this.local = local;
        this.clientId = "aiot-inference-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        this.scoring = new Scoring(config, this::model, meters, live);
        this.modelsRejected = Counter.builder("aiot_inference_models_rejected_total")
                .description("Announced models refused (download, hash, signature, schema, load)").register(meters);
        Gauge.builder("aiot_inference_model_version", this, c -> {
            LoadedModel m = c.model();
            return m == null ? 0 : m.version();
        }).description("Version of the model being served; 0 = none").register(meters);
        Gauge.builder("aiot_inference_consumer_lag", this, c -> c.kafka == null ? 0 : c.kafka.lag())
                .description("Telemetry records in aiot.telemetry not yet scored (Kafka source)").register(meters);
        this.commandFailures = Counter.builder("aiot_inference_command_failures_total")
                .description("Servo commands Kafka did not store in aiot.control").register(meters);
    }

    /** Telemetry comes from Kafka (else from the broker). */
    public boolean fromKafka() {
        return config.source() == InferenceConfig.Source.KAFKA
                || config.source() == InferenceConfig.Source.AUTO && kafkaBootstrap != null;
    }

    @Override
    protected void doStart() throws Exception {
        updater = new ModelUpdater(dataDir.resolve("inference"), Backend.parse(config.backend()),
                NodeAccess.trustedKey(config, dataDir), NodeAccess.downloadToken(config, local),
                NodeAccess.platformUrl(config, local), config.modelName(), config.maxModelBytes(), config.trust());
        updater.restore();
        updates = Executors.newSingleThreadExecutor(NamedThreads.daemon("model-updater"));
        client = NodeAccess.connect(config, ports, clientId);
        client.subscribe(Topics.modelLatest(config.modelName()), 1, updates, this::onAnnouncement)
                .orTimeout(30, TimeUnit.SECONDS).join();
        Scoring.Outlet mqtt = new MqttOutlet();
        if (fromKafka()) {
            kafka = new KafkaTelemetry(kafkaClient, kafkaBootstrap.get(), config.groupId(), scoring, mqtt,
                    commandFailures);
            kafkaThread = new Thread(kafka, "inference-kafka");
            kafkaThread.setDaemon(true);
            kafkaThread.start();
            log.info("Inference following model {}; telemetry from Kafka {} (group {})", config.modelName(),
                    Topics.TELEMETRY, config.groupId());
        } else if (config.source() == InferenceConfig.Source.GATEWAY) {
            scoringThread = boundedScoringThread();
            log.info("Inference following model {}; telemetry from this node's gateway", config.modelName());
        } else {
            scoringThread = boundedScoringThread();
            client.subscribe(TELEMETRY, 0, scoringThread, p -> scoring.accept(deviceOf(p.topic()), p.payload(), mqtt))
                    .orTimeout(30, TimeUnit.SECONDS).join();
            log.info("Inference following model {}; telemetry from the broker ({})", config.modelName(), TELEMETRY);
        }
    }

    /** The {@code {deviceId}} level of {@code aiot/v1/things/{deviceId}/telemetry}, or null. */
    static String deviceOf(String topic) {
        return Topics.deviceOfTelemetry(topic);
    }

    /**
     * One scoring thread behind a bounded queue: when scoring falls {@link #QUEUE} windows behind,
     * new windows are dropped and counted ({@code outcome="overloaded"}) instead of piling up.
     */
    private ExecutorService boundedScoringThread() {
        return new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(QUEUE), NamedThreads.daemon("inference"),
                (task, pool) -> scoring.overloaded());
    }

    /**
     * The gateway's closed-loop hook ({@code inference.source: gateway}): a window the gateway on
     * this node just computed, handed over without a broker hop. Never blocks the gateway.
     */
    public void onGatewayTelemetry(io.aiotedge.wire.Telemetry t) {
        ExecutorService s = scoringThread;
        if (s == null || s.isShutdown()) {
            scoring.overloaded();
            return;
        }
        Scoring.Outlet mqtt = new MqttOutlet();
        s.execute(() -> scoring.accept(t, mqtt));
    }

    private void onAnnouncement(MqttMessage p) {
        try {
            LoadedModel m = updater.update(p.payload());
            lastRejection = null;
            log.debug("Model {} v{} in service", m.name(), m.version());
        } catch (ModelUpdater.Rejected e) {
            modelsRejected.increment();
            lastRejection = e.getMessage();
            log.warn("Model update refused, the running model stays: {}", e.getMessage());
            LoadedModel running = updater.current();
            publish(Topics.INFERENCE_ALERTS, rejectedAlert(config.modelName(), e.getMessage(),
                    running == null ? 0 : running.version()), false);
        } catch (RuntimeException e) {
            modelsRejected.increment();
            lastRejection = e.toString();
            log.warn("Model update failed: {}", e.toString());
        }
    }

    private void publish(String topic, JsonNode body, boolean retain) {
        MqttSession c = client;
        if (c == null) {
            return;
        }
        c.publish(new OutboundPublish(topic, body.toString().getBytes(StandardCharsets.UTF_8), 1, retain, List.of()))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        log.warn("Cannot publish to {}: {}", topic, e.getMessage());
                    }
                });
    }

    /** The alert on {@code aiot/v1/inference/alerts} for a refused model (docs/inference.md). */
    static ObjectNode rejectedAlert(String model, String reason, int servingVersion) {
        return JSON.createObjectNode().put("schemaVersion", 1).put("type", "model-rejected").put("model", model)
                .put("reason", reason).put("timestamp", System.currentTimeMillis())
                .put("servingVersion", servingVersion);
    }

    /** Alerts and commands as MQTT publishes (QoS 1). */
    private final class MqttOutlet implements Scoring.Outlet {
        @Override
        public void alert(String deviceId, ObjectNode alert) {
            publish(Topics.thingAlerts(deviceId), alert, false);
        }

        @Override
        public void command(String deviceId, ObjectNode command) {
            publish(Topics.thingControl(deviceId), command, false);
        }
    }

    /** The model being served, or null. */
    public LoadedModel model() {
        ModelUpdater u = updater;
        return u == null ? null : u.current();
    }

    public ConditionTracker conditions() {
        return scoring.tracker();
    }

    /** Kafka partitions of aiot.telemetry this instance scores (0 with the MQTT source). */
    int assignedPartitions() {
        KafkaTelemetry k = kafka;
        return k == null ? 0 : k.assigned();
    }

    /** Per-device aggregates of scores and bands (the conditions API). */
    public ConditionWindows windows() {
        return scoring.windows();
    }

    @Override
    public Health health() {
        if (state() != ComponentState.RUNNING || client == null) {
            return Health.down(state().name());
        }
        if (!client.isConnected()) {
            return Health.degraded("reconnecting to the broker");
        }
        KafkaTelemetry k = kafka;
        if (k != null && k.problem() != null) {
            return Health.degraded("telemetry consumer: " + k.problem());
        }
        if (updater.current() == null) {
            return Health.degraded("no model yet" + (lastRejection == null ? "" : "; last refused: " + lastRejection));
        }
        return lastRejection == null ? Health.up() : Health.degraded("last model refused: " + lastRejection);
    }

    @Override
    protected void doStop() throws InterruptedException {
        KafkaTelemetry k = kafka;
        kafka = null;
        if (k != null) {
            k.stop();
            kafkaThread.join(15_000);
        }
        MqttSession c = client;
        client = null;
        if (c != null) {
            try {
                c.disconnect().orTimeout(5, TimeUnit.SECONDS).join();
            } catch (RuntimeException e) {
                log.debug("Disconnect: {}", e.getMessage());
            }
        }
        for (ExecutorService e : new ExecutorService[] {scoringThread, updates}) {
            if (e != null) {
                e.shutdownNow();
                e.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        ModelUpdater u = updater;
        if (u != null && u.current() != null) {
            u.current().close();
        }
    }
}
