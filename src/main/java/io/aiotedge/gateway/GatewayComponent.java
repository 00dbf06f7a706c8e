package io.aiotedge.gateway;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aiotedge.config.DspConfig;
import io.aiotedge.config.GatewayConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.ComponentState;
import io.aiotedge.core.Health;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.wire.TelemetryListener;
import io.aiotedge.wire.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
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
 * the per-device summaries on {@code .../telemetry/agg} ({@link Aggregator}).
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
    private Mqtt5AsyncClient client;
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
        int port = config.port() != 0 ? config.port() : ports.get("mqtt");
        FrameProcessor processor = new FrameProcessor(dsp);
        Aggregator aggregator = config.aggregateSeconds() > 0 ? new Aggregator(config.aggregateSeconds() * 1000L) : null;
        worker = Executors.newSingleThreadExecutor(NamedThreads.daemon("gateway")); // owns the extractor
        var b = Mqtt5Client.builder().identifier("aiot-gateway-" + ProcessHandle.current().pid())
                .serverHost(config.host()).serverPort(port).automaticReconnectWithDefaultConfig();
        if (config.tls()) {
            b = b.sslWithDefaultConfig();
        }
        if (!config.username().isEmpty()) {
            b = b.simpleAuth().username(config.username())
                    .password(config.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        client = b.buildAsync();
        client.connectWith().cleanStart(true).restrictions().receiveMaximum(config.inFlight()).applyRestrictions()
                .send().orTimeout(30, TimeUnit.SECONDS).join();
        client.subscribeWith().topicFilter(Topics.thingRaw("+"))
                .qos(MqttQos.AT_LEAST_ONCE).callback(p -> handle(processor, aggregator, p)).executor(worker)
                .manualAcknowledgement(true).send().orTimeout(30, TimeUnit.SECONDS).join();
        log.info("Gateway processing raw frames from {}:{} ({} channels x {} samples at {} Hz)", config.host(), port,
                dsp.channels().size(), dsp.windowSize(), dsp.sampleRate());
    }

    private static String property(Mqtt5Publish p, String name) {
        return p.getUserProperties().asList().stream().filter(u -> u.getName().toString().equals(name))
                .map(u -> u.getValue().toString()).findFirst().orElse("unknown");
    }

    private void handle(FrameProcessor processor, Aggregator aggregator, Mqtt5Publish raw) {
        long t0 = System.nanoTime();
        String label = raw.getUserProperties().asList().stream()
                .filter(p -> p.getName().toString().equals(LABEL_PROPERTY)).map(p -> p.getValue().toString())
                .findFirst().orElse(null);
        FrameProcessor.Result r = processor.process(raw.getTopic().toString(), raw.getPayloadAsBytes(), label,
                System.currentTimeMillis());
        extract.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        java.util.concurrent.CompletableFuture<?> publish;
        if (r instanceof FrameProcessor.Out out) {
            telemetry.increment();
            var message = client.publishWith().topic(out.topic()).qos(MqttQos.AT_LEAST_ONCE).payload(out.payload());
            if (label != null) { // who labelled it: the raw frame's sender as the broker stamped it, else unknown
                message = message.userProperties().add(LABELLED_BY, property(raw, "aiot.principal"))
                        .add(LABELLED_BY_ROLE, property(raw, "aiot.principalRole")).applyUserProperties();
            }
            publish = message.send();
            for (TelemetryListener l : listeners) {
                l.onTelemetry(out.telemetry());
            }
            Aggregator.Summary summary = aggregator == null ? null : aggregator.add(out.telemetry());
            if (summary != null) {
                aggregates.increment();
                client.publishWith().topic(summary.topic()).qos(MqttQos.AT_LEAST_ONCE).payload(summary.payload()).send();
            }
        } else {
            FrameProcessor.Dead dead = (FrameProcessor.Dead) r;
            deadLettered.increment();
            log.debug("Dead-lettered a frame on {}: {}", raw.getTopic(), dead.reason());
            publish = client.publishWith().topic(dead.topic()).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(raw.getPayloadAsBytes()).userProperties().add("aiot.error", dead.reason())
                    .add("aiot.sourceTopic", raw.getTopic().toString()).applyUserProperties().send();
        }
        publish.whenComplete((ok, e) -> {
            if (e == null) {
                raw.acknowledge(); // only now may the broker forget the frame
            } else {
                log.warn("Gateway could not publish for {}: {}", raw.getTopic(), e.toString());
            }
        });
    }

    @Override
    public Health health() {
        if (state() != ComponentState.RUNNING || client == null) {
            return Health.down(state().name());
        }
        return client.getState().isConnected() ? Health.up() : Health.degraded("reconnecting to the broker");
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (client != null) {
            client.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
            client = null;
        }
        if (worker != null) {
            worker.shutdownNow();
            worker.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
