package io.aiotedge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.ComponentState;
import io.aiotedge.core.Health;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.wire.FrameException;
import io.aiotedge.wire.ModelSignatures;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference role: follows {@code aiot/v1/models/{name}/latest} (retained, so the current
 * champion arrives at connect) through the {@link ModelUpdater}; scores every telemetry window
 * from {@code $share/aiot-inference/aiot/v1/things/+/telemetry} (several inference nodes split the
 * devices); keeps each device's condition band ({@link ConditionTracker}); publishes a band change
 * once on {@code aiot/v1/things/{id}/alerts} (the bridge carries it to {@code aiot.alerts}); and
 * sends {@code {"command":"servo","angle":..}} on {@code aiot/v1/things/{id}/control} when a
 * motor enters FAILURE. A rejected model is alerted on {@code aiot/v1/inference/alerts} and the
 * running one keeps serving.
 */
public final class InferenceComponent extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(InferenceComponent.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TELEMETRY = "$share/aiot-inference/aiot/v1/things/+/telemetry";

    private final InferenceConfig config;
    private final Path dataDir;
    private final BoundPorts ports;
    private final ConditionTracker tracker;
    private final TelemetryCodec codec = new TelemetryCodec();
    private final Counter scored;
    private final Counter skipped;
    private final Counter alerts;
    private final Counter commands;
    private final Counter modelsRejected;
    private final Timer latency;
    private volatile ModelUpdater updater;
    private volatile Mqtt5AsyncClient client;
    private volatile String lastRejection;
    private ExecutorService scoring;
    private ExecutorService updates;

    public InferenceComponent(InferenceConfig config, Path dataDir, BoundPorts ports, MeterRegistry meters) {
        super("inference");
        this.config = config;
        this.dataDir = dataDir;
        this.ports = ports;
        this.tracker = new ConditionTracker(config.warning(), config.failure(), config.hysteresis(),
                config.confirmWindows());
        this.scored = Counter.builder("aiot_inference_windows_total").tag("outcome", "scored").register(meters);
        this.skipped = Counter.builder("aiot_inference_windows_total").tag("outcome", "skipped")
                .description("Telemetry windows not scored: no model yet, undecodable, or lacking model features")
                .register(meters);
        this.alerts = Counter.builder("aiot_inference_alerts_total").description("Condition band changes alerted")
                .register(meters);
        this.commands = Counter.builder("aiot_inference_commands_total").description("Servo commands sent")
                .register(meters);
        this.modelsRejected = Counter.builder("aiot_inference_models_rejected_total")
                .description("Announced models refused (download, hash, signature, schema, load)").register(meters);
        this.latency = Timer.builder("aiot_inference_latency_seconds")
                .description("Telemetry window timestamp to score (includes the gateway and broker)")
                .publishPercentiles(0.5, 0.99).register(meters);
        Gauge.builder("aiot_inference_model_version", this, c -> {
            LoadedModel m = c.updater == null ? null : c.updater.current();
            return m == null ? 0 : m.version();
        }).description("Version of the model being served; 0 = none").register(meters);
        for (ConditionTracker.Band b : ConditionTracker.Band.values()) {
            Gauge.builder("aiot_inference_devices", tracker, t -> t.census().get(b)).tag("band", b.name())
                    .description("Devices per condition band").register(meters);
        }
    }

    @Override
    protected void doStart() throws Exception {
        updater = new ModelUpdater(dataDir.resolve("inference"), Backend.parse(config.backend()), trustedKey(),
                downloadToken(), null);
        updater.restore();
        scoring = Executors.newSingleThreadExecutor(NamedThreads.daemon("inference"));
        updates = Executors.newSingleThreadExecutor(NamedThreads.daemon("model-updater"));
        int port = config.port() != 0 ? config.port() : ports.get("mqtt");
        if (port <= 0) {
            throw new IllegalStateException("inference.port is 0 but this node runs no broker: set inference.host and .port");
        }
        var b = Mqtt5Client.builder().identifier("aiot-inference-" + ProcessHandle.current().pid())
                .serverHost(config.host()).serverPort(port).automaticReconnectWithDefaultConfig();
        if (config.tls()) {
            b = b.sslWithDefaultConfig();
        }
        if (!config.username().isEmpty()) {
            b = b.simpleAuth().username(config.username()).password(config.password().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        client = b.buildAsync();
        client.connectWith().cleanStart(true).send().orTimeout(30, TimeUnit.SECONDS).join();
        client.subscribeWith().topicFilter("aiot/v1/models/" + config.modelName() + "/latest").qos(MqttQos.AT_LEAST_ONCE)
                .callback(this::onAnnouncement).executor(updates).send().orTimeout(30, TimeUnit.SECONDS).join();
        client.subscribeWith().topicFilter(TELEMETRY).qos(MqttQos.AT_MOST_ONCE).callback(this::onTelemetry)
                .executor(scoring).send().orTimeout(30, TimeUnit.SECONDS).join();
        log.info("Inference following model {} on {}:{}", config.modelName(), config.host(), port);
    }

    private PublicKey trustedKey() throws Exception {
        if (!config.publicKey().isBlank()) {
            return ModelSignatures.parsePublicKey(config.publicKey());
        }
        Path local = dataDir.resolve("keys/model-signing.pub");
        if (!Files.exists(local)) {
            throw new IllegalStateException("no model-signing key: set inference.publicKey (aiot-edge models pubkey)");
        }
        return java.security.KeyFactory.getInstance("Ed25519").generatePublic(
                new java.security.spec.X509EncodedKeySpec(Files.readAllBytes(local)));
    }

    private String downloadToken() throws java.io.IOException {
        if (!config.token().isBlank()) {
            return config.token();
        }
        Path f = dataDir.resolve("keys/admin-token");
        return Files.exists(f) ? Files.readString(f).trim() : null;
    }

    private void onAnnouncement(Mqtt5Publish p) {
        try {
            LoadedModel m = updater.update(p.getPayloadAsBytes());
            lastRejection = null;
            log.debug("Model {} v{} in service", m.name(), m.version());
        } catch (ModelUpdater.Rejected e) {
            modelsRejected.increment();
            lastRejection = e.getMessage();
            log.warn("Model update refused, the running model stays: {}", e.getMessage());
            ObjectNode alert = JSON.createObjectNode().put("schemaVersion", 1).put("type", "model-rejected")
                    .put("model", config.modelName()).put("reason", e.getMessage())
                    .put("timestamp", System.currentTimeMillis());
            LoadedModel running = updater.current();
            alert.put("servingVersion", running == null ? 0 : running.version());
            publish("aiot/v1/inference/alerts", alert, false);
        } catch (RuntimeException e) {
            modelsRejected.increment();
            lastRejection = e.toString();
            log.warn("Model update failed: {}", e.toString());
        }
    }

    private void onTelemetry(Mqtt5Publish p) {
        LoadedModel model = updater.current();
        Telemetry t;
        try {
            t = codec.decode(p.getPayloadAsBytes());
        } catch (FrameException e) {
            skipped.increment();
            return;
        }
        if (model == null) {
            skipped.increment();
            return;
        }
        float[] x = new float[model.features().size()];
        for (int i = 0; i < x.length; i++) {
            int at = t.names().indexOf(model.features().get(i));
            if (at < 0) {
                skipped.increment();
                return;
            }
            x[i] = (float) t.values()[at];
        }
        float score = model.score(x);
        scored.increment();
        latency.record(Math.max(0, System.currentTimeMillis() - t.timestampMillis()), TimeUnit.MILLISECONDS);
        ConditionTracker.Change c = tracker.update(t.deviceId(), score);
        if (c != null) {
            alert(t, model, c);
        }
    }

    private void alert(Telemetry t, LoadedModel model, ConditionTracker.Change c) {
        alerts.increment();
        ObjectNode a = JSON.createObjectNode().put("schemaVersion", 1).put("type", "condition")
                .put("deviceId", t.deviceId()).put("band", c.to().name()).put("previousBand", c.from().name())
                .put("score", c.score()).put("model", model.name()).put("modelVersion", model.version())
                .put("timestamp", t.timestampMillis()).put("sequence", t.sequence());
        ObjectNode snapshot = a.putObject("features");
        for (String f : model.features()) {
            snapshot.put(f, t.values()[t.names().indexOf(f)]);
        }
        if (t.label() != null) {
            a.put("label", t.label());
        }
        publish("aiot/v1/things/" + t.deviceId() + "/alerts", a, false);
        log.info("Device {}: {} -> {} (score {})", t.deviceId(), c.from(), c.to(), String.format("%.3f", c.score()));
        if (c.to() == ConditionTracker.Band.FAILURE) {
            commands.increment();
            ObjectNode cmd = JSON.createObjectNode().put("schemaVersion", 1).put("command", "servo")
                    .put("angle", config.servoAngle()).put("deviceId", t.deviceId())
                    .put("reason", String.format("FAILURE: score %.3f from %s v%d", c.score(), model.name(),
                            model.version()))
                    .put("timestamp", System.currentTimeMillis());
            publish("aiot/v1/things/" + t.deviceId() + "/control", cmd, false);
        }
    }

    private void publish(String topic, JsonNode body, boolean retain) {
        Mqtt5AsyncClient c = client;
        if (c == null) {
            return;
        }
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                .payload(body.toString().getBytes(StandardCharsets.UTF_8)).send()
                .whenComplete((r, e) -> {
                    if (e != null) {
                        log.warn("Cannot publish to {}: {}", topic, e.getMessage());
                    }
                });
    }

    /** The model being served, or null. */
    public LoadedModel model() {
        ModelUpdater u = updater;
        return u == null ? null : u.current();
    }

    public ConditionTracker conditions() {
        return tracker;
    }

    @Override
    public Health health() {
        if (state() != ComponentState.RUNNING || client == null) {
            return Health.down(state().name());
        }
        if (!client.getState().isConnected()) {
            return Health.degraded("reconnecting to the broker");
        }
        if (updater.current() == null) {
            return Health.degraded("no model yet" + (lastRejection == null ? "" : "; last refused: " + lastRejection));
        }
        return lastRejection == null ? Health.up() : Health.degraded("last model refused: " + lastRejection);
    }

    @Override
    protected void doStop() throws InterruptedException {
        Mqtt5AsyncClient c = client;
        client = null;
        if (c != null) {
            try {
                c.disconnect().orTimeout(5, TimeUnit.SECONDS).join();
            } catch (RuntimeException e) {
                log.debug("Disconnect: {}", e.getMessage());
            }
        }
        for (ExecutorService e : new ExecutorService[] {scoring, updates}) {
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
