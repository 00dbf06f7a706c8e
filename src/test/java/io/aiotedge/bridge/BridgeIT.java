package io.aiotedge.bridge;

import static io.aiotedge.support.Mqtt.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.aiotedge.core.Health;
import io.aiotedge.docs.DocsExamplesTest;
import io.aiotedge.support.BridgeFixture;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.support.KafkaRecords.Rec;
import io.aiotedge.support.Mqtt;
import io.aiotedge.support.Proc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bridge on a running node: real broker, real Kafka, real MQTT clients and kcat. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BridgeIT {
    @TempDir
    static Path dir;
    static BridgeFixture node;

    @BeforeAll
    static void start() {
        node = new BridgeFixture(dir).start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static Optional<Rec> find(String topic, String messageMarker) {
        return KafkaRecords.all(node.bootstrap(), topic).stream().filter(r -> r.text().contains(messageMarker))
                .findFirst();
    }

    private static Rec awaitRecord(String topic, String marker) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> find(topic, marker), Optional::isPresent).get();
    }

    @Test
    void telemetryPublish_becomesKafkaRecordWithDeviceKeyAndMqttHeaders() throws IOException {
        Mqtt5BlockingClient device = Mqtt.v5(node.mqttPort(), "motor-A/1");
        Mqtt.connect(device, "motor-A");
        String payload = "{\"rms\":0.42,\"marker\":\"t1\"}";
        long before = System.currentTimeMillis();
        Mqtt5PublishResult result = device.publishWith().topic("aiot/v1/things/motor-A/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE).payload(utf8(payload)).userProperties().add("site", "hall-3")
                .applyUserProperties()
                .send();
        device.disconnect();
        assertTrue(result.getError().isEmpty());

        Rec r = awaitRecord("aiot.telemetry", "\"t1\"");
        assertEquals("motor-A", r.key());
        assertEquals(payload, r.text());
        assertEquals("aiot/v1/things/motor-A/telemetry", r.header("mqtt.topic"));
        assertEquals("1", r.header("mqtt.qos"));
        assertEquals("motor-A/1", r.header("mqtt.clientId"));
        assertEquals("hall-3", r.header("mqtt.user.site"));
        long receivedAt = Long.parseLong(r.header("mqtt.receivedAt"));
        assertTrue(receivedAt >= before && receivedAt <= System.currentTimeMillis(), "receivedAt " + receivedAt);
        assertTrue(r.header("aiot.messageId").matches("[0-9a-f]{16}-[0-9a-f]+"), r.header("aiot.messageId"));
        Set<String> names = new TreeSet<>(r.headers().keySet());
        names.removeIf(n -> n.startsWith("mqtt.user."));
        assertEquals(DocsExamplesTest.documentedRecordHeaders(), names, "docs/bridge.md lists the record headers");
    }

    @Test
    void qos1Publish_isInKafkaWhenThePubackArrives() {
        Mqtt5BlockingClient device = Mqtt.v5(node.mqttPort(), "motor-B");
        Mqtt.connect(device, "motor-B");
        for (int i = 0; i < 20; i++) {
            device.publishWith().topic("aiot/v1/things/motor-B/raw").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("frame-" + i)).send();
        }
        device.disconnect();
        // no waiting: every acknowledged publish is already durable in Kafka, in order
        List<String> frames = KafkaRecords.all(node.bootstrap(), "aiot.raw").stream()
                .filter(r -> "motor-B".equals(r.key())).map(Rec::text).filter(t -> t.startsWith("frame-")).toList();
        assertEquals(20, frames.size(), frames.toString());
        for (int i = 0; i < 20; i++) {
            assertEquals("frame-" + i, frames.get(i));
        }
    }

    @Test
    void referenceFirmwareTopic_isKeyedByTheDeviceIdInThePayload() {
        Mqtt3BlockingClient gw = Mqtt.v3(node.mqttPort(), "ref-gw");
        Mqtt.connect(gw, "gw");
        String payload = "{\"deviceID\":\"2462ABF0C1\",\"current\":0.71,\"temperature\":38.5,\"vibration\":0.02,"
                + "\"sound\":61.0,\"fft_data\":\"true\"}";
        gw.publishWith().topic("shaded-pole-motor-sensor_data").qos(MqttQos.AT_LEAST_ONCE).payload(utf8(payload))
                .send();
        gw.disconnect();
        Rec r = awaitRecord("shaded-pole-motor-sensor_data", "2462ABF0C1");
        assertEquals("2462ABF0C1", r.key());
        assertEquals(payload, r.text());
    }

    @Test
    void controlRecordInKafka_reachesTheDeviceSubscribedToItsControlTopic() throws Exception {
        Mqtt5BlockingClient device = Mqtt.v5(node.mqttPort(), "motor-A/ctl");
        Mqtt.connect(device, "motor-A");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith().topicFilter("aiot/v1/things/motor-A/control").qos(MqttQos.AT_LEAST_ONCE).send();
            KafkaRecords.produce(node.bootstrap(), "aiot.control", utf8("motor-A"), utf8("{\"servo\":45}"));
            Mqtt5Publish got = inbox.receive(30, TimeUnit.SECONDS).orElseThrow();
            assertEquals("aiot/v1/things/motor-A/control", got.getTopic().toString());
            assertEquals("{\"servo\":45}", new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8));
            assertEquals(MqttQos.AT_LEAST_ONCE, got.getQos());
        } finally {
            device.disconnect();
        }
    }

    @Test
    void modelAnnouncementInKafka_isRetainedForLateSubscribers() throws Exception {
        KafkaRecords.produce(node.bootstrap(), "aiot.models", utf8("motor-condition"),
                utf8(announcement("motor-condition", 3, true)));
        Mqtt5Publish got = awaitRetained("motor-condition", "\"version\":3");
        assertEquals("aiot/v1/models/motor-condition/latest", got.getTopic().toString());
        assertTrue(got.isRetain());
    }

    @Test
    void forgedModelAnnouncement_isNeitherRetainedNorForwarded_andIsDeadLetteredWithTheReason() throws Exception {
        KafkaRecords.produce(node.bootstrap(), "aiot.models", utf8("forge-target"),
                utf8(announcement("forge-target", 1, true)));
        awaitRetained("forge-target", "\"version\":1");
        Mqtt5BlockingClient watcher = Mqtt.v5(node.mqttPort(), "ops-forge-watch");
        Mqtt.connect(watcher, "ops");
        try (Mqtt5BlockingClient.Mqtt5Publishes live = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("aiot/v1/models/forge-target/latest").qos(MqttQos.AT_LEAST_ONCE).send();
            live.receive(30, TimeUnit.SECONDS).orElseThrow(); // the retained v1
            // what the review did: kcat -P -t aiot.models with a made-up signature
            kcatProduce("aiot.models", "forge-target", announcement("forge-target", 2, false));
            // a genuinely signed announcement of another model, moved under this model's key
            KafkaRecords.produce(node.bootstrap(), "aiot.models", utf8("forge-target"),
                    utf8(announcement("other-model", 7, true)));
            Rec forged = awaitRecord("aiot.deadletter", "\"version\":2");
            assertEquals("model announcement signature does not verify with this node's model-signing key",
                    forged.header("aiot.error"));
            assertTrue(forged.header("aiot.source").startsWith("aiot.models/"), forged.header("aiot.source"));
            Rec moved = awaitRecord("aiot.deadletter", "\"version\":7");
            assertEquals("model announcement names 'other-model' but the record key is 'forge-target'",
                    moved.header("aiot.error"));
            assertTrue(live.receive(2, TimeUnit.SECONDS).isEmpty(), "no forged announcement is forwarded live");
        } finally {
            watcher.disconnect();
        }
        Mqtt5Publish retained = awaitRetained("forge-target", "\"version\":");
        assertTrue(text(retained).contains("\"version\":1"), "still the genuine v1: " + text(retained));
    }

    @Test
    void controlRecord_forUnregisteredOrRevokedDevice_neverReachesMqtt_andIsDeadLettered() throws Exception {
        node.devices().provision("motor-R", "sensor", java.util.Map.of());
        node.devices().revoke("motor-R");
        Mqtt5BlockingClient ops = Mqtt.v5(node.mqttPort(), "ops-ctl-watch");
        Mqtt.connect(ops, "ops");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = ops.publishes(MqttGlobalPublishFilter.ALL)) {
            ops.subscribeWith().topicFilter("aiot/v1/things/+/control").qos(MqttQos.AT_LEAST_ONCE).send();
            // what the review did: kcat -P -t aiot.control -k devB
            kcatProduce("aiot.control", "devB", "{\"servo\":\"ghost-1\"}");
            kcatProduce("aiot.control", "motor-R", "{\"servo\":\"revoked-1\"}");
            kcatProduce("aiot.control", "motor-B", "{\"servo\":\"registered-1\"}");
            Rec ghost = awaitRecord("aiot.deadletter", "ghost-1");
            assertTrue(
                    ghost.header("aiot.error").startsWith("record key 'devB' is not a registered, non-revoked device"),
                    ghost.header("aiot.error"));
            Rec revoked = awaitRecord("aiot.deadletter", "revoked-1");
            assertTrue(revoked.header("aiot.error").startsWith("record key 'motor-R' is not a registered"),
                    revoked.header("aiot.error"));
            List<String> got = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                inbox.receive(1, TimeUnit.SECONDS).ifPresent(p -> got.add(p.getTopic() + " " + text(p)));
                return got.stream().anyMatch(g -> g.contains("registered-1"));
            });
            inbox.receive(2, TimeUnit.SECONDS).ifPresent(p -> got.add(p.getTopic() + " " + text(p)));
            assertEquals(List.of("aiot/v1/things/motor-B/control {\"servo\":\"registered-1\"}"),
                    got.stream().filter(g -> g.contains("-1\"")).toList(), "only the registered device's command");
        } finally {
            ops.disconnect();
        }
        assertTrue(find("aiot.deadletter", "registered-1").isEmpty());
    }

    /** A model announcement; signed with the node's key, or with a signature of 64 made-up bytes. */
    private static String announcement(String name, int version, boolean genuine) {
        String sha = "ab".repeat(32);
        String sig = genuine ? node.signer().sign(io.aiotedge.models.ModelSigner.statement(name, version, sha, 1234))
                : java.util.Base64.getEncoder().encodeToString(new byte[64]);
        String body = "{\"schemaVersion\":1,\"name\":\"" + name + "\",\"version\":" + version + ",\"sha256\":\"" + sha
                + "\",\"size\":1234,\"url\":\"http://attacker.example:9999/m\",\"signature\":\"" + sig + "\"";
        String meta = java.util.Base64.getEncoder().encodeToString(new byte[64]);
        if (genuine) {
            try {
                meta = node.signer().sign(io.aiotedge.wire.ModelSignatures.metadataStatement(
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(body + "}")));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return body + ",\"metadataSignature\":\"" + meta + "\"}";
    }

    /** What a fresh subscriber gets as the retained announcement of {@code name}, once it contains {@code marker}. */
    private static Mqtt5Publish awaitRetained(String name, String marker) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            Mqtt5BlockingClient late = Mqtt.v5(node.mqttPort(), "motor-B/late-" + System.nanoTime());
            Mqtt.connect(late, "motor-B");
            try (Mqtt5BlockingClient.Mqtt5Publishes inbox = late.publishes(MqttGlobalPublishFilter.ALL)) {
                late.subscribeWith().topicFilter("aiot/v1/models/" + name + "/latest").qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                return inbox.receive(2, TimeUnit.SECONDS);
            } finally {
                late.disconnect();
            }
        }, p -> p.isPresent() && text(p.get()).contains(marker)).get();
    }

    private static String text(Mqtt5Publish p) {
        return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    private static void kcatProduce(String topic, String key, String value) throws Exception {
        Process produce = new ProcessBuilder("kcat", "-b", node.bootstrap(), "-P", "-t", topic, "-K", "\t").start();
        produce.getOutputStream().write((key + "\t" + value + "\n").getBytes(StandardCharsets.UTF_8));
        produce.getOutputStream().close();
        assertTrue(produce.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, produce.exitValue(),
                new String(produce.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void malformedJson_isDeadLetteredWithItsReason_andMqtt5SenderGets0x99() {
        Mqtt5BlockingClient device = Mqtt.v5(node.mqttPort(), "motor-A/bad");
        Mqtt.connect(device, "motor-A");
        Mqtt5PubAckException refused = assertThrows(Mqtt5PubAckException.class, () -> device.publishWith()
                .topic("aiot/v1/things/motor-A/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("{\"rms\": 0.4, \"m\":\"bad-json-1\"")).send());
        Mqtt5PublishResult good = device.publishWith().topic("aiot/v1/things/motor-A/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE).payload(utf8("{\"m\":\"after-bad-json-1\"}")).send();
        device.disconnect();

        var ack = refused.getMqttMessage();
        assertEquals(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, ack.getReasonCode());
        assertTrue(ack.getReasonString().orElseThrow().toString().contains("not valid JSON"), ack.toString());
        assertTrue(!((Mqtt5PublishResult.Mqtt5Qos1Result) good).getPubAck().getReasonCode().isError());

        Rec dead = awaitRecord("aiot.deadletter", "bad-json-1");
        assertTrue(dead.header("aiot.error").startsWith("payload is not valid JSON"), dead.header("aiot.error"));
        assertEquals("aiot.telemetry", dead.header("aiot.intendedTopic"));
        assertEquals("aiot/v1/things/motor-A/telemetry", dead.header("mqtt.topic"));
        assertTrue(find("aiot.telemetry", "\"bad-json-1\"").isEmpty(), "the bad payload must not reach aiot.telemetry");
        awaitRecord("aiot.telemetry", "after-bad-json-1");
    }

    @Test
    void oversizeAndInvalidUtf8Payloads_fromMqtt3Device_areDeadLetteredAndAcked() {
        Mqtt3BlockingClient device = Mqtt.v3(node.mqttPort(), "motor-B/v3");
        Mqtt.connect(device, "motor-B");
        byte[] big = ("{\"m\":\"oversize-1\",\"pad\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        device.publishWith().topic("aiot/v1/things/motor-B/telemetry").qos(MqttQos.AT_LEAST_ONCE).payload(big).send();
        byte[] notUtf8 = {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        device.publishWith().topic("aiot/v1/things/motor-B/telemetry").qos(MqttQos.AT_LEAST_ONCE).payload(notUtf8)
                .send();
        device.publishWith().topic("aiot/v1/things/motor-B/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("{\"m\":\"after-oversize-1\"}")).send();
        assertTrue(device.getState().isConnected(), "an MQTT 3 device is acked, not disconnected, for a bad payload");
        device.disconnect();

        Rec over = awaitRecord("aiot.deadletter", "oversize-1");
        assertTrue(over.header("aiot.error").contains("exceeds the limit of 65536"), over.header("aiot.error"));
        assertEquals(big.length, over.value().length, "the dead letter keeps the whole payload");
        List<Rec> dead = KafkaRecords.all(node.bootstrap(), "aiot.deadletter");
        assertTrue(dead.stream().anyMatch(r -> java.util.Arrays.equals(notUtf8, r.value())
                && r.header("aiot.error").contains("not valid JSON")), "invalid UTF-8 is dead-lettered");
        awaitRecord("aiot.telemetry", "after-oversize-1");
    }

    @Test
    void controlRecordsWithoutUsableKey_areDeadLettered_andLaterRecordsStillFlow() throws Exception {
        KafkaRecords.produce(node.bootstrap(), "aiot.control", null, utf8("{\"m\":\"no-key-1\"}"));
        KafkaRecords.produce(node.bootstrap(), "aiot.control", utf8("motor-A/#"), utf8("{\"m\":\"wild-key-1\"}"));
        Mqtt5BlockingClient device = Mqtt.v5(node.mqttPort(), "motor-B/ctl");
        Mqtt.connect(device, "motor-B");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith().topicFilter("aiot/v1/things/motor-B/control").qos(MqttQos.AT_LEAST_ONCE).send();
            KafkaRecords.produce(node.bootstrap(), "aiot.control", utf8("motor-B"), utf8("{\"m\":\"after-bad-keys\"}"));
            Mqtt5Publish got = inbox.receive(30, TimeUnit.SECONDS).orElseThrow();
            assertEquals("{\"m\":\"after-bad-keys\"}", new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8));
        } finally {
            device.disconnect();
        }
        Rec noKey = awaitRecord("aiot.deadletter", "no-key-1");
        assertTrue(noKey.header("aiot.error").startsWith("record has no key"), noKey.header("aiot.error"));
        assertTrue(noKey.header("aiot.source").startsWith("aiot.control/"), noKey.header("aiot.source"));
        Rec wild = awaitRecord("aiot.deadletter", "wild-key-1");
        assertTrue(wild.header("aiot.error").contains("not one valid MQTT topic level"), wild.header("aiot.error"));
    }

    @Test
    void publishOutsideTheAcl_neverReachesKafka() {
        Mqtt3BlockingClient device = Mqtt.v3(node.mqttPort(), "motor-A/acl");
        Mqtt.connect(device, "motor-A");
        try {
            device.publishWith().topic("aiot/v1/things/motor-B/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("{\"m\":\"spoofed-1\"}")).send();
        } catch (RuntimeException expected) {
            // MQTT 3: the broker disconnects the client
        }
        Mqtt5BlockingClient probe = Mqtt.v5(node.mqttPort(), "motor-A/probe");
        Mqtt.connect(probe, "motor-A");
        probe.publishWith().topic("aiot/v1/things/motor-A/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("{\"m\":\"after-spoof-1\"}")).send();
        probe.disconnect();
        awaitRecord("aiot.telemetry", "after-spoof-1");
        assertTrue(find("aiot.telemetry", "spoofed-1").isEmpty(), "a publish the ACL refuses must not be bridged");
    }

    @Test
    void kcat_readsWhatTheBridgeWrote_andItsControlMessageReachesAnMqttSubscriber() throws Exception {
        Mqtt5BlockingClient device = Mqtt.v5(node.mqttPort(), "motor-A/kcat");
        Mqtt.connect(device, "motor-A");
        device.publishWith().topic("aiot/v1/things/motor-A/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("{\"m\":\"for-kcat-1\"}")).send();
        Proc.Result consumed = Proc.run(60, List.of("kcat", "-b", node.bootstrap(), "-C", "-t", "aiot.telemetry",
                "-o", "beginning", "-e", "-f", "%k|%h|%s\\n"));
        assertEquals(0, consumed.exitCode(), consumed.stderr());
        assertTrue(consumed.stdout().lines()
                .anyMatch(l -> l.startsWith("motor-A|") && l.contains("mqtt.clientId=motor-A/kcat")
                        && l.endsWith("|{\"m\":\"for-kcat-1\"}")),
                consumed.stdout());

        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith().topicFilter("aiot/v1/things/motor-A/control").qos(MqttQos.AT_LEAST_ONCE).send();
            Process produce = new ProcessBuilder("kcat", "-b", node.bootstrap(), "-P", "-t", "aiot.control", "-K", ":")
                    .start();
            produce.getOutputStream().write("motor-A:{\"servo\":\"from-kcat\"}\n".getBytes(StandardCharsets.UTF_8));
            produce.getOutputStream().close();
            assertTrue(produce.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, produce.exitValue(),
                    new String(produce.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            Mqtt5Publish got = inbox.receive(30, TimeUnit.SECONDS).orElseThrow();
            assertEquals("{\"servo\":\"from-kcat\"}", new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8));
        } finally {
            device.disconnect();
        }
    }

    @Test
    void healthyBridge_reportsUpAndCountsForwardedRecords() {
        assertEquals(Health.Status.UP, node.uplinkHealth().status(), node.uplinkHealth().detail());
        assertEquals(Health.Status.UP, node.downlinkHealth().status(), node.downlinkHealth().detail());
        Mqtt5BlockingClient device = Mqtt.v5(node.mqttPort(), "motor-B/metrics");
        Mqtt.connect(device, "motor-B");
        double before = node.count("aiot_bridge_forwarded_total");
        device.publishWith().topic("aiot/v1/things/motor-B/raw").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("m")).send();
        device.disconnect();
        assertTrue(node.count("aiot_bridge_forwarded_total") >= before + 1);
        assertEquals(0.0, node.count("aiot_bridge_spool_records"));
        assertEquals(0.0, node.count("aiot_bridge_spooling"));
    }

    @Test
    void publishWithInvalidUtf8Topic_closesThatConnection_andTheBridgeKeepsForwarding() throws Exception {
        try (Socket sock = new Socket("127.0.0.1", node.mqttPort())) {
            sock.setSoTimeout(10_000);
            ByteArrayOutputStream connect = new ByteArrayOutputStream();
            connect.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) 0xC2, 0, 60});
            for (String field : List.of("motor-A/raw-bad-topic", "motor-A", "motor-A-pw")) {
                byte[] b = field.getBytes(StandardCharsets.UTF_8);
                connect.write(new byte[] {0, (byte) b.length});
                connect.write(b);
            }
            OutputStream out = sock.getOutputStream();
            out.write(0x10);
            out.write(connect.size());
            connect.writeTo(out);
            InputStream in = sock.getInputStream();
            assertArrayEquals(new byte[] {0x20, 2, 0, 0}, in.readNBytes(4), "CONNACK accepted");

            byte[] topic = {'a', 'i', 'o', 't', '/', 'x', '/', (byte) 0xC3, (byte) 0x28};
            byte[] payload = "{\"m\":\"bad-topic-1\"}".getBytes(StandardCharsets.UTF_8);
            out.write(0x32); // PUBLISH QoS 1
            out.write(2 + topic.length + 2 + payload.length);
            out.write(new byte[] {0, (byte) topic.length});
            out.write(topic);
            out.write(new byte[] {0, 1});
            out.write(payload);
            out.flush();
            assertEquals(-1, in.read(), "the broker closes the connection without a PUBACK");
        }
        Mqtt5BlockingClient device = Mqtt.v5(node.mqttPort(), "motor-A/after-raw");
        Mqtt.connect(device, "motor-A");
        device.publishWith().topic("aiot/v1/things/motor-A/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("{\"m\":\"after-bad-topic-1\"}")).send();
        device.disconnect();
        awaitRecord("aiot.telemetry", "after-bad-topic-1");
        assertTrue(find("aiot.deadletter", "\"bad-topic-1\"").isEmpty());
    }
}
