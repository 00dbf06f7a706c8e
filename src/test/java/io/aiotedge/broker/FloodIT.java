package io.aiotedge.broker;

import static io.aiotedge.support.Mqtt.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.aiotedge.bench.LoadResult;
import io.aiotedge.bench.LoadSpec;
import io.aiotedge.bench.MqttLoad;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.JvmEnv;
import io.aiotedge.support.MemoryCgroup;
import io.aiotedge.support.Mqtt;
import io.aiotedge.support.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A things-gateway node (with its broker) under an unpaced 30 s flood (8 publishers, 2 subscribers,
 * QoS 0, 256 B), run as a board runs it: the things-gateway profile's shipped flags (deploy/jvm.env)
 * inside a memory group of its 384 MiB limit. It stays up and ready, is not OOM-killed, its heap
 * stays under -Xmx (the JVM runs with ExitOnOutOfMemoryError, so an exhausted heap would kill it),
 * and a well-behaved device publishing QoS 1 once a second gets every message acknowledged and
 * delivered throughout.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FloodIT {

    @TempDir
    Path tmp;

    @Test
    void flood_nodeStaysUpHeapBoundedAndWellBehavedClientGetsThrough() throws Exception {
        Path data = tmp.resolve("node");
        JvmEnv.Profile profile = JvmEnv.load().profile("things-gateway");
        try (MemoryCgroup group = MemoryCgroup.create("flood", profile.limitBytes());
                NodeProcess node = NodeProcess.start(data, profile, group, List.of(),
                        BrokerFixture.loopbackGatewayArgs(data))) {
            int port = node.port("mqtt");

            Mqtt5BlockingClient observer = Mqtt.v5(port, "observer");
            Mqtt.connect(observer, "gw");
            var inbox = observer.publishes(MqttGlobalPublishFilter.ALL);
            observer.subscribeWith().topicFilter("aiot/v1/things/motor-A/telemetry").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient device = Mqtt.v5(port, "motor-A");
            Mqtt.connect(device, "motor-A");

            CompletableFuture<LoadResult> flood = CompletableFuture.supplyAsync(() -> {
                try {
                    return new MqttLoad(
                            new LoadSpec("127.0.0.1", port, "gw", BrokerFixture.password("gw"), 5, 8, 2, 0, 0,
                                    30, Long.MAX_VALUE, 256, "aiot/v1/flood", 1000),
                            line -> {}).run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            List<Long> ackMillis = new ArrayList<>();
            int sent = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                device.publishWith().topic("aiot/v1/things/motor-A/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(utf8("reading-" + sent)).send(); // blocks until PUBACK
                ackMillis.add((System.nanoTime() - t0) / 1_000_000);
                sent++;
                long pause = TimeUnit.SECONDS.toNanos(1) - (System.nanoTime() - t0);
                if (pause > 0) {
                    TimeUnit.NANOSECONDS.sleep(pause); // paces the well-behaved device at 1 msg/s; not a wait for a condition
                }
            }
            LoadResult r = flood.get(120, TimeUnit.SECONDS);

            Set<String> received = new HashSet<>();
            while (received.size() < sent) {
                var m = inbox.receive(20, TimeUnit.SECONDS);
                if (m.isEmpty()) {
                    break;
                }
                received.add(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            assertTrue(node.alive(), "node died under the flood:\n" + node.log());
            assertTrue(r.sent() > 30_000, "the flood really flooded: " + r.summary());
            assertTrue(sent >= 10, "the well-behaved device got at least 10 publishes through in 30 s, got " + sent);
            assertEquals(sent, received.size(), "every acknowledged QoS1 reading of the device was delivered");
            assertTrue(ackMillis.stream().mapToLong(Long::longValue).max().orElse(0) < 10_000,
                    "every PUBACK came within 10 s: " + ackMillis);
            assertEquals(200, node.get("/health/ready").statusCode());
            String xmx = profile.flags().stream().filter(f -> f.startsWith("-Xmx")).findFirst().orElseThrow();
            double heap = heapUsed(node.get("/metrics").body());
            assertTrue(heap < Long.parseLong(xmx.substring(4, xmx.length() - 1)) << 20, xmx + ": " + heap);
            MemoryCgroup.Usage u = group.usage(node.pid());
            MemoryCgroup.report(u.describe("flood (things-gateway)") + " " + r.summary());
            assertEquals(0, u.oomKills(), u.describe("flood"));
            assertTrue(u.peakRssBytes() > 0 && u.peakRssBytes() < profile.limitBytes(), u.describe("flood"));
            inbox.close();
            device.disconnect();
            observer.disconnect();
            assertEquals(0, node.terminate(Duration.ofSeconds(30)));
        }
    }

    private static double heapUsed(String prometheus) {
        return prometheus.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
