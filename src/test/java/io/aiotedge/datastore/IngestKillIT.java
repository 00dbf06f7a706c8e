package io.aiotedge.datastore;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.aiotedge.support.Api;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.support.Metrics;
import io.aiotedge.support.Mqtt;
import io.aiotedge.support.NodeProcess;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, finding 4: the node process (the real JAR) is SIGKILLed while devices publish and the
 * ingest stores; after a restart on the same data dir the datastore holds every record that
 * reached Kafka exactly once (each acknowledged publish among them) and the ingest's lag is 0.
 * Before durable commits, rows committed in the last H2 write delay were gone while their Kafka
 * offsets were committed, so they were never read again.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class IngestKillIT {
    static final int ACKED_BEFORE_KILL = 520;
    static final String DEVICE = "motor-A";

    @TempDir
    Path dir;

    static String[] args(Path data) {
        return new String[] {"run", "--role", "platform", "--data-dir", data.toString(), "--set", "mqtt.port=0",
                "--set", "http.port=0", "--set", "kafka.port=0", "--set", "kafka.bindAddress=127.0.0.1",
                "--set", "kafka.advertisedHost=127.0.0.1", "--set", "mqtt.bindAddress=127.0.0.1",
                "--set", "http.bindAddress=127.0.0.1", "--set", BrokerFixture.usersOverride()};
    }

    @Test
    void sigkillDuringIngest_restartStoresEveryRecordOnce_lagZero() throws Exception {
        Path data = dir.resolve("node");
        String[] args = args(data);
        Set<Long> acked = new ConcurrentSkipListSet<>();
        try (NodeProcess node = NodeProcess.start(data, List.of("-Xmx512m"), args)) {
            node.awaitRuntime(Duration.ofSeconds(120));
            Api api = api(node, data);
            Mqtt5BlockingClient device = Mqtt.v5(node.port("mqtt"), DEVICE);
            Mqtt.connect(device, DEVICE);
            AtomicBoolean stop = new AtomicBoolean();
            Thread publisher = new Thread(() -> publish(device, acked, stop), "publisher");
            publisher.start();
            // kill while both run: publishes still arriving, ingest storing batch after batch
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> acked.size() >= ACKED_BEFORE_KILL && rows(api) >= ACKED_BEFORE_KILL - 100);
            assertEquals(0, new ProcessBuilder("kill", "-9", String.valueOf(node.pid())).start().waitFor());
            publisher.join(30_000);
            stop.set(true);
        }
        assertTrue(acked.size() >= ACKED_BEFORE_KILL, "acked " + acked.size());

        try (NodeProcess again = NodeProcess.start(data, List.of("-Xmx512m"), args)) {
            again.awaitRuntime(Duration.ofSeconds(120));
            Api api = api(again, data);
            String bootstrap = "127.0.0.1:" + again.port("kafka");
            Set<Long> inKafka = new TreeSet<>();
            TelemetryCodec codec = new TelemetryCodec();
            for (KafkaRecords.Rec r : KafkaRecords.all(bootstrap, "aiot.telemetry")) {
                inKafka.add(codec.decode(r.value()).sequence());
            }
            assertTrue(inKafka.containsAll(acked), "every acknowledged publish is in Kafka");
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> rows(api) >= inKafka.size() && lag(api) == 0);
            } catch (ConditionTimeoutException e) {
                // rows missing while the lag is 0: the counts below say how many
            }
            List<Long> stored = sequences(api);
            assertEquals(inKafka.size(), stored.size(), "one row per record in Kafka, no loss, no duplicate");
            assertEquals(inKafka, new TreeSet<>(stored));
            assertEquals(0, lag(api));
            assertEquals(0, again.terminate(Duration.ofSeconds(30)));
        }
    }

    private static void publish(Mqtt5BlockingClient device, Set<Long> acked, AtomicBoolean stop) {
        TelemetryCodec codec = new TelemetryCodec();
        long now = System.currentTimeMillis();
        try {
            for (long n = 0; !stop.get() && n < 100_000; n++) {
                Telemetry t = new Telemetry(DEVICE, now - 3_600_000 + n, n, List.of("current_rms", "vibration_rms"),
                        new double[] {2.5, 0.001 * n}, null);
                device.publishWith().topic("aiot/v1/things/" + DEVICE + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(codec.encode(t)).send();
                acked.add(n);
            }
        } catch (RuntimeException killed) {
            // the node died under us: the unacknowledged publish is not counted
        }
    }

    static Api api(NodeProcess node, Path data) throws Exception {
        return new Api("http://127.0.0.1:" + node.port("http"),
                Files.readString(data.resolve("keys/admin-token")).trim());
    }

    private static long rows(Api api) {
        Api.Res r = api.get("/api/v1/datastore/stats", api.admin());
        return r.status() == 200 ? r.json().get("rows").asLong() : -1;
    }

    private static double lag(Api api) {
        return Metrics.sum(api.get("/metrics", null).text(), "aiot_ingest_consumer_lag");
    }

    private static List<Long> sequences(Api api) {
        List<Long> out = new ArrayList<>();
        JsonNode page = api.get("/api/v1/datastore/rows?device=" + DEVICE + "&limit=100000", api.admin()).json();
        page.get("rows").forEach(r -> out.add(r.get("sequence").asLong()));
        return out;
    }
}
