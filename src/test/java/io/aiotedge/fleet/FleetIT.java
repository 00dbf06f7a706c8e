package io.aiotedge.fleet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.support.MemoryCgroup;
import io.aiotedge.support.fleet.Fleet;
import io.aiotedge.support.fleet.FleetHttp;
import io.aiotedge.support.fleet.FrameLedger;
import io.aiotedge.support.fleet.GroupView;
import io.aiotedge.support.fleet.NetworkNamespaces;
import io.aiotedge.support.fleet.Probes;
import io.aiotedge.support.fleet.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet of docs/fleet.md on separate network addresses: three Kafka brokers, a platform, a
 * things-gateway with simulated motors and two inference nodes, each a JVM of the shaded JAR in
 * its own network namespace (so no node reaches another through loopback), every link
 * authenticated and encrypted. Phases: exact counts without faults, a shipped model served by
 * both inference nodes, refusals without credentials, kill -9 of an inference node and of a
 * broker, and a 30 s cut of the gateway's link. Skipped where network namespaces cannot be made.
 */
@Timeout(value = 9, unit = TimeUnit.MINUTES)
class FleetIT {
    static final int MOTORS = 6;
    static final int RATE = 2;
    /** Measured ~7-9 s (session.timeout.ms 6 s + rebalance); the bound docs/fleet.md states. */
    static final Duration REBALANCE_BOUND = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void aFleetOnSeparateAddresses_losesNothingAcknowledged_andScoresEveryWindow_throughKillsAndACutLink()
            throws Exception {
        String why = NetworkNamespaces.unavailableReason();
        assumeTrue(why == null, () -> "network namespaces unavailable: " + why);
        try (Fleet f = new Fleet(tmp)) {
            f.startKafka();
            f.startPlatform(List.of());
            f.startInference("inf1");
            f.startInference("inf2");
            try (GroupView group = new GroupView(f.kafka().adminClient(), "aiot-inference", "aiot.telemetry");
                    TopicReader raw = new TopicReader(f.kafka().adminClient(), "aiot.raw");
                    TopicReader telemetry = new TopicReader(f.kafka().adminClient(), "aiot.telemetry")) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> split(group.state(), f));
                f.startGateway(MOTORS, RATE, List.of());
                System.out.println("fleet started (s): " + f.startSeconds());
                FrameLedger frames = new FrameLedger(raw, telemetry);
                shipsAModel_bothInferenceNodesServeIt(f);
                everyAcknowledgedFrame_becomesTelemetry_isStoredOnce_andScoredOnce(f, group, frames);
                withoutCredentials_kafkaAndMqttRefuse(f);
                aKilledInferenceNode_handsOverItsPartitions_andRejoins(f, group);
                aKilledBroker_losesNothingAcknowledged_andTheBridgeKeepsGoing(f, group, frames);
                aCutGatewayLink_losesNothingAcknowledged(f, frames);
                everyNode_heldItsMemoryBudget_withoutAnOomKill(f);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + f.logs(), e);
            }
        }
    }

    /**
     * Each node ran the whole test inside a memory group of its profile's limit with the shipped flags
     * (deploy/jvm.env): none was OOM-killed, each is still ready, and each one's peak RSS stayed below
     * its limit (what the kernel enforces under a cgroup; what -XX:MaxRAM alone does not).
     */
    private static void everyNode_heldItsMemoryBudget_withoutAnOomKill(Fleet f) {
        f.memory().forEach((node, u) -> {
            MemoryCgroup.report(u.describe("fleet " + node) + String.format(Locale.ROOT, " start=%.1fs",
                    f.startSeconds().getOrDefault(node, -1.0)));
            assertEquals(0, u.oomKills(), node + " was OOM-killed: " + u.describe(node));
            assertTrue(f.node(node).alive(), node + " is gone");
            assertTrue(f.http().ready(f.url(node)), node + " is not ready at the end");
            assertTrue(u.peakRssBytes() > 0 && u.peakRssBytes() < u.limitBytes(), u.describe(node));
        });
    }

    /** Both inference nodes hold two of the four partitions. */
    private static boolean split(GroupView.State s, Fleet f) {
        return s.members() == 2 && s.of(f.address("inf1")).size() == 2 && s.of(f.address("inf2")).size() == 2;
    }

    private static void shipsAModel_bothInferenceNodesServeIt(Fleet f) throws Exception {
        FleetHttp http = f.http();
        String p = f.platformUrl();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> http.get(p + "/api/v1/datastore/stats", f.adminToken()).json().get("rows").asInt() >= 240);
        FleetHttp.Res run = http.postJson(p + "/api/v1/pipeline/runs", f.adminToken(), "{}");
        assertEquals(202, run.status(), run.body());
        String url = p + run.json().get("url").asText();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String s = http.get(url, f.adminToken()).json().get("status").asText();
            return s.equals("succeeded") || s.equals("failed") || s.equals("skipped");
        });
        JsonNode r = http.get(url, f.adminToken()).json();
        assertEquals("succeeded", r.get("status").asText(), r.toString());
        assertEquals(1, r.get("modelVersion").asInt(), r.toString());
        for (String n : Fleet.INFERENCE) {
            // downloaded over HTTPS with the node's token, signature checked with the pinned key, swapped in
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> http.metric(f.url(n), "aiot_inference_model_version") == 1.0);
            assertEquals(0.0, http.metric(f.url(n), "aiot_inference_models_rejected_total"), n);
        }
    }

    private static void everyAcknowledgedFrame_becomesTelemetry_isStoredOnce_andScoredOnce(Fleet f,
            GroupView group, FrameLedger frames) throws Exception {
        FleetHttp http = f.http();
        String gw = f.url("gateway");
        // a range of 31 ticks: the simulator publishes each motor's frame of a tick unless its previous one is
        // still unacknowledged (skipped, counted) or fails; the acknowledged ones are all in aiot.raw, once
        double failedBefore = http.metric(gw, "aiot_simulator_frames_total", "outcome=\"failed\"");
        double lostBefore = notPublished(f);
        frames.read();
        long first = frames.maxTick() + 3;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            frames.read();
            return frames.maxTick() >= first + 30;
        });
        long last = frames.maxTick();
        double lost = notPublished(f) - lostBefore;
        assertEquals(failedBefore, http.metric(gw, "aiot_simulator_frames_total", "outcome=\"failed\""), "failed");
        double published = http.metric(gw, "aiot_simulator_frames_total", "outcome=\"published\"");
        frames.read();
        assertTrue(frames.rawDistinct() >= published, frames.rawDistinct() + " raw frames for " + published + " acks");
        assertEquals(frames.rawRecords(), frames.rawDistinct(), "a raw frame twice in aiot.raw");
        Set<String> expected = frames.keysBetween(first, last);
        long absent = MOTORS * (last - first + 1) - expected.size();
        assertTrue(absent <= lost, absent + " frames of ticks " + first + ".." + last + " not in aiot.raw, but only "
                + lost + " skipped");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            frames.read();
            return frames.telemetryCounts().keySet().containsAll(expected);
        });
        for (String k : expected) {
            assertEquals(1, frames.telemetryCounts().get(k), "telemetry records of " + k);
        }
        frames.read();
        Set<String> rawKeys = frames.rawKeys();
        // (ticks up to the range's end: a later frame's telemetry may be read before its raw record)
        assertEquals(List.of(), frames.telemetryCounts().keySet().stream()
                .filter(k -> FrameLedger.tick(k) <= last && !rawKeys.contains(k)).toList(),
                "telemetry without a raw frame in aiot.raw");
        await().atMost(Duration.ofSeconds(30)).until(() -> rowCounts(f).keySet().containsAll(expected));
        Map<String, Integer> rows = rowCounts(f);
        for (String k : expected) {
            assertEquals(1, rows.get(k), "datastore rows of " + k);
        }
        assertEquals(List.of(),
                rows.keySet().stream().filter(k -> FrameLedger.tick(k) >= first && FrameLedger.tick(k) <= last
                        && !expected.contains(k)).toList(),
                "datastore rows of ticks " + first + ".." + last + " without a frame");
        assertEquals(0.0, http.metric(f.url("platform"), "aiot_ingest_duplicates_total"), "ingest duplicates");
        // every telemetry record scored exactly once by the group: windows counted on both nodes (every
        // outcome) equal the committed offsets, which equal the log end (the group began on an empty topic)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            GroupView.State a = group.state();
            double windows = windows(f, "inf1") + windows(f, "inf2");
            GroupView.State b = group.state();
            return a.caughtUp() && a.committed().equals(b.committed()) && a.end().equals(b.end())
                    && windows == a.endTotal();
        });
        System.out.println("phase 1: " + expected.size() + " frames of ticks " + first + ".." + last + ", " + absent
                + " skipped");
    }

    private static double notPublished(Fleet f) throws Exception {
        return f.http().metric(f.url("gateway"), "aiot_simulator_frames_total", "outcome=\"skipped\"")
                + f.http().metric(f.url("gateway"), "aiot_simulator_frames_total", "outcome=\"failed\"");
    }

    private static double windows(Fleet f, String node) throws Exception {
        return f.http().metric(f.url(node), "aiot_inference_windows_total");
    }

    /** (deviceId#sequence) -> datastore rows. */
    private static Map<String, Integer> rowCounts(Fleet f) throws Exception {
        JsonNode rows = f.http().get(f.platformUrl() + "/api/v1/datastore/rows?limit=100000", f.adminToken()).json()
                .get("rows");
        Map<String, Integer> out = new HashMap<>();
        rows.forEach(r -> out.merge(r.get("deviceId").asText() + "#" + r.get("sequence").asLong(), 1, Integer::sum));
        return out;
    }

    private static void withoutCredentials_kafkaAndMqttRefuse(Fleet f) throws Exception {
        Probes probes = new Probes(f, "gateway");
        String kafka = f.kafka().bootstrap();
        String mqttHost = f.address("platform");
        String port = String.valueOf(Fleet.MQTT_TLS);
        var results = probes.run(Map.of(
                "kafka-tls-no-sasl", List.of("kafka", kafka, "SSL"),
                "kafka-plaintext", List.of("kafka", kafka, "PLAINTEXT"),
                "kafka-wrong-password", List.of("kafka", kafka, "SASL_SSL", "inference", "wrong-password-1"),
                "kafka-gateway-kind", List.of("kafka", kafka, "SASL_SSL", "gateway", f.password("kafka-gateway")),
                "mqtt-no-credentials", List.of("mqtt", mqttHost, port, "tls"),
                "mqtt-wrong-password", List.of("mqtt", mqttHost, port, "tls", "gateway", "wrong-password-1"),
                "mqtt-no-tls", List.of("mqtt", mqttHost, port, "plain", "gateway", f.password("mqtt-gateway")),
                "mqtt-control", List.of("mqtt", mqttHost, port, "tls", "gateway", f.password("mqtt-gateway"))));
        // a client without SASL on the SASL_SSL port gets no clean error from Kafka: only a timeout
        assertTrue(results.get("kafka-tls-no-sasl").matches("REFUSED (Timeout|SslAuthentication)Exception.*"),
                results.toString());
        assertTrue(results.get("kafka-plaintext").matches("REFUSED (Timeout|SslAuthentication)Exception.*"),
                results.toString());
        assertTrue(results.get("kafka-wrong-password").startsWith("REFUSED SaslAuthenticationException"),
                results.toString());
        assertTrue(results.get("kafka-gateway-kind").startsWith("REFUSED TopicAuthorizationException"),
                results.toString());
        assertTrue(results.get("mqtt-no-credentials").matches("REFUSED .*(NOT_AUTHORIZED|BAD_USER_NAME_OR_PASSWORD).*"),
                results.toString());
        assertTrue(results.get("mqtt-wrong-password").matches("REFUSED .*(NOT_AUTHORIZED|BAD_USER_NAME_OR_PASSWORD).*"),
                results.toString());
        assertTrue(results.get("mqtt-no-tls").startsWith("REFUSED"), results.toString());
        assertEquals("ACCEPTED SUCCESS", results.get("mqtt-control"), "the same probe with the gateway's credentials");
        System.out.println("refusals: " + results);
    }

    private static void aKilledInferenceNode_handsOverItsPartitions_andRejoins(Fleet f, GroupView group)
            throws Exception {
        // the victim: the node whose partitions carry devices (6 motors hash onto 4 partitions unevenly)
        GroupView.State start = group.state();
        String victim = load(start, f.address("inf1")) >= load(start, f.address("inf2")) ? "inf1" : "inf2";
        String other = victim.equals("inf1") ? "inf2" : "inf1";
        String survivor = f.address(other);
        List<Integer> orphaned = start.of(f.address(victim));
        double before = windows(f, other);
        long t0 = System.nanoTime();
        f.node(victim).kill();
        GroupView.State atKill = group.state();
        await().atMost(REBALANCE_BOUND).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> group.state().of(survivor).size() == 4 && group.state().members() == 1);
        double moved = (System.nanoTime() - t0) / 1e9;
        // no window left unscored: the survivor commits every partition to its end
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> group.state()
                .caughtUp());
        GroupView.State after = group.state();
        long uncommitted = 0;
        for (int p : orphaned) {
            uncommitted += after.committed().get(p) - atKill.committed().getOrDefault(p, 0L);
        }
        assertTrue(uncommitted > 0, "windows arrived on " + victim + "'s partitions " + orphaned + " after the kill");
        double scored = windows(f, other) - before;
        assertTrue(scored >= uncommitted, other + " scored " + scored + " of " + uncommitted + " left by " + victim);
        long t1 = System.nanoTime();
        f.node(victim).restart();
        f.awaitReady(victim);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> split(group.state(), f));
        double rejoined = (System.nanoTime() - t1) / 1e9;
        await().atMost(Duration.ofSeconds(30)).until(() -> group.state().caughtUp());
        System.out.printf(java.util.Locale.ROOT, "inference kill (%s): partitions %s moved in %.1f s; %d windows it "
                + "had not committed scored by %s; restart to rejoined %.1f s%n", victim, orphaned, moved, uncommitted,
                other, rejoined);
    }

    /** Records in the partitions the member at {@code address} holds. */
    private static long load(GroupView.State s, String address) {
        return s.of(address).stream().mapToLong(p -> s.end().getOrDefault(p, 0L)).sum();
    }

    private static void aKilledBroker_losesNothingAcknowledged_andTheBridgeKeepsGoing(Fleet f, GroupView group,
            FrameLedger frames) throws Exception {
        frames.read();
        long tickAtKill = frames.maxTick();
        long killedAt = System.currentTimeMillis();
        f.kafka().broker("kafka2").kill();
        long t0 = System.nanoTime();
        // the bridge keeps going on two brokers (min.insync.replicas 2): 10 more ticks of every motor
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            frames.read();
            return frames.slowestMotorTick(MOTORS) >= tickAtKill + 10;
        });
        double resumed = (System.nanoTime() - t0) / 1e9;
        long stall = frames.longestGapSince(killedAt - 2000);
        f.kafka().broker("kafka2").restart();
        long t1 = System.nanoTime();
        List<String> topics = List.of("aiot.raw", "aiot.telemetry", "aiot.alerts", "__consumer_offsets");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> group.minIsr(topics).values().stream().allMatch(n -> n == 3));
        double isr = (System.nanoTime() - t1) / 1e9;
        double published = f.http().metric(f.url("gateway"), "aiot_simulator_frames_total", "outcome=\"published\"");
        frames.read();
        assertTrue(frames.rawDistinct() >= published, frames.rawDistinct() + " raw frames for " + published + " acks");
        frames.assertDuplicatesShareAMessageId();
        System.out.printf(java.util.Locale.ROOT, "broker kill at tick %d: every motor 10 ticks further after %.1f s, "
                + "longest gap between raw frames %d ms; ISR 3 again %.1f s after restart%n", tickAtKill, resumed,
                stall,
                isr);
    }

    private static void aCutGatewayLink_losesNothingAcknowledged(Fleet f, FrameLedger frames) throws Exception {
        FleetHttp http = f.http();
        String gw = f.url("gateway");
        double before = http.metric(gw, "aiot_simulator_frames_total", "outcome=\"published\"");
        f.net().link("gateway", false);
        // the outage: for 15 s the gateway stays unreachable (frames queue on the gateway's side meanwhile)
        await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2))
                .until(() -> !http.ready(gw));
        f.net().link("gateway", true);
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(
                () -> http.metric(gw, "aiot_simulator_frames_total", "outcome=\"published\"") >= before + 4 * MOTORS);
        double back = (System.nanoTime() - t0) / 1e9;
        double published = http.metric(gw, "aiot_simulator_frames_total", "outcome=\"published\"");
        frames.read();
        assertTrue(frames.rawDistinct() >= published, frames.rawDistinct() + " raw frames for " + published + " acks");
        Set<String> rawNow = frames.rawKeys();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            frames.read();
            return frames.telemetryCounts().keySet().containsAll(rawNow);
        });
        System.out.printf(java.util.Locale.ROOT, "link cut 15 s: publishing again %.1f s after the link returned; "
                + "%d raw frames, all with telemetry%n", back, rawNow.size());
    }
}
