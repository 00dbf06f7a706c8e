package io.aiotedge.bench;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.aiotedge.broker.BrokerComponent;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.auth.AuthenticatorChain;
import io.aiotedge.core.mqtt.ClientEvents;
import io.aiotedge.dsp.FeatureExtractor;
import io.aiotedge.gateway.GatewayComponent;
import io.aiotedge.simulator.Fault;
import io.aiotedge.simulator.MotorSignals;
import io.aiotedge.simulator.MotorSpec;
import io.aiotedge.wire.RawFrame;
import io.aiotedge.wire.RawFrameCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The gateway end to end, in one process: raw frames (4 x 256, simulated motors) published at
 * QoS 1 into the embedded broker, the gateway turning them into telemetry, a subscriber counting
 * the telemetry that comes back. Baseline in the same run: the feature extraction alone on the
 * same frames (decode + features, one thread). Prints a Markdown table; run it pinned to one
 * core (scripts/bench-dsp.sh) for the "on one core" figure.
 */
public final class GatewayBench {
    private static final int MOTORS = 16;

    private final Path work;
    private final int seconds;
    private final Consumer<String> out;

    public GatewayBench(Path work, int seconds, Consumer<String> out) {
        this.work = work;
        this.seconds = seconds;
        this.out = out;
    }

    public void run() throws Exception {
        NodeConfig c = new ConfigLoader(k -> null).load(null, List.of("dataDir=" + work, "mqtt.port=0",
                "mqtt.bindAddress=127.0.0.1", "mqtt.allowAnonymous=true", "mqtt.anonymousRole=service",
                "mqtt.persistence=in-memory", "mqtt.limits.inboundBytesPerSecond=0",
                "mqtt.limits.inboundMessagesPerSecond=0", "gateway.aggregateSeconds=0")).config();
        BoundPorts ports = new BoundPorts();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        BrokerComponent broker = new BrokerComponent(c.mqtt(), c.dataDir(), new AuthenticatorChain(List.of()), meters,
                ports, null, ClientEvents.NONE);
        broker.start();
        GatewayComponent gateway = new GatewayComponent(c.gateway(), c.dsp(), ports, meters, List.of());
        gateway.start();
        try {
            byte[][] frames = frames(c);
            out.accept("| measurement | frames/s | note |");
            out.accept("|---|---|---|");
            double bare = extractOnly(c, frames, Math.min(5, seconds)); // warm-up
            bare = extractOnly(c, frames, seconds);
            endToEnd(ports.get("mqtt"), frames, Math.min(5, seconds)); // warm-up
            double e2e = endToEnd(ports.get("mqtt"), frames, seconds);
            out.accept(String.format(Locale.ROOT, "| decode + features only, one thread (baseline) | %.0f | |", bare));
            out.accept(String.format(Locale.ROOT, "| raw in -> gateway -> telemetry out, QoS 1 | %.0f | %.2fx of the "
                    + "baseline |", e2e, e2e / bare));
        } finally {
            gateway.stop();
            broker.stop();
        }
    }

    private static byte[][] frames(NodeConfig c) {
        MotorSignals signals = new MotorSignals((float) c.dsp().sampleRate(), c.dsp().windowSize());
        RawFrameCodec codec = new RawFrameCodec(c.dsp().channels(), 65_536);
        byte[][] out = new byte[MOTORS * 8][];
        for (int i = 0; i < out.length; i++) {
            int motor = i % MOTORS;
            out[i] = codec.encodeBinary(signals.frame(new MotorSpec(String.format(Locale.ROOT, "bench-%02d", motor),
                    Fault.values()[motor % 4], 0, 0, 1, motor), i / MOTORS, 1));
        }
        return out;
    }

    private static double extractOnly(NodeConfig c, byte[][] frames, int secs) throws Exception {
        RawFrameCodec codec = new RawFrameCodec(c.dsp().channels(), 65_536);
        FeatureExtractor fx = new FeatureExtractor(c.dsp());
        double[] features = new double[fx.schema().size()];
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(secs);
        long t0 = System.nanoTime();
        long n = 0;
        while (System.nanoTime() < end) {
            RawFrame f = codec.decode(frames[(int) (n % frames.length)]);
            fx.extract(f.samples(), features);
            n++;
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double endToEnd(int port, byte[][] frames, int secs) throws Exception {
        AtomicLong received = new AtomicLong();
        Mqtt5AsyncClient sub = Mqtt5Client.builder().identifier("bench-telemetry").serverHost("127.0.0.1")
                .serverPort(port).buildAsync();
        sub.connect().get(30, TimeUnit.SECONDS);
        sub.publishes(MqttGlobalPublishFilter.ALL, p -> received.incrementAndGet());
        sub.subscribeWith().topicFilter("aiot/v1/things/+/telemetry").qos(MqttQos.AT_LEAST_ONCE).send()
                .get(30, TimeUnit.SECONDS);
        Mqtt5AsyncClient pub = Mqtt5Client.builder().identifier("bench-frames").serverHost("127.0.0.1")
                .serverPort(port).buildAsync();
        pub.connect().get(30, TimeUnit.SECONDS);
        Semaphore window = new Semaphore(64);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(secs);
        long t0 = System.nanoTime();
        long sent = 0;
        while (System.nanoTime() < end) {
            if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            byte[] f = frames[(int) (sent % frames.length)];
            String topic = "aiot/v1/things/bench-" + String.format(Locale.ROOT, "%02d", (int) (sent % MOTORS)) + "/raw";
            pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(f).send()
                    .whenComplete((r, e) -> window.release());
            sent++;
        }
        long target = sent;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        double rate = received.get() / ((System.nanoTime() - t0) / 1e9);
        pub.disconnect().get(10, TimeUnit.SECONDS);
        sub.disconnect().get(10, TimeUnit.SECONDS);
        return rate;
    }
}
