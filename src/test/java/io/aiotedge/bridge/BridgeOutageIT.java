package io.aiotedge.bridge;

import static io.aiotedge.support.Mqtt.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.aiotedge.core.Health;
import io.aiotedge.support.BridgeFixture;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.support.KafkaRecords.Rec;
import io.aiotedge.support.Mqtt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kafka goes away mid-stream and comes back: every acknowledged publish arrives, in order per device. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BridgeOutageIT {
    private static final List<String> DEVICES = List.of("motor-A", "motor-B");

    @TempDir
    Path dir;

    /** Publishes QoS1 frames "device:n" until stopped; records every acknowledged n. */
    private static final class Publisher extends Thread {
        final String device;
        final List<Integer> acked = new CopyOnWriteArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final Mqtt5BlockingClient client;

        Publisher(int port, String device) {
            super("pub-" + device);
            this.device = device;
            this.client = Mqtt.v5(port, device);
            Mqtt.connect(client, device);
        }

        @Override
        public void run() {
            for (int n = 0; !stop.get(); n++) {
                client.publishWith().topic("aiot/v1/things/" + device + "/raw").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(utf8(device + ":" + n)).send(); // returns once PUBACK'ed (throws if refused)
                acked.add(n);
            }
            client.disconnect();
        }

        int count() {
            return acked.size();
        }
    }

    @Test
    void kafkaStoppedMidStream_everyAcknowledgedPublishArrivesOnceOrAsSameIdDuplicate_inOrder() throws Exception {
        try (BridgeFixture node = new BridgeFixture(dir).start()) {
            List<Publisher> pubs = new ArrayList<>();
            DEVICES.forEach(d -> pubs.add(new Publisher(node.mqttPort(), d)));
            pubs.forEach(Thread::start);
            await().atMost(Duration.ofSeconds(30)).until(() -> pubs.stream().allMatch(p -> p.count() >= 200));

            node.stopKafka();
            await().atMost(Duration.ofSeconds(120)).until(() -> node.count("aiot_bridge_spooled_total") >= 500);
            Health during = node.uplinkHealth();
            assertEquals(Health.Status.DEGRADED, during.status(), during.detail());
            assertTrue(during.detail().contains("spooling"), during.detail());

            node.startKafka();
            double spooledAtRestart = node.count("aiot_bridge_spooled_total");
            // recovery is bounded by the replay back-off (at most 10 s between probes) and Kafka's restart
            await().atMost(Duration.ofSeconds(120)).until(() -> node.count("aiot_bridge_spooling") == 0.0);
            await().atMost(Duration.ofSeconds(30)).until(() -> node.count("aiot_bridge_forwarded_total") > 0
                    && node.count("aiot_bridge_spooled_total") >= spooledAtRestart);
            int[] before = pubs.stream().mapToInt(Publisher::count).toArray();
            await().atMost(Duration.ofSeconds(30)).until(() -> pubs.get(0).count() > before[0] + 100);
            pubs.forEach(p -> p.stop.set(true));
            for (Publisher p : pubs) {
                p.join(30_000);
            }
            assertEquals(Health.Status.UP, node.uplinkHealth().status(), node.uplinkHealth().detail());
            assertTrue(node.count("aiot_bridge_replayed_total") >= 500,
                    "replayed " + node.count("aiot_bridge_replayed_total"));
            assertEquals(0.0, node.count("aiot_bridge_spool_records"));

            List<Rec> records = KafkaRecords.all(node.bootstrap(), "aiot.raw");
            for (Publisher p : pubs) {
                assertDeliveredExactly(p, records);
            }
        }
    }

    /** Every acked n is there; repeats carry one message id; first occurrences are in publish order. */
    private static void assertDeliveredExactly(Publisher p, List<Rec> records) {
        Map<Integer, Set<String>> idsByN = new HashMap<>();
        List<Integer> firstSeen = new ArrayList<>();
        for (Rec r : records) {
            if (!r.key().equals(p.device)) {
                continue;
            }
            int n = Integer.parseInt(r.text().substring(p.device.length() + 1));
            if (idsByN.computeIfAbsent(n, k -> new TreeSet<>()).add(r.header("aiot.messageId"))
                    && idsByN.get(n).size() == 1) {
                firstSeen.add(n);
            }
        }
        Set<Integer> missing = new TreeSet<>(p.acked);
        missing.removeAll(idsByN.keySet());
        assertEquals(Set.of(), missing, p.device + ": acknowledged but not in Kafka");
        assertEquals(new TreeSet<>(p.acked), new TreeSet<>(idsByN.keySet()), p.device + ": exactly the acked ones");
        idsByN.forEach((n, ids) -> assertEquals(1, ids.size(), p.device + ":" + n + " duplicated with new ids " + ids));
        for (int i = 1; i < firstSeen.size(); i++) {
            assertTrue(firstSeen.get(i) > firstSeen.get(i - 1), p.device + " out of order at " + firstSeen.get(i));
        }
        assertTrue(p.count() >= 300, p.device + " acked " + p.count());
    }
}
