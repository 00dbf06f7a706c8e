package io.aiotedge.bench;

import io.aiotedge.bridge.BridgeUplink;
import io.aiotedge.broker.BrokerComponent;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.FreePorts;
import io.aiotedge.core.auth.AuthenticatorChain;
import io.aiotedge.core.mqtt.ClientEvents;
import io.aiotedge.kafka.KafkaComponent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The bridge benchmark, in one process: embedded Kafka, the bridge uplink and the broker as a
 * platform node wires them, MQTT 5 QoS 1 publishers (the {@link MqttLoad} tool) and a Kafka
 * consumer that checks every acknowledged publish arrived and measures publish-to-consume
 * latency. In the same run: the bare producer baseline ({@link ProducerLoad}; ratios are to its
 * pipelined run) and the spool's replay rate after an outage. Prints one Markdown table row per
 * measurement, and each MQTT run's full summary as an HTML comment.
 */
public final class BridgeBench {
    private static final String TOPIC = "aiot.raw";

    private final Path work;
    private final int publishers;
    private final int seconds;
    private final int payload;
    private final int replayRecords;
    private final Consumer<String> out;
    private final List<String> overrides;
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final BoundPorts ports = new BoundPorts();
    private NodeConfig config;
    private KafkaComponent kafka;

    /** @param overrides extra {@code --set key=value} config for the node, to compare settings */
    public BridgeBench(Path work, int publishers, int seconds, int payload, int replayRecords, List<String> overrides,
            Consumer<String> out) {
        this.work = work;
        this.overrides = List.copyOf(overrides);
        this.publishers = publishers;
        this.seconds = seconds;
        this.payload = payload;
        this.replayRecords = replayRecords;
        this.out = out;
    }

    public void run() throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("dataDir=" + work, "mqtt.port=0",
                "mqtt.bindAddress=127.0.0.1", "mqtt.allowAnonymous=true", "mqtt.anonymousRole=service",
                "mqtt.limits.inboundBytesPerSecond=0", "mqtt.limits.inboundMessagesPerSecond=0",
                "kafka.port=" + FreePorts.resolve(0, "127.0.0.1"), "kafka.bindAddress=127.0.0.1",
                "kafka.advertisedHost=127.0.0.1", "bridge.kafkaTimeoutMs=3000",
                "bridge.uplink=[{mqtt: \"aiot/v1/bench/{deviceId}\", kafka: " + TOPIC + "}]"));
        all.addAll(overrides);
        config = new ConfigLoader(k -> null).load(null, all).config();
        startKafka();
        BridgeUplink uplink = new BridgeUplink(config.bridge(), config.kafka().client(), kafka::bootstrapServers,
                config.dataDir(), meters);
        uplink.start();
        BrokerComponent broker = new BrokerComponent(config.mqtt(), config.dataDir(), new AuthenticatorChain(List.of()),
                meters, ports, uplink, ClientEvents.NONE);
        broker.start();
        try {
            out.accept("| scenario | msg/s | p50 ms | p99 ms | lost | ratio |");
            out.accept("|---|---|---|---|---|---|");
            ProducerLoad.run(kafka.bootstrapServers(), TOPIC, publishers, 10, Math.min(5, seconds), payload); // warm-up
            mqtt(0, Math.min(5, seconds), false);
            ProducerLoad.Result bare = ProducerLoad.run(kafka.bootstrapServers(), TOPIC, publishers, 10, seconds,
                    payload);
            row("bare producer, " + publishers + " senders x 10 in flight (baseline)", bare.perSecond(),
                    bare.p50Micros(), bare.p99Micros(), 0, 1.0);
            ProducerLoad.Result serial = ProducerLoad.run(kafka.bootstrapServers(), TOPIC, publishers, 1, seconds,
                    payload);
            row("bare producer, " + publishers + " senders x 1 in flight (the bridge's window per device)",
                    serial.perSecond(), serial.p50Micros(), serial.p99Micros(), 0,
                    serial.perSecond() / bare.perSecond());
            LoadResult flood = mqtt(0, seconds, true);
            row("MQTT QoS1 -> bridge -> Kafka, " + publishers + " publishers, unpaced", flood.deliveredPerSecond(),
                    flood.p50Micros(), flood.p99Micros(), flood.lost(), flood.deliveredPerSecond() / bare.perSecond());
            LoadResult paced = mqtt(Math.max(1, 5000 / publishers), seconds, true);
            row("MQTT QoS1 -> bridge -> Kafka, 5000 msg/s paced", paced.deliveredPerSecond(), paced.p50Micros(),
                    paced.p99Micros(), paced.lost(), Double.NaN);
            replay(uplink);
        } finally {
            broker.stop();
            uplink.stop();
            kafka.stop();
        }
    }

    private void startKafka() {
        kafka = new KafkaComponent(config.kafka(), config.dataDir(), ports, config.bridge().kafkaTopics());
        kafka.start();
    }

    private LoadResult mqtt(int ratePerPublisher, int secs, boolean report) throws InterruptedException {
        LoadSpec spec = new LoadSpec("127.0.0.1", ports.get("mqtt"), null, null, 5, publishers, 1, 1,
                ratePerPublisher, secs, Long.MAX_VALUE, payload, "aiot/v1/bench", 10);
        MqttLoad load = new MqttLoad(spec, line -> {}, true);
        KafkaTail tail = new KafkaTail(kafka.bootstrapServers(), TOPIC, b -> load.deliver(0, b));
        try {
            LoadResult r = load.run();
            if (report) {
                out.accept("<!-- " + r.summary() + " -->");
            }
            return r;
        } finally {
            tail.close();
        }
    }

    /** Kafka away -> replayRecords spooled -> Kafka back: how fast the spool drains. */
    private void replay(BridgeUplink uplink) throws Exception {
        kafka.stop();
        LoadSpec spec = new LoadSpec("127.0.0.1", ports.get("mqtt"), null, null, 5, publishers, 0, 1, 0, 600,
                Math.max(1, replayRecords / publishers), payload, "aiot/v1/bench", 10);
        LoadResult spooled = new MqttLoad(spec, line -> {}, true).run();
        double spoolRate = spooled.sent() / spooled.seconds();
        row("MQTT QoS1 -> spool (Kafka down)", spoolRate, spooled.p50Micros(), spooled.p99Micros(), 0, Double.NaN);
        double before = meter("aiot_bridge_replayed_total");
        startKafka();
        long start = 0;
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (meter("aiot_bridge_spool_records") > 0 && System.nanoTime() < deadline) {
            if (start == 0 && meter("aiot_bridge_replayed_total") > before) {
                start = System.nanoTime();
            }
            Thread.sleep(5);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        double replayed = meter("aiot_bridge_replayed_total") - before;
        row("spool replay into Kafka (" + (long) replayed + " records)", replayed / secs, -1, -1,
                (long) (spooled.sent() - replayed), Double.NaN);
    }

    private double meter(String name) {
        var c = meters.find(name).counter();
        if (c != null) {
            return c.count();
        }
        var g = meters.find(name).gauge();
        return g == null ? Double.NaN : g.value();
    }

    private void row(String scenario, double perSecond, long p50Micros, long p99Micros, long lost, double ratio) {
        out.accept(String.format(Locale.ROOT, "| %s | %.0f | %s | %s | %d | %s |", scenario, perSecond, ms(p50Micros),
                ms(p99Micros), lost, Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2fx", ratio)));
    }

    private static String ms(long micros) {
        return micros < 0 ? "" : String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }
}
