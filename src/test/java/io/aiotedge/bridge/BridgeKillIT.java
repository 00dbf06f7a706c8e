package io.aiotedge.bridge;

import static io.aiotedge.support.Mqtt.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.KafkaConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.FreePorts;
import io.aiotedge.kafka.KafkaComponent;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.support.Mqtt;
import io.aiotedge.support.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node process (the real JAR) is killed with SIGKILL while Kafka is away and it spools;
 * after Kafka and the node come back, every publish it acknowledged is in Kafka.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BridgeKillIT {
    @TempDir
    Path dir;

    @Test
    void sigkillDuringKafkaOutage_nothingAcknowledgedIsLostAfterRestart() throws Exception {
        int kafkaPort = FreePorts.resolve(0, "127.0.0.1");
        KafkaConfig kc = new ConfigLoader(k -> null).load(null, List.of("kafka.port=" + kafkaPort,
                "kafka.bindAddress=127.0.0.1", "kafka.advertisedHost=127.0.0.1")).config().kafka();
        Path kafkaDir = dir.resolve("kafka-host");
        KafkaComponent kafka = new KafkaComponent(kc, kafkaDir, new BoundPorts(), List.of());
        kafka.start();
        Path data = dir.resolve("node");
        String[] args = {"run", "--role", "platform", "--data-dir", data.toString(), "--set", "mqtt.port=0",
                "--set", "http.port=0", "--set", "kafka.mode=external", "--set",
                "kafka.bootstrapServers=127.0.0.1:" + kafkaPort, "--set", "bridge.kafkaTimeoutMs=2000",
                "--set", BrokerFixture.usersOverride()};
        Set<Integer> acked = new ConcurrentSkipListSet<>();
        try {
            NodeProcess node = NodeProcess.start(data, List.of("-Xmx384m"), args);
            node.awaitRuntime(Duration.ofSeconds(120));
            Mqtt5BlockingClient device = Mqtt.v5(node.port("mqtt"), "motor-A");
            Mqtt.connect(device, "motor-A");
            AtomicBoolean stop = new AtomicBoolean();
            Thread publisher = new Thread(() -> {
                try {
                    for (int n = 0; !stop.get(); n++) {
                        device.publishWith().topic("aiot/v1/things/motor-A/raw").qos(MqttQos.AT_LEAST_ONCE)
                                .payload(utf8("k:" + n)).send();
                        acked.add(n);
                    }
                } catch (RuntimeException killed) {
                    // the node died under us: the unacknowledged publish is not counted
                }
            });
            publisher.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= 100);
            kafka.stop();
            int beforeOutage = acked.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= beforeOutage + 300);
            assertEquals(0, new ProcessBuilder("kill", "-9", String.valueOf(node.pid())).start().waitFor());
            publisher.join(30_000);
            stop.set(true);
            node.close();
            assertTrue(acked.size() >= beforeOutage + 300, "acked " + acked.size());

            kafka = new KafkaComponent(kc, kafkaDir, new BoundPorts(), List.of());
            kafka.start();
            try (NodeProcess again = NodeProcess.start(data.resolveSibling("node"), List.of("-Xmx384m"), args)) {
                again.awaitRuntime(Duration.ofSeconds(120));
                String bootstrap = kafka.bootstrapServers();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                    Set<Integer> inKafka = new TreeSet<>();
                    KafkaRecords.all(bootstrap, "aiot.raw")
                            .forEach(r -> inKafka.add(Integer.parseInt(r.text().substring(2))));
                    return inKafka.containsAll(acked);
                });
                assertEquals(0, again.terminate(Duration.ofSeconds(30)));
            }
        } finally {
            kafka.stop();
        }
    }
}
