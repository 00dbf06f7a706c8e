package io.aiotedge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.KafkaConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.StartupException;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.support.Proc;
import io.aiotedge.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded KRaft broker and topic provisioning, with real kafka-clients and kcat. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaComponentIT {
    @TempDir
    Path dir;

    private static KafkaConfig config(String... overrides) {
        List<String> all = new ArrayList<>(List.of("kafka.port=0", "kafka.bindAddress=127.0.0.1",
                "kafka.advertisedHost=127.0.0.1", "kafka.partitions=2"));
        all.addAll(List.of(overrides));
        return new ConfigLoader(k -> null).load(null, all).config().kafka();
    }

    @Test
    void embedded_startsOnAFreePort_provisionsTopics_andKeepsRecordsAcrossRestart() throws Exception {
        BoundPorts ports = new BoundPorts();
        KafkaComponent kafka = new KafkaComponent(config(), dir, ports, List.of());
        kafka.start();
        try {
            assertTrue(ports.get("kafka") > 0);
            String bootstrap = kafka.bootstrapServers();
            assertEquals("127.0.0.1:" + ports.get("kafka"), bootstrap);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL).allTopicNames().get(30,
                        TimeUnit.SECONDS);
                assertEquals(Topics.ALL.size(), topics.size());
                topics.values().forEach(t -> assertEquals(2, t.partitions().size(), t.name()));
            }
            produce(bootstrap, Topics.TELEMETRY, "motor-A", "{\"rms\":1.0}");
            assertEquals("{\"rms\":1.0}", readAll(bootstrap, Topics.TELEMETRY).get("motor-A"));
        } finally {
            kafka.stop();
        }
        assertEquals(-1, ports.get("kafka"));

        KafkaComponent again = new KafkaComponent(config(), dir, ports, List.of());
        again.start(); // same log dir: not formatted again, topics and records still there
        try {
            assertEquals("{\"rms\":1.0}", readAll(again.bootstrapServers(), Topics.TELEMETRY).get("motor-A"));

            KafkaComponent external = new KafkaComponent(config("kafka.mode=external",
                    "kafka.bootstrapServers=" + again.bootstrapServers()), dir.resolve("unused"), new BoundPorts(),
                    List.of());
            external.start(); // provisioning an existing set of topics is a no-op
            assertEquals(again.bootstrapServers(), external.bootstrapServers());
            external.stop();

            kcatRoundTrip(again.bootstrapServers());
        } finally {
            again.stop();
        }
    }

    @Test
    void external_unreachableCluster_failsStartWithAClearError() {
        KafkaComponent kafka = new KafkaComponent(config("kafka.mode=external", "kafka.bootstrapServers=127.0.0.1:1",
                "kafka.startupTimeoutSeconds=3"), dir, new BoundPorts(), List.of());
        StartupException e = assertThrows(StartupException.class, kafka::start);
        assertTrue(e.getMessage().startsWith("kafka failed to start"), e.getMessage());
    }

    private void kcatRoundTrip(String bootstrap) throws Exception {
        assumeTrue(Proc.available("kcat"), "kcat not installed (.ci/run installs it)");
        Proc.Result meta = Proc.run(30, List.of("kcat", "-b", bootstrap, "-L"));
        assertEquals(0, meta.exitCode(), meta.stderr());
        Topics.ALL.forEach(t -> assertTrue(meta.stdout().contains("topic \"" + t + "\""), meta.stdout()));

        Process produce = new ProcessBuilder("kcat", "-b", bootstrap, "-P", "-t", Topics.CONTROL, "-K", ":").start();
        produce.getOutputStream().write("motor-B:{\"servo\":90}\n".getBytes(StandardCharsets.UTF_8));
        produce.getOutputStream().close();
        assertTrue(produce.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, produce.exitValue(),
                new String(produce.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("{\"servo\":90}", readAll(bootstrap, Topics.CONTROL).get("motor-B"));

        Proc.Result consumed = Proc.run(30, List.of("kcat", "-b", bootstrap, "-C", "-t", Topics.TELEMETRY,
                "-o", "beginning", "-e", "-f", "%k=%s\\n"));
        assertEquals(0, consumed.exitCode(), consumed.stderr());
        assertTrue(consumed.stdout().contains("motor-A={\"rms\":1.0}"), consumed.stdout());
    }

    private static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        KafkaRecords.produce(bootstrap, topic, KafkaRecords.utf8(key), KafkaRecords.utf8(value));
    }

    /** Every record of the topic, key -> last value. */
    private static Map<String, String> readAll(String bootstrap, String topic) {
        Map<String, String> out = new java.util.HashMap<>();
        KafkaRecords.all(bootstrap, topic).forEach(r -> out.put(r.key(), r.text()));
        return out;
    }
}
