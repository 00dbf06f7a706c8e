package io.aiotedge.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.support.Api;
import io.aiotedge.support.NodeProcess;
import io.aiotedge.support.Proc;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An inference node of its own, at -Xmx128m, against a separate platform process: it trusts the
 * platform's signing key and token given by config, serves the champion, and alerts.
 */
class InferenceNodeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void anInferenceOnlyNodeAt128m_followsARemotePlatform_andAlerts() throws Exception {
        String hash = new PasswordHasher(new SecureRandom(), 10_000).hash("svc-pw".toCharArray());
        Path pdata = tmp.resolve("platform");
        try (NodeProcess platform = NodeProcess.start(pdata, List.of("-Xmx512m"), "run", "--role", "platform",
                "--data-dir", pdata.toString(), "--set", "mqtt.port=0", "--set", "http.port=0", "--set",
                "kafka.mode=off",
                "--set", "mqtt.users=[{username: svc, passwordHash: \"" + hash + "\", role: service}]")) {
            JsonNode prt = platform.awaitRuntime(Duration.ofSeconds(90));
            int mqtt = prt.path("ports").path("mqtt").asInt();
            String token = Files.readString(pdata.resolve("keys/admin-token")).trim();
            Api api = new Api("http://127.0.0.1:" + prt.path("ports").path("http").asInt(), token);
            byte[] model = TfliteExporter.floatModel(new DenseNet(List.of(new DenseNet.Layer(new float[][] {{20f}},
                    new float[] {-10f}, false))), "remote");
            Map<String, Object> parts = new LinkedHashMap<>();
            parts.put("file", model);
            parts.put("metadata", "{\"inputSchema\":{\"features\":[\"vibration_rms\"]}}");
            assertEquals(201, api.postMultipart("/api/v1/models/motor-condition/versions?alias=champion", token, parts)
                    .status());
            String key = api.get("/api/v1/signing-key", null).json().get("publicKey").asText();
            Api.Res node = api.postJson("/api/v1/nodes", token, "{\"id\":\"coral-1\"}");
            assertEquals(201, node.status(), node.text());
            String nodeToken = node.json().get("token").asText();

            Path idata = tmp.resolve("inference");
            try (NodeProcess inference = NodeProcess.start(idata, List.of("-Xmx128m"), "run", "--role", "inference",
                    "--data-dir", idata.toString(), "--set", "http.port=0", "--set", "inference.host=127.0.0.1",
                    "--set", "inference.port=" + mqtt, "--set", "inference.username=svc", "--set",
                    "inference.password=svc-pw", "--set", "inference.publicKey=" + key, "--set",
                    "inference.token=" + nodeToken,
                    "--set", "inference.platformUrl=http://127.0.0.1:" + prt.path("ports").path("http").asInt(),
                    "--set", "inference.confirmWindows=1")) {
                JsonNode irt = inference.awaitRuntime(Duration.ofSeconds(90));
                Api own = new Api("http://127.0.0.1:" + irt.path("ports").path("http").asInt(), null);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> own.get("/metrics", null).text().contains("aiot_inference_model_version 1.0"));

                Mqtt5BlockingClient svc = Mqtt5Client.builder().identifier("test-svc").serverHost("127.0.0.1")
                        .serverPort(mqtt).simpleAuth().username("svc")
                        .password("svc-pw".getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth().buildBlocking();
                svc.connect();
                try (Mqtt5BlockingClient.Mqtt5Publishes pubs = svc.publishes(MqttGlobalPublishFilter.ALL)) {
                    svc.subscribeWith().topicFilter("aiot/v1/things/r-1/alerts").qos(MqttQos.AT_LEAST_ONCE).send();
                    Telemetry t = new Telemetry("r-1", System.currentTimeMillis(), 1, List.of("vibration_rms"),
                            new double[] {0.95}, null);
                    svc.publishWith().topic("aiot/v1/things/r-1/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                            .payload(new TelemetryCodec().encode(t)).send();
                    Optional<Mqtt5Publish> alert = pubs.receive(20, TimeUnit.SECONDS);
                    assertTrue(alert.isPresent(), inference.log());
                    assertEquals("FAILURE", JSON.readTree(alert.get().getPayloadAsBytes()).get("band").asText());
                } finally {
                    svc.disconnect();
                }
                assertTrue(inference.alive(), "alive at -Xmx128m");
                assertEquals(0, inference.terminate(Duration.ofSeconds(30)), inference.log());
            }
        }
    }

    @Test
    void anInferenceOnlyNode_onDefaults_exits2_namingEveryKeyItLacks() throws Exception {
        Path idata = tmp.resolve("bare");
        Proc.Result r = NodeProcess.run(60, "run", "--role", "inference", "--data-dir", idata.toString(),
                "--set", "http.port=0");
        assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
        String out = r.stdout() + r.stderr();
        for (String key : List.of("inference.platformUrl", "inference.token", "inference.publicKey",
                "inference.port")) {
            assertTrue(out.contains(key + ":"), key + " in: " + out);
        }
    }

    @Test
    void anInferenceOnlyNode_withAMalformedPublicKey_exits2_namingTheKey() throws Exception {
        Path idata = tmp.resolve("badkey");
        Proc.Result r = NodeProcess.run(60, "run", "--role", "inference", "--data-dir", idata.toString(),
                "--set", "http.port=0", "--set", "inference.host=127.0.0.1", "--set", "inference.port=1",
                "--set", "inference.publicKey=not-a-key", "--set", "inference.token=t",
                "--set", "inference.platformUrl=http://127.0.0.1:1");
        String out = r.stdout() + r.stderr();
        assertEquals(2, r.exitCode(), out);
        assertTrue(out.contains("inference.publicKey: not an Ed25519 public key"), out);
    }
}
