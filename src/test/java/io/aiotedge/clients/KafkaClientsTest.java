package io.aiotedge.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
    private final KafkaClients clients = new KafkaClients(Map.of("security.protocol", "SASL_SSL", "linger.ms", "7",
            "acks", "0", "bootstrap.servers", "elsewhere:9092", "enable.auto.commit", "true"), () -> "127.0.0.1:9092");

    @Test
    void producer_kafkaClientOverridesDefaults_butNeverBootstrapClientIdOrNoLoss() {
        Properties p = clients.producer("aiot-edge-sink", Map.of("linger.ms", "2", "batch.size", "1024"),
                Map.of("delivery.timeout.ms", "30000"));
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("7", p.get("linger.ms"));
        assertEquals("1024", p.get("batch.size"));
        assertEquals("30000", p.get("delivery.timeout.ms"));
        assertEquals("127.0.0.1:9092", p.get("bootstrap.servers"));
        assertEquals("aiot-edge-sink", p.get("client.id"));
        assertEquals("all", p.get("acks"));
        assertEquals("true", p.get("enable.idempotence"));
    }

    @Test
    void heapBuffers_anEighthOfTheHeap_betweenFourMiBAndKafkasDefault() {
        assertEquals(12L << 20, KafkaClients.heapShare(96L << 20, 32L << 20));
        assertEquals(4L << 20, KafkaClients.heapShare(16L << 20, 32L << 20));
        assertEquals(32L << 20, KafkaClients.heapShare(4L << 30, 32L << 20));
        long expected = KafkaClients.heapShare(Runtime.getRuntime().maxMemory(), 32L << 20);
        assertEquals(String.valueOf(expected), clients.producer("x", Map.of()).get("buffer.memory"));
        assertEquals("1048576", clients.producer("x", Map.of("buffer.memory", "1048576"), Map.of())
                .get("buffer.memory"), "a caller's default still wins over the sizing");
        assertEquals(String.valueOf(KafkaClients.heapShare(Runtime.getRuntime().maxMemory(), 50L << 20)),
                clients.consumer("c", "g", Map.of()).get("fetch.max.bytes"));
    }

    @Test
    void producer_callersSettingsOverrideKafkaClient() {
        assertEquals("0", clients.producer("x", Map.of("linger.ms", "0")).get("linger.ms"));
    }

    @Test
    void consumer_commitsManuallyInItsGroup() {
        Properties p = clients.consumer("aiot-edge-ingest", "aiot-ingest", Map.of("auto.offset.reset", "earliest"));
        assertEquals("aiot-ingest", p.get("group.id"));
        assertEquals("false", p.get("enable.auto.commit"));
        assertEquals("earliest", p.get("auto.offset.reset"));
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("127.0.0.1:9092", p.get("bootstrap.servers"));
        assertNull(p.get("enable.idempotence"));
    }

    @Test
    void admin_readsTheBootstrapServersWhenBuilt() {
        String[] bootstrap = {"a:1"};
        KafkaClients late = new KafkaClients(Map.of(), () -> bootstrap[0]);
        bootstrap[0] = "b:2";
        Properties p = late.admin("aiot-edge-provisioner", Map.of("default.api.timeout.ms", "5000"));
        assertEquals("b:2", p.get("bootstrap.servers"));
        assertEquals("aiot-edge-provisioner", p.get("client.id"));
        assertEquals("5000", p.get("default.api.timeout.ms"));
    }
}
