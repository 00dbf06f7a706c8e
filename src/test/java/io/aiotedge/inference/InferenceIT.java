package io.aiotedge.inference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aiotedge.core.NodeRole;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.support.Api;
import io.aiotedge.support.Metrics;
import io.aiotedge.support.Mqtt;
import io.aiotedge.support.PlatformNode;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Platform and inference in one node, over the real broker, registry and TFLite: a champion is
 * announced, downloaded, verified and served; a motor's rising score raises WARNING then FAILURE
 * once each, with a servo command; a tampered announcement is refused and the model keeps serving;
 * after a restart the model is back from disk.
 */
class InferenceIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static String users() {
        PasswordHasher h = new PasswordHasher(new SecureRandom(), 10_000);
        return "mqtt.users=[{username: svc, passwordHash: \"" + h.hash("svc-pw".toCharArray()) + "\", role: service},"
                + "{username: ops, passwordHash: \"" + h.hash("ops-pw".toCharArray()) + "\", role: admin}]";
    }

    static PlatformNode node(Path dir, String users) {
        return new PlatformNode(Set.of(NodeRole.PLATFORM, NodeRole.INFERENCE), dir, "kafka.mode=off", users,
                "inference.username=svc", "inference.password=svc-pw", "inference.confirmWindows=1",
                "inference.backend=tflite");
    }

    static Mqtt5BlockingClient connect(int port, String user) {
        Mqtt5BlockingClient c = Mqtt.v5(port, user + "/test");
        c.connectWith().simpleAuth().username(user).password((user + "-pw").getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        return c;
    }

    static void telemetry(Mqtt5BlockingClient c, String device, long seq, double vib) {
        Telemetry t = new Telemetry(device, System.currentTimeMillis(), seq, List.of("vibration_rms", "current_rms"),
                new double[] {vib, 2.0}, null);
        c.publishWith().topic("aiot/v1/things/" + device + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload(new TelemetryCodec().encode(t)).send();
    }

    @Test
    void aChampionIsServed_alertsRiseOncePerBand_failureCommandsTheServo_tamperingIsRefused_andARestartKeepsIt()
            throws Exception {
        String users = users();
        // score = sigmoid(20 * (vibration - 0.5)): 0.5 at 0.5, 0.8 at ~0.57
        DenseNet net = new DenseNet(List.of(new DenseNet.Layer(new float[][] {{20f}}, new float[] {-10f}, false)));
        byte[] model = TfliteExporter.floatModel(net, "vibration");
        try (PlatformNode node = node(dir, users)) {
            Api api = node.api();
            shipChampion(api, model, 1);

            Mqtt5BlockingClient ops = connect(node.mqtt(), "ops");
            try (Mqtt5BlockingClient.Mqtt5Publishes out = ops.publishes(MqttGlobalPublishFilter.ALL)) {
                ops.subscribeWith().topicFilter("aiot/v1/things/m-7/#").qos(MqttQos.AT_LEAST_ONCE).send();
                ops.subscribeWith().topicFilter("aiot/v1/inference/alerts").qos(MqttQos.AT_LEAST_ONCE).send();
                double[] vibration = {0.1, 0.2, 0.52, 0.53, 0.9, 0.95, 0.97};
                for (int i = 0; i < vibration.length; i++) {
                    telemetry(ops, "m-7", i, vibration[i]);
                }
                List<JsonNode> alerts = new ArrayList<>();
                JsonNode command = null;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while ((alerts.size() < 2 || command == null) && System.nanoTime() < end) {
                    Optional<Mqtt5Publish> p = out.receive(1, TimeUnit.SECONDS);
                    if (p.isEmpty()) {
                        continue;
                    }
                    String topic = p.get().getTopic().toString();
                    if (topic.endsWith("/alerts")) {
                        alerts.add(JSON.readTree(p.get().getPayloadAsBytes()));
                    } else if (topic.endsWith("/control")) {
                        command = JSON.readTree(p.get().getPayloadAsBytes());
                    }
                }
                assertEquals(2, alerts.size(), alerts.toString());
                assertEquals("WARNING", alerts.get(0).get("band").asText());
                assertEquals("FAILURE", alerts.get(1).get("band").asText());
                assertEquals(1, alerts.get(1).get("modelVersion").asInt());
                assertTrue(alerts.get(1).get("score").asDouble() >= 0.8);
                assertEquals(0.9, alerts.get(1).get("features").get("vibration_rms").asDouble(), 1e-9);
                assertEquals("servo", command.get("command").asText());
                assertEquals(90, command.get("angle").asInt());

                // a forged announcement: a new version whose signature is not the registry's
                ObjectNode forged = (ObjectNode) JSON.readTree(api.get("/api/v1/models/motor-condition/versions/1",
                        api.admin()).body());
                ObjectNode ann = JSON.createObjectNode().put("schemaVersion", 1).put("name", "motor-condition")
                        .put("version", 9).put("sha256", forged.get("sha256").asText())
                        .put("size", forged.get("size").asLong())
                        .put("path", "/api/v1/models/motor-condition/versions/1/download")
                        .put("url", api.base() + "/api/v1/models/motor-condition/versions/1/download")
                        .put("signature", forged.get("signature").asText())
                        .put("metadataSignature", forged.get("metadataSignature").asText());
                ann.set("inputSchema", forged.get("inputSchema"));
                ops.publishWith().topic("aiot/v1/models/motor-condition/latest").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(ann.toString().getBytes(StandardCharsets.UTF_8)).send();
                Optional<Mqtt5Publish> rejected = Optional.empty();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (rejected.isEmpty() && System.nanoTime() < until) {
                    rejected = out.receive(1, TimeUnit.SECONDS)
                            .filter(p -> p.getTopic().toString().equals("aiot/v1/inference/alerts"));
                }
                assertTrue(rejected.isPresent(), "the refusal is alerted");
                JsonNode r = JSON.readTree(rejected.get().getPayloadAsBytes());
                assertEquals("model-rejected", r.get("type").asText());
                assertTrue(r.get("reason").asText().contains("signature"), r.toString());
                assertEquals(1, r.get("servingVersion").asInt());
                assertEquals(1, metric(api, "aiot_inference_model_version"));
            } finally {
                ops.disconnect();
            }
        }
        try (PlatformNode again = node(dir, users)) {
            // the forged announcement is retained: refused again at connect; v1 comes back from disk
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> metric(again.api(), "aiot_inference_model_version") == 1);
        }
    }

    /** Registers {@code model} (input: vibration_rms) as champion and waits until inference serves it. */
    static void shipChampion(Api api, byte[] model, int version) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("file", model);
        parts.put("metadata", "{\"inputSchema\":{\"features\":[\"vibration_rms\"]}}");
        assertEquals(201, api.postMultipart("/api/v1/models/motor-condition/versions?alias=champion", api.admin(),
                parts).status());
        await().atMost(Duration.ofSeconds(30)).until(() -> metric(api, "aiot_inference_model_version") == version);
    }

    static double metric(Api api, String name) {
        return Metrics.sum(api.get("/metrics", null).text(), name);
    }
}
