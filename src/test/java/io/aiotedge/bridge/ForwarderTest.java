package io.aiotedge.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.BridgeConfig;
import io.aiotedge.config.ConfigLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The forwarder against a Kafka that is not there (a real producer to a closed port) and a real spool. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForwarderTest {
    @TempDir
    Path dir;

    private static SpoolRecord record(int n) {
        return new SpoolRecord("aiot.raw", "m1".getBytes(StandardCharsets.UTF_8),
                Integer.toString(n).getBytes(StandardCharsets.UTF_8), List.of());
    }

    @Test
    void kafkaAway_recordsGoToTheSpoolInOrder_andQos0IsShedWhenWritersFallBehind() throws Exception {
        BridgeConfig config = new ConfigLoader(k -> null).load(null, List.of("bridge.kafkaTimeoutMs=1000")).config()
                .bridge();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        BridgeMetrics metrics = new BridgeMetrics(meters);
        ExecutorService writers = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try (Spool spool = Spool.open(dir, 1L << 30, BridgeConfig.Overflow.REJECT);
                var producer = new KafkaProducer<>(ProducerSettings.of(config, Map.of(), "127.0.0.1:1"),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            Forwarder f = new Forwarder(producer, spool, writers, metrics, 100, 1000);
            writers.execute(() -> {
                try {
                    release.await(); // the writer is stuck: appends pile up
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            List<CompletableFuture<Void>> durable = new ArrayList<>();
            durable.add(f.forward(record(0))); // waits out max.block.ms, then switches to spooling
            assertTrue(f.spooling());
            for (int i = 1; i < Forwarder.MAX_PENDING_BEST_EFFORT; i++) {
                durable.add(f.forward(record(i)));
            }
            CompletableFuture<Void> shed = f.forward(record(-1), true);
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> shed.get(1, TimeUnit.SECONDS));
            assertInstanceOf(Spool.FullException.class, e.getCause());
            assertEquals(1.0, meters.find("aiot_bridge_shed_total").counter().count());

            release.countDown();
            CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            List<Spool.Entry> entries = spool.peek(20_000);
            assertEquals(Forwarder.MAX_PENDING_BEST_EFFORT, entries.size());
            for (int i = 0; i < entries.size(); i++) {
                assertEquals(Integer.toString(i), new String(entries.get(i).record().value(), StandardCharsets.UTF_8));
            }
            assertEquals(Forwarder.MAX_PENDING_BEST_EFFORT, meters.find("aiot_bridge_spooled_total").counter().count());
            f.close();
        } finally {
            writers.shutdownNow();
        }
    }

    @Test
    void permanentErrors_areNotSpooled() {
        assertTrue(Forwarder.permanent(new org.apache.kafka.common.errors.RecordTooLargeException("big")));
        assertTrue(!Forwarder.permanent(new org.apache.kafka.common.errors.TimeoutException("away")));
        assertTrue(!Forwarder.permanent(new IllegalStateException("producer closed")));
    }
}
