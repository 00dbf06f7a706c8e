package io.aiotedge.simulator;

import io.aiotedge.clients.MqttConnector;
import io.aiotedge.clients.MqttSession;
import io.aiotedge.clients.MqttSettings;
import io.aiotedge.config.SimulatorConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.core.mqtt.InboundPublish.UserProperty;
import io.aiotedge.core.mqtt.OutboundPublish;
import io.aiotedge.wire.RawFrame;
import io.aiotedge.wire.RawFrameCodec;
import io.aiotedge.wire.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated motor fleet ({@link MotorSignals}) publishing over MQTT at QoS 1, like real
 * devices: raw frames on {@code aiot/v1/things/{id}/raw} (binary or JSON), or the reference
 * firmware's JSON on {@code shaded-pole-motor-sensor_data}. Frame k of every motor is sent at
 * start + k / framesPerSecond; a frame whose previous publish is not yet acknowledged is skipped
 * and counted, so a slow broker slows nothing down and nothing queues without bound.
 */
public final class SimulatorComponent extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(SimulatorComponent.class);
    /** The ground truth rides along as an MQTT 5 user property; the gateway copies it into telemetry. */
    static final String LABEL_PROPERTY = "aiot.label";

    private final SimulatorConfig config;
    private final int samplesPerChannel;
    private final float sampleRate;
    private final List<String> channels;
    private final BoundPorts ports;
    private final Counter published;
    private final Counter skipped;
    private final Counter failed;
    private final List<MqttSession> clients = new ArrayList<>();
    private final Counter commands;
    private final AtomicLong sequence = new AtomicLong();
    private ScheduledExecutorService ticker;

    /**
     * @param channels the node's dsp.channels (frames carry them in this order)
     * @param ports where the node's own MQTT port is found when {@code simulator.port} is 0
     */
    public SimulatorComponent(SimulatorConfig config, int samplesPerChannel, float sampleRate, List<String> channels,
            BoundPorts ports, MeterRegistry meters) {
        super("simulator");
        this.config = config;
        this.samplesPerChannel = samplesPerChannel;
        this.sampleRate = sampleRate;
        this.channels = List.copyOf(channels);
        this.ports = ports;
        this.published = Counter.builder("aiot_simulator_frames_total").tag("outcome", "published").register(meters);
        this.skipped = Counter.builder("aiot_simulator_frames_total").tag("outcome", "skipped")
                .description("Frames not sent because the motor's previous one was not yet acknowledged")
                .register(meters);
        this.failed = Counter.builder("aiot_simulator_frames_total").tag("outcome", "failed").register(meters);
        this.commands = Counter.builder("aiot_simulator_commands_received_total")
                .description("Actuator commands the simulated motors received on their control topics")
                .register(meters);
    }

    @Override
    protected void doStart() {
        MqttSettings mqtt = MqttSettings.of(config, ports.get("mqtt"));
        MqttConnector connector = new MqttConnector(mqtt);
        MotorSignals signals = new MotorSignals(sampleRate, samplesPerChannel, config.regimeChangeSeconds());
        RawFrameCodec codec = new RawFrameCodec(channels, samplesPerChannel);
        List<Motor> motors = new ArrayList<>();
        boolean shared = !config.username().isEmpty();
        for (int i = 0; i < config.motors(); i++) {
            String id = config.format() == SimulatorConfig.Format.REFERENCE ? ReferencePayload.chipId(i)
                    : String.format(Locale.ROOT, "motor-%03d", i + 1);
            MotorSpec spec = new MotorSpec(id, Fault.parse(config.faults().get(i % config.faults().size())),
                    config.onsetSeconds(), config.rampSeconds(), 1.0, config.seed() + i);
            // a service user spreads the motors over simulator.connections, motor i always on i mod n;
            // the first of them listens for every motor's commands
            int slot = i % config.connections();
            MqttSession client = shared && clients.size() > slot ? clients.get(slot)
                    : connector.connect(shared ? "sim-" + id : id);
            if (!clients.contains(client)) {
                clients.add(client);
                if (!shared || clients.size() == 1) {
                    listenForCommands(client, shared ? "+" : id);
                }
            }
            motors.add(new Motor(spec, client));
        }
        ticker = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("simulator"));
        long periodMicros = (long) (1_000_000 / config.framesPerSecond());
        ticker.scheduleAtFixedRate(() -> tick(motors, signals, codec), 0, periodMicros, TimeUnit.MICROSECONDS);
        log.info("Simulating {} motors ({} frames/s each, {} format, seed {}) into {}:{}", config.motors(),
                config.framesPerSecond(), config.format().name().toLowerCase(java.util.Locale.ROOT), config.seed(),
                mqtt.host(), mqtt.port());
    }

    /** The motors' actuators: they count and log the commands that reach their control topics. */
    private void listenForCommands(MqttSession client, String deviceLevel) {
        client.subscribe(Topics.thingControl(deviceLevel), 1, null, p -> {
            commands.increment();
            log.info("Simulated actuator on {} received: {}", p.topic(),
                    new String(p.payload(), StandardCharsets.UTF_8));
        }).orTimeout(30, TimeUnit.SECONDS).join();
    }

    private void tick(List<Motor> motors, MotorSignals signals, RawFrameCodec codec) {
        long seq = sequence.getAndIncrement();
        long now = System.currentTimeMillis();
        for (Motor m : motors) {
            if (m.inFlight) {
                skipped.increment();
                continue;
            }
            RawFrame f = signals.frame(m.spec, seq, now);
            String topic;
            byte[] payload;
            switch (config.format()) {
                case REFERENCE -> {
                    topic = Topics.LEGACY_SENSOR_DATA;
                    payload = ReferencePayload.json(m.spec.deviceId(), f).getBytes(StandardCharsets.UTF_8);
                }
                case JSON -> {
                    topic = Topics.thingRaw(m.spec.deviceId());
                    payload = codec.encodeJson(f);
                }
                default -> {
                    topic = Topics.thingRaw(m.spec.deviceId());
                    payload = codec.encodeBinary(f);
                }
            }
            m.inFlight = true;
            m.client.publish(new OutboundPublish(topic, payload, 1, false,
                    List.of(new UserProperty(LABEL_PROPERTY, m.spec.labelAt(signals.timeOf(seq))))))
                    .whenComplete((accepted, e) -> {
                        m.inFlight = false;
                        if (e == null && accepted) {
                            published.increment();
                        } else {
                            failed.increment();
                        }
                    });
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        }
        for (MqttSession c : clients) {
            c.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        clients.clear();
    }

    private static final class Motor {
        final MotorSpec spec;
        final MqttSession client;
        volatile boolean inFlight;

        Motor(MotorSpec spec, MqttSession client) {
            this.spec = spec;
            this.client = client;
        }
    }
}
