package io.aiotedge.inference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.NodeRole;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.support.Api;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.support.PlatformNode;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference role on a node with Kafka: it consumes {@code aiot.telemetry} as a consumer group
 * (a second inference instance in the same group takes part of the partitions, and every record
 * is scored once between them), its servo command goes to {@code aiot.control} and the bridge
 * delivers it on the device's MQTT control topic, and the conditions API shows the device.
 */
class InferenceKafkaIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TelemetryCodec CODEC = new TelemetryCodec();

    @TempDir
    Path dir;
    @TempDir
    Path second;

    @Test
    void kafkaTelemetry_isScoredOnceAcrossTheGroup_failureCommandsTheServoThroughAiotControl_conditionsApiShowsIt()
            throws Exception {
        String users = InferenceIT.users();
        DenseNet net = new DenseNet(List.of(new DenseNet.Layer(new float[][] {{20f}}, new float[] {-10f}, false)));
        try (PlatformNode node = new PlatformNode(Set.of(NodeRole.PLATFORM, NodeRole.INFERENCE), dir, users,
                "inference.username=svc", "inference.password=svc-pw", "inference.confirmWindows=1",
                "inference.backend=java", "pipeline.enabled=false", "datastore.ingest=false")) {
            Api api = node.api();
            InferenceIT.shipChampion(api, TfliteExporter.floatModel(net, "vibration"), 1);
            String bootstrap = "127.0.0.1:" + node.kafka();

            SimpleMeterRegistry otherMeters = new SimpleMeterRegistry();
            InferenceComponent other = secondInstance(node, api, bootstrap, otherMeters);
            other.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> assignedBoth(node, other));
                Mqtt5BlockingClient ops = InferenceIT.connect(node.mqtt(), "ops");
                try (Mqtt5BlockingClient.Mqtt5Publishes out = ops.publishes(MqttGlobalPublishFilter.ALL);
                        KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                    ops.subscribeWith().topicFilter("aiot/v1/things/+/control").qos(MqttQos.AT_LEAST_ONCE).send();
                    // hostile records first: garbage, truncated JSON, an empty value, a tombstone
                    byte[][] junk = {{(byte) 0xff, 0x00, 0x13}, "{\"schema\":1,\"deviceId\":\"k-1\",\"ts\":".getBytes(
                            StandardCharsets.UTF_8), new byte[0], null};
                    for (byte[] j : junk) {
                        producer.send(
                                new ProducerRecord<>("aiot.telemetry", "k-1".getBytes(StandardCharsets.UTF_8), j));
                    }
                    int devices = 24;
                    for (int d = 0; d < devices; d++) {
                        send(producer, "k-" + d, 0, 0.1);
                    }
                    producer.flush();
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> scored(api) + otherScored(otherMeters) >= devices);
                    assertEquals(devices, scored(api) + otherScored(otherMeters), "each record scored once");
                    assertEquals(3, outcome(api, "undecodable") + otherMeters.get("aiot_inference_windows_total")
                            .tag("outcome", "undecodable").counter().count(),
                            "the junk is counted, the tombstone skipped");
                    assertTrue(scored(api) > 0 && otherScored(otherMeters) > 0,
                            "both group members score: " + scored(api) + " and " + otherScored(otherMeters));

                    String failing = "k-3";
                    // the bridge forwards aiot.control only to registered devices
                    assertEquals(201, api.postJson("/api/v1/devices", api.admin(), "{\"id\":\"" + failing + "\"}")
                            .status());
                    send(producer, failing, 1, 0.95);
                    producer.flush();
                    JsonNode command = awaitCommand(out, failing);
                    assertEquals("servo", command.get("command").asText());
                    assertEquals(failing, command.get("deviceId").asText());
                    assertTrue(KafkaRecords.all(bootstrap, "aiot.control").stream()
                            .anyMatch(r -> failing.equals(r.key()) && r.text().contains("\"servo\"")),
                            "the command is a record in aiot.control");

                    if (api.get("/api/v1/conditions/" + failing, api.admin()).status() == 200) {
                        JsonNode c = api.get("/api/v1/conditions/" + failing, api.admin()).json();
                        assertEquals("FAILURE", c.get("band").asText());
                        assertEquals(2, c.get("scored").asInt());
                        assertEquals(1, api.get("/api/v1/conditions?band=FAILURE", api.admin()).json()
                                .get("devices").size());
                    } else {
                        assertEquals(ConditionTracker.Band.FAILURE,
                                other.windows().device(failing).orElseThrow().band());
                    }
                } finally {
                    ops.disconnect();
                }
            } finally {
                other.stop();
            }
        }
    }

    @Test
    void conditionsApi_refusesMissingTokens_badBands_andUnknownDevices() throws Exception {
        try (PlatformNode node = new PlatformNode(Set.of(NodeRole.PLATFORM, NodeRole.INFERENCE), dir, "kafka.mode=off",
                "pipeline.enabled=false", InferenceIT.users(), "inference.username=svc", "inference.password=svc-pw")) {
            Api api = node.api();
            assertEquals(401, api.get("/api/v1/conditions", null).status());
            assertEquals(403, api.get("/api/v1/conditions", "not-the-token").status());
            Api.Res bad = api.get("/api/v1/conditions?band=BROKEN", api.admin());
            assertEquals(400, bad.status());
            assertTrue(bad.json().get("message").asText().startsWith("band"), bad.text());
            Api.Res none = api.get("/api/v1/conditions/nobody", api.admin());
            assertEquals(404, none.status());
            assertTrue(none.json().get("message").asText().contains("nobody"), none.text());
            JsonNode all = api.get("/api/v1/conditions", api.admin()).json();
            assertEquals(60, all.get("windowSeconds").asInt());
            assertEquals(0, all.get("devices").size());
            assertEquals(0, all.get("census").get("FAILURE").asInt());
        }
    }

    private InferenceComponent secondInstance(PlatformNode node, Api api, String bootstrap, SimpleMeterRegistry meters)
            throws Exception {
        String key = api.get("/api/v1/signing-key", null).json().get("publicKey").asText();
        NodeConfig c = new ConfigLoader(k -> null).load(null,
                List.of("dataDir=" + second, "inference.port=" + node.mqtt(),
                        "inference.host=127.0.0.1", "inference.username=svc", "inference.password=svc-pw",
                        "inference.confirmWindows=1", "inference.backend=java", "inference.publicKey=" + key,
                        "inference.token=" + nodeToken(api), "inference.platformUrl=http://127.0.0.1:" + node.http(),
                        "inference.source=kafka"))
                .config();
        return new InferenceComponent(c.inference(), second, new BoundPorts(), meters, Map.of(), () -> bootstrap, null);
    }

    /** A least-privilege model-download token for the second inference node (never the admin token). */
    private static String nodeToken(Api api) {
        Api.Res r = api.postJson("/api/v1/nodes", api.admin(), "{\"id\":\"inference-2\"}");
        assertEquals(201, r.status(), r.text());
        return r.json().get("token").asText();
    }

    private static boolean assignedBoth(PlatformNode node, InferenceComponent other) {
        return inferenceOf(node).assignedPartitions() > 0 && other.assignedPartitions() > 0
                && inferenceOf(node).assignedPartitions() + other.assignedPartitions() == 3
                && other.model() != null;
    }

    private static InferenceComponent inferenceOf(PlatformNode node) {
        return node.node().components().stream().filter(InferenceComponent.class::isInstance)
                .map(InferenceComponent.class::cast).findFirst().orElseThrow();
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String device, long seq, double vibration) {
        Telemetry t = new Telemetry(device, System.currentTimeMillis(), seq, List.of("vibration_rms", "current_rms"),
                new double[] {vibration, 2.0}, null);
        producer.send(new ProducerRecord<>("aiot.telemetry", device.getBytes(StandardCharsets.UTF_8), CODEC.encode(t)));
    }

    private static JsonNode awaitCommand(Mqtt5BlockingClient.Mqtt5Publishes out, String device) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            Optional<Mqtt5Publish> p = out.receive(1, TimeUnit.SECONDS);
            if (p.isPresent() && p.get().getTopic().toString().equals("aiot/v1/things/" + device + "/control")) {
                return JSON.readTree(p.get().getPayloadAsBytes());
            }
        }
        throw new AssertionError("no control message for " + device + " within 30 s");
    }

    private static double scored(Api api) {
        return outcome(api, "scored");
    }

    private static double outcome(Api api, String outcome) {
        return api.get("/metrics", null).text().lines()
                .filter(l -> l.startsWith("aiot_inference_windows_total{") && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static double otherScored(SimpleMeterRegistry meters) {
        return meters.get("aiot_inference_windows_total").tag("outcome", "scored").counter().count();
    }
}
