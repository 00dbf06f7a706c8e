package io.aiotedge.gateway;

import io.aiotedge.clients.MqttConnector;
import io.aiotedge.clients.MqttMessage;
import io.aiotedge.clients.MqttSession;
import io.aiotedge.clients.MqttSettings;
import io.aiotedge.config.DspConfig;
import io.aiotedge.config.GatewayConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.ComponentState;
import io.aiotedge.core.Health;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.core.mqtt.InboundPublish.UserProperty;
import io.aiotedge.core.mqtt.OutboundPublish;
import io.aiotedge.wire.TelemetryListener;
import io.aiotedge.wire.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The things-gateway: subscribes to {@code aiot/v1/things/+/raw} at QoS 1 on its broker (this
 * node's, or a platform's over TLS with credentials), turns each frame into telemetry on
 * {@code aiot/v1/things/{id}/telemetry} (QoS 1), and sends frames it cannot read to
 * {@code aiot/v1/deadletter/{id}} with the reason in the user property {@code aiot.error} (on a
 * platform node the bridge carries those on to Kafka {@code aiot.deadletter}). A frame is
 * acknowledged to the broker only after its telemetry or dead letter was, so a crash loses
 * nothing, and at most {@code gateway.inFlight} frames are taken at a time (MQTT receive
 * maximum), so a slow gateway slows the broker's delivery instead of queueing. Each telemetry
 * message also goes to the in-process {@link TelemetryListener}s (the closed-loop hook) and into
 * the per-device summaries on {@code .../telemetry/agg} ({@link Aggregator}). What it publishes
 * goes out on {@code gateway.publishConnections} connections, a device always on the same one
 * (chosen by its raw topic), so the line is not capped by one client's publishes, which the broker
 * runs one at a time, and each device's telemetry stays in order.
 */
public final class GatewayComponent extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(GatewayComponent.class);
    static final String LABEL_PROPERTY = "aiot.label";
    /** On telemetry with a label: who labelled the raw frame (the ingest decides whether to trust it). */
    static final String LABELLED_BY = "aiot.labelledBy";
    static final String LABELLED_BY_ROLE = "aiot.labelledByRole";

    private final GatewayConfig config;
    private final DspConfig dsp;
    private final BoundPorts ports;
    private final Counter telemetry;
    private final Counter deadLettered;
    private final Timer extract;
    private final Counter aggregates;
    private final List<TelemetryListener> listeners;
    private MqttSession client;
    private List<MqttSession> publishers = List.of();
    private ExecutorService worker;

    /** @param listeners in-process consumers of each telemetry message (closed-loop inference) */
    public GatewayComponent(GatewayConfig config, DspConfig dsp, BoundPorts ports, MeterRegistry meters,
            List<TelemetryListener> listeners) {
        super("gateway");
        this.listeners = List.copyOf(listeners);
        this.aggregates = Counter.builder("aiot_gateway_aggregates_total")
                .description("Per-device summaries published on .../telemetry/agg").register(meters);
        this.config = config;
        this.dsp = dsp;
        this.ports = ports;
        this.telemetry = Counter.builder("aiot_gateway_frames_total").tag("outcome", "telemetry").register(meters);
        this.deadLettered = Counter.builder("aiot_gateway_frames_total").tag("outcome", "dead_lettered")
                .register(meters);
        this.extract = Timer.builder("aiot_gateway_frame_seconds").description("Raw frame decode + features + encode")
                .register(meters);
    }

    @Override
    protected void doStart() {
        MqttSettings mqtt = MqttSettings.of(config, ports.get("mqtt"));
        FrameProcessor processor = new FrameProcessor(dsp);
        Aggregator aggregator = config.aggregateSeconds() > 0 ? new Aggregator(config.aggregateSeconds() * 1000L)
                : null;
        worker = Executors.newSingleThreadExecutor(NamedThreads.daemon("gateway")); // owns the extractor
        MqttConnector connector = new MqttConnector(mqtt);
        String clientId = "aiot-gateway-" + ProcessHandle.current().pid();
        client = connector.connect(clientId, config.inFlight());
        List<MqttSession> out = new ArrayList<>();
        for (int i = 1; config.publishConnections() > 1 && i <= config.publishConnections(); i++) {
            out.add(connector.connect(clientId + "-out" + i, config.inFlight()));
        }
        publishers = out.isEmpty() ? List.of(client) : List.copyOf(out);
        client.subscribeManualAck(Topics.thingRaw("+"), 1, worker, p -> handle(processor, aggregator, p))
                .orTimeout(30, TimeUnit.SECONDS).join();
        log.info("Gateway processing raw frames from {}:{} ({} channels x {} samples at {} Hz), publishing over {}"
                + " connection(s)", mqtt.host(), mqtt.port(), dsp.channels().size(), dsp.windowSize(),
                dsp.sampleRate(), publishers.size());
    }

    private static String property(MqttMessage p, String name) {
        String v = p.userProperty(name);
        return v == null ? "unknown" : v;
    }

    private void handle(FrameProcessor processor, Aggregator aggregator, MqttMessage raw) {
        long t0 = System.nanoTime();
        String label = raw.userProperty(LABEL_PROPERTY);
        FrameProcessor.Result r = processor.process(raw.topic(), raw.payload(), label, System.currentTimeMillis());
        extract.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        java.util.concurrent.CompletableFuture<?> publish;
        MqttSession out = publishers.get(Math.floorMod(raw.topic().hashCode(), publishers.size()));
        if (r instanceof FrameProcessor.Out frame) {
            telemetry.increment();
            // with a label: who labelled it, the raw frame's sender as the broker stamped it, else unknown
            List<UserProperty> labelledBy = label == null ? List.of()
                    : List.of(new UserProperty(LABELLED_BY, property(raw, "aiot.principal")),
                            new UserProperty(LABELLED_BY_ROLE, property(raw, "aiot.principalRole")));
            publish = out.publish(new OutboundPublish(frame.topic(), frame.payload(), 1, false, labelledBy));
            for (TelemetryListener l : listeners) {
                l.onTelemetry(frame.telemetry());
            }
            Aggregator.Summary summary = aggregator == null ? null : aggregator.add(frame.telemetry());
            if (summary != null) {
                aggregates.increment();
                out.publish(new OutboundPublish(summary.topic(), summary.payload(), 1, false, List.of()));
            }
        } else {
            FrameProcessor.Dead dead = (FrameProcessor.Dead) r;
            deadLettered.increment();
            log.debug("Dead-lettered a frame on {}: {}", raw.topic(), dead.reason());
            publish = out.publish(new OutboundPublish(dead.topic(), raw.payload(), 1, false,
                    List.of(new UserProperty("aiot.error", dead.reason()),
                            new UserProperty("aiot.sourceTopic", raw.topic()))));
        }
        publish.whenComplete((ok, e) -> {
            if (e == null) {
                raw.acknowledge(); // only now may the broker forget the frame
            } else {
                log.warn("Gateway could not publish for {}: {}", raw.topic(), e.toString());
            }
        });
    }

    @Override
    public Health health() {
        if (state() != ComponentState.RUNNING || client == null) {
            return Health.down(state().name());
        }
        long down = publishers.stream().filter(p -> !p.isConnected()).count();
        if (!client.isConnected() || down > 0) {
            return Health.degraded("reconnecting to the broker");
        }
        return Health.up();
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (client != null) {
            client.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
            for (MqttSession p : publishers) {
                if (p != client) {
                    p.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
                }
            }
            publishers = List.of();
            client = null;
        }
        if (worker != null) {
            worker.shutdownNow();
            worker.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
