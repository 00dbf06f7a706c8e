package io.aiotedge.inference;

import io.aiotedge.clients.MqttSession;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.ComponentState;
import io.aiotedge.core.Health;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.core.PlatformLink;
import io.aiotedge.tflite.Backend;
import io.aiotedge.wire.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
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
 * window ({@link Scoring}) from one of three sources: Kafka {@code aiot.telemetry} as a consumer
 * group ({@link KafkaTelemetry}; servo commands on {@code aiot.control}), or, on nodes without
 * Kafka, {@code $share/aiot-inference/aiot/v1/things/+/telemetry} (several inference nodes split
 * the devices; commands on {@code aiot/v1/things/{id}/control}), or this node's gateway in-process
 * ({@link #onGatewayTelemetry}). Alerts go on {@code aiot/v1/things/{id}/alerts} ({@link MqttOutlet}),
 * which the bridge carries to {@code aiot.alerts}. A rejected model is alerted on
 * {@code aiot/v1/inference/alerts} and the running one keeps serving ({@link ModelMessages}).
 * It also follows the retained rollout message {@code aiot/v1/models/{name}/rollout} into a second
 * slot ({@link CandidateSlot}: shadow and canary scoring, docs/inference.md) and reports what it
 * serves to the platform ({@link NodeReporter}). Without a rollout message it behaves as before.
 * Threads, all made in {@code start} and ended in {@code stop}: {@code model-updater}
 * (announcements), {@code model-rollout} (rollout messages), and {@code inference-kafka} or one
 * bounded {@code inference} scoring thread. The served model, slot, reporter and session are
 * replaced at each start and may be read from any thread.
 */
public final class InferenceComponent extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(InferenceComponent.class);
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
    private final Counter commandFailures;
    private final String clientId;
    private final MqttOutlet outlet;
    private final ModelMessages messages;
    private volatile ModelUpdater updater;
    private volatile CandidateSlot slot;
    private volatile NodeReporter reporter;
    private volatile MqttSession client;
    private volatile KafkaTelemetry kafka;
    private Thread kafkaThread;
    private ExecutorService scoringThread;
    private ExecutorService updates;
    /** Rollout messages on their own thread: a candidate's download never holds up a champion change. */
    private ExecutorService rollouts;

    /**
     * @param kafkaBootstrap the node's Kafka, or null when it has none; {@code inference.source}
     *     {@code auto} then means MQTT (the composition root refuses {@code kafka} without it)
     * @param local the platform role on this node, or null when it runs elsewhere
     */
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
        this.scoring = new Scoring(config, this::model, this::candidate, alertNode(config), meters, live);
        this.outlet = new MqttOutlet(() -> client);
        this.messages = new ModelMessages(config.modelName(), meters, outlet::publish);
        Gauge.builder("aiot_inference_model_version", this, c -> {
            LoadedModel m = c.model();
            return m == null ? 0 : m.version();
        }).description("Version of the model being served; 0 = none").register(meters);
        Gauge.builder("aiot_inference_consumer_lag", this, c -> c.kafka == null ? 0 : c.kafka.lag())
                .description("Telemetry records in aiot.telemetry not yet scored (Kafka source)").register(meters);
        this.commandFailures = Counter.builder("aiot_inference_command_failures_total")
                .description("Servo commands Kafka did not store in aiot.control").register(meters);
        Gauge.builder("aiot_inference_candidate_version", this, c -> {
            CandidateSlot.Active a = c.candidate();
            return a == null ? 0 : a.model().version();
        }).description("Version of the rollout candidate loaded beside the champion; 0 = none").register(meters);
    }

    /** The node id alerts carry: the id of {@code inference.token}, or {@code local} on a platform node. */
    static String alertNode(InferenceConfig config) {
        String id = NodeReporter.idOf(config.token());
        return id == null ? "local" : id;
    }

    /** The rollout candidate loaded beside the champion, or null. */
    CandidateSlot.Active candidate() {
        CandidateSlot s = slot;
        return s == null ? null : s.active();
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
        CandidateSlot s = new CandidateSlot(dataDir.resolve("inference").resolve("candidate"), updater.fetcher());
        s.restore(updater.current());
        slot = s;
        startReporter();
        updates = Executors.newSingleThreadExecutor(NamedThreads.daemon("model-updater"));
        rollouts = Executors.newSingleThreadExecutor(NamedThreads.daemon("model-rollout"));
        client = NodeAccess.connect(config, ports, clientId);
        client.subscribe(Topics.modelLatest(config.modelName()), 1, updates,
                p -> messages.onAnnouncement(updater, slot, p))
                .orTimeout(30, TimeUnit.SECONDS).join();
        client.subscribe(Topics.modelRollout(config.modelName()), 1, rollouts,
                p -> messages.onRollout(updater, slot, reporter, p))
                .orTimeout(30, TimeUnit.SECONDS).join();
        if (fromKafka()) {
            kafka = new KafkaTelemetry(kafkaClient, kafkaBootstrap.get(), config.groupId(), scoring, outlet,
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
            client.subscribe(TELEMETRY, 0, scoringThread, p -> scoring.accept(deviceOf(p.topic()), p.payload(), outlet))
                    .orTimeout(30, TimeUnit.SECONDS).join();
            log.info("Inference following model {}; telemetry from the broker ({})", config.modelName(), TELEMETRY);
        }
    }

    private void startReporter() {
        if (config.reportSeconds() <= 0) {
            return;
        }
        String token = NodeAccess.downloadToken(config, local);
        String id = NodeReporter.idOf(token);
        if (id == null) {
            log.warn("inference.token is not a node token (node:<id>.<secret>); no reports to the platform");
            return;
        }
        reporter = new NodeReporter(NodeAccess.platformUrl(config, local), id, token, config.modelName(),
                this::model, slot, scoring.shadow(), config.trust());
        reporter.start(config.reportSeconds());
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
        s.execute(() -> scoring.accept(t, outlet));
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
        String lastRejection = messages.lastRejection();
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
        for (ExecutorService e : new ExecutorService[] {scoringThread, updates, rollouts}) {
            if (e != null) {
                e.shutdownNow();
                e.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        NodeReporter r = reporter;
        reporter = null;
        if (r != null) {
            r.stop();
        }
        ModelUpdater u = updater;
        if (u != null && u.current() != null) {
            u.current().close();
        }
        CandidateSlot s = slot;
        slot = null;
        if (s != null) {
            s.close();
        }
    }
}
