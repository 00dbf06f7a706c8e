package io.aiotedge.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.BridgeConfig;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.KafkaConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.FreePorts;
import io.aiotedge.kafka.KafkaComponent;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.support.KafkaRecords.Rec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way back from the spool under load: writers that never pause (each forwards its next record as
 * soon as the last one is durable, as QoS 1 devices do) must not keep the bridge spooling forever.
 * Before the hand-over, the spool had to be empty with no append in flight at the instant the replay
 * looked, which a steady stream almost never allows.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ForwarderHandoverIT {
    private static final String TOPIC = "aiot.raw";
    private static final int WRITERS = 6;
    private static final int LEFT_BY_EARLIER_RUN = 20_000;

    @TempDir
    Path dir;

    private static SpoolRecord record(String key, int n) {
        return new SpoolRecord(TOPIC, key.getBytes(StandardCharsets.UTF_8),
                Integer.toString(n).getBytes(StandardCharsets.UTF_8), List.of());
    }

    @Test
    void steadyWritersDuringReplay_bridgeGoesDirectAgain_everyRecordOnceInOrder() throws Exception {
        int port = FreePorts.resolve(0, "127.0.0.1");
        KafkaConfig kc = new ConfigLoader(k -> null).load(null, List.of("kafka.port=" + port,
                "kafka.bindAddress=127.0.0.1", "kafka.advertisedHost=127.0.0.1")).config().kafka();
        BridgeConfig bc = new ConfigLoader(k -> null).load(null, List.of("bridge.kafkaTimeoutMs=3000")).config()
                .bridge();
        KafkaComponent kafka = new KafkaComponent(kc, dir.resolve("kafka"), new BoundPorts(), List.of(TOPIC));
        kafka.start();
        ExecutorService spoolWriters = Executors.newFixedThreadPool(4);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Thread> writers = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicInteger> acked = new HashMap<>();
        try (Spool spool = Spool.open(dir.resolve("spool"), 1L << 30, BridgeConfig.Overflow.REJECT);
                var producer = new KafkaProducer<>(ProducerSettings.of(bc, Map.of(), kafka.bootstrapServers()),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < LEFT_BY_EARLIER_RUN; i++) {
                spool.append(record("old", i));
            }
            Forwarder f = new Forwarder(producer, spool, spoolWriters, new BridgeMetrics(meters), 500, 3000);
            assertTrue(f.spooling(), "records left by an earlier run go first");
            for (int w = 0; w < WRITERS; w++) {
                String key = "w" + w;
                AtomicInteger count = new AtomicInteger();
                acked.put(key, count);
                Thread t = new Thread(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        f.forward(record(key, n)).join(); // the next one only once this one is durable
                        count.incrementAndGet();
                    }
                }, "writer-" + key);
                writers.add(t);
                t.start();
            }
            f.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> !f.spooling());
            int[] atDirect = acked.values().stream().mapToInt(AtomicInteger::get).toArray();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> acked.values().stream().mapToInt(AtomicInteger::get).sum() > sum(atDirect) + 2000);
            stop.set(true);
            for (Thread t : writers) {
                t.join(30_000);
            }
            assertEquals(0, spool.size());
            f.close();

            Map<String, List<Integer>> seen = new HashMap<>();
            for (Rec r : KafkaRecords.all(kafka.bootstrapServers(), TOPIC)) {
                seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Integer.parseInt(r.text()));
            }
            assertEquals(countingUp(LEFT_BY_EARLIER_RUN), seen.get("old"));
            acked.forEach((key, count) -> assertEquals(countingUp(count.get()), seen.get(key), key));
        } finally {
            stop.set(true);
            spoolWriters.shutdownNow();
            kafka.stop();
        }
    }

    private static int sum(int[] xs) {
        int s = 0;
        for (int x : xs) {
            s += x;
        }
        return s;
    }

    private static List<Integer> countingUp(int n) {
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }
}
