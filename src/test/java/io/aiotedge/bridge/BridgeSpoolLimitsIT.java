package io.aiotedge.bridge;

import static io.aiotedge.support.Mqtt.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.aiotedge.support.BridgeFixture;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.support.KafkaRecords.Rec;
import io.aiotedge.support.Mqtt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A full spool under each overflow policy, during a Kafka outage. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BridgeSpoolLimitsIT {
    private static final String PAD = "x".repeat(20_000);
    private static final long ONE_MIB = 1 << 20;

    @TempDir
    Path dir;

    private static byte[] frame(int n) {
        return utf8(n + ":" + PAD);
    }

    private static Set<Integer> framesInKafka(BridgeFixture node, String device) {
        Set<Integer> out = new TreeSet<>();
        for (Rec r : KafkaRecords.all(node.bootstrap(), "aiot.raw")) {
            if (device.equals(r.key())) {
                out.add(Integer.parseInt(r.text().substring(0, r.text().indexOf(':'))));
            }
        }
        return out;
    }

    @Test
    void reject_fullSpoolRefusesWith0x97_andKeepsEverythingAccepted() throws Exception {
        try (BridgeFixture node = new BridgeFixture(dir, "bridge.spool.maxBytes=" + ONE_MIB,
                "bridge.spool.overflow=reject").start()) {
            node.stopKafka();
            Mqtt5BlockingClient device = Mqtt.v5(node.mqttPort(), "motor-A");
            Mqtt.connect(device, "motor-A");
            int accepted = 0;
            Mqtt5PubAckException refused = null;
            while (refused == null && accepted < 200) {
                try {
                    device.publishWith().topic("aiot/v1/things/motor-A/raw").qos(MqttQos.AT_LEAST_ONCE)
                            .payload(frame(accepted)).send();
                    accepted++;
                } catch (Mqtt5PubAckException e) {
                    refused = e;
                }
            }
            assertTrue(refused != null, "the spool never filled");
            assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, refused.getMqttMessage().getReasonCode());
            // 1 MiB holds 52 frames of ~20 KB
            assertTrue(accepted >= 45 && accepted <= 52, "accepted " + accepted);
            assertEquals(1.0, node.count("aiot_bridge_refused_total"));
            assertTrue(device.getState().isConnected(), "an MQTT 5 device keeps its connection");

            Mqtt3BlockingClient v3 = Mqtt.v3(node.mqttPort(), "motor-B");
            Mqtt.connect(v3, "motor-B");
            assertThrows(RuntimeException.class, () -> v3.publishWith().topic("aiot/v1/things/motor-B/raw")
                    .qos(MqttQos.AT_LEAST_ONCE).payload(frame(0)).send(), "an MQTT 3 device is disconnected to retry");

            // A probe sent before the last drop may still be in the producer; if Kafka came back
            // within its delivery timeout, a record counted as dropped would arrive after all. Two
            // failed probes after the last publish: the second began after every drop.
            double failedRounds = node.count("aiot_bridge_replay_failed_rounds_total");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> node.count("aiot_bridge_replay_failed_rounds_total") >= failedRounds + 2);
            node.startKafka();
            await().atMost(Duration.ofSeconds(60)).until(() -> node.count("aiot_bridge_spooling") == 0.0);
            Set<Integer> expected = new TreeSet<>();
            for (int i = 0; i < accepted; i++) {
                expected.add(i);
            }
            assertEquals(expected, framesInKafka(node, "motor-A"));
            assertEquals(Set.of(), framesInKafka(node, "motor-B"));
            device.disconnect();
        }
    }

    @Test
    void dropOldest_fullSpoolDropsExactlyTheOldest_andCountsThem() throws Exception {
        try (BridgeFixture node = new BridgeFixture(dir, "bridge.spool.maxBytes=" + ONE_MIB,
                "bridge.spool.overflow=drop-oldest").start()) {
            node.stopKafka();
            Mqtt5BlockingClient device = Mqtt.v5(node.mqttPort(), "motor-A");
            Mqtt.connect(device, "motor-A");
            int total = 120;
            for (int i = 0; i < total; i++) {
                device.publishWith().topic("aiot/v1/things/motor-A/raw").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(frame(i)).send(); // every one is acknowledged
            }
            long dropped = (long) node.count("aiot_bridge_dropped_total");
            assertTrue(dropped > 0, "nothing dropped");
            assertEquals(total - dropped, (long) node.count("aiot_bridge_spool_records"));

            // A probe sent before the last drop may still be in the producer; if Kafka came back
            // within its delivery timeout, a record counted as dropped would arrive after all. Two
            // failed probes after the last publish: the second began after every drop.
            double failedRounds = node.count("aiot_bridge_replay_failed_rounds_total");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> node.count("aiot_bridge_replay_failed_rounds_total") >= failedRounds + 2);
            node.startKafka();
            await().atMost(Duration.ofSeconds(60)).until(() -> node.count("aiot_bridge_spooling") == 0.0);
            Set<Integer> expected = new TreeSet<>();
            for (long i = dropped; i < total; i++) {
                expected.add((int) i);
            }
            Set<Integer> got = framesInKafka(node, "motor-A");
            assertEquals(expected, got);
            device.disconnect();
        }
    }
}
