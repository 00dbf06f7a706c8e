package io.aiotedge.inference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.support.Api;
import io.aiotedge.support.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A staged rollout end to end, one JAR ({@code demo}: simulated motors, gateway, embedded Kafka,
 * platform, inference), with hand-built models: the champion calls every motor OK, a bad candidate
 * calls every window FAILURE (zero weights, bias 12), a good one agrees with the champion. The bad
 * one is refused in shadow (and never alerts); forced to a canary of one motor, only that motor gets
 * servo commands, the canary bound trips and the motor returns to the champion; the good one goes
 * through shadow and canary to the whole fleet.
 */
class RolloutIT {
    private static final String MODEL = "motor-condition";
    private static final Pattern ACTUATOR = Pattern.compile(
            "Simulated actuator on aiot/v1/things/(motor-\\d+)/control received: (\\{.*})");

    @TempDir
    Path tmp;

    @Test
    void badCandidate_refusedInShadow_canaryRolledBack_onlyTheCanaryMotorCommanded_goodCandidateReachesTheFleet()
            throws Exception {
        Path data = tmp.resolve("node");
        try (NodeProcess node = NodeProcess.start(data, List.of("-Xmx512m"), "demo", "--data-dir", data.toString(),
                "--set", "mqtt.port=0", "--set", "http.port=0", "--set", "kafka.port=0", "--set",
                "pipeline.scheduleMinutes=0", "--set", "simulator.motors=8", "--set", "inference.reportSeconds=1",
                "--set", "rollout.checkSeconds=1", "--set", "rollout.shadow.minWindows=100", "--set",
                "rollout.canary.minutes=0.25")) {
            JsonNode rt = node.awaitRuntime(Duration.ofSeconds(120));
            Api api = new Api("http://127.0.0.1:" + rt.path("ports").path("http").asInt(),
                    Files.readString(data.resolve("keys/admin-token")).trim());
            int v1 = upload(api, always(-12f), "champion");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> api.get("/api/v1/conditions", api.admin()).json().path("model").path("version")
                            .asInt() == v1);

            // (a) shadow: the bad candidate's FAILURE calls are counted, never sent; the bound refuses it
            int v2 = upload(api, always(12f), null);
            JsonNode a = startRollout(api, "{\"version\": " + v2 + "}");
            JsonNode endedA = awaitStage(api, a, Set.of("aborted", "rolled-back"), 90);
            assertEquals("rejected", version(api, v2).path("status").asText(), endedA.toString());
            assertTrue(version(api, v2).path("statusReason").asText().contains("rollout.shadow.max"),
                    version(api, v2).toString());
            assertTrue(meter(node.get("/metrics").body(), "aiot_inference_shadow_false_failures_total") >= 50,
                    "the candidate's FAILURE calls on OK motors were counted");
            assertFalse(node.log().contains("Simulated actuator"), "no command from a shadow model");

            // (b) forced canary of motor-001: it alone is commanded, by v3; the bound trips; back on v1
            int v3 = upload(api, always(12f), null);
            JsonNode b = startRollout(api,
                    "{\"version\": " + v3 + ", \"force\": true, \"devices\": [\"motor-001\"]}");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> node.log().contains("aiot/v1/things/motor-001/control received"));
            JsonNode endedB = awaitStage(api, b, Set.of("rolled-back"), 60);
            assertEquals("rollout-controller", endedB.path("decidedBy").asText(), endedB.toString());
            assertTrue(endedB.path("reason").asText().contains("rollout.canary.maxAlertRateFactor"), endedB.toString());
            assertEquals("rejected", version(api, v3).path("status").asText());
            // the rollback is in the alert history (the console's Alerts view), about no device, open
            JsonNode rolledBack = null;
            for (JsonNode al : api.get("/api/v1/alerts?acked=false&limit=500", api.admin()).json().path("alerts")) {
                if (b.path("id").asText().equals(al.path("rolloutId").asText())
                        && "rollout-rolled-back".equals(al.path("type").asText())) {
                    assertNull(rolledBack, "stored once");
                    rolledBack = al;
                }
            }
            assertNotNull(rolledBack, "the rollback alert of " + b.path("id").asText());
            assertTrue(rolledBack.path("deviceId").isNull(), rolledBack.toString());
            assertEquals(List.of(MODEL, String.valueOf(v3), endedB.path("reason").asText()), List.of(rolledBack.path(
                    "modelName").asText(), rolledBack.path("modelVersion").asText(), rolledBack.path("reason")
                            .asText()));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> api.get("/api/v1/conditions/motor-001", api.admin()).json().path("modelVersion")
                            .asInt() == v1);
            Map<String, Integer> commanded = commands(node.log(), b.path("id").asText());
            assertEquals(Set.of("motor-001"), commanded.keySet(), "only the canary motor: " + commanded);

            // (c) a good candidate: shadow holds, canary holds, the fleet moves to v4
            int v4 = upload(api, always(-10f), null);
            JsonNode c = startRollout(api, "{\"version\": " + v4 + ", \"devices\": [\"motor-002\"]}");
            JsonNode endedC = awaitStage(api, c, Set.of("completed"), 120);
            assertEquals(v4, api.get("/api/v1/models/" + MODEL + "/versions/champion", api.admin()).json()
                    .path("version").asInt(), endedC.toString());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> api.get("/api/v1/conditions", api.admin()).json().path("model").path("version")
                            .asInt() == v4);
            assertTrue(endedC.path("perVersion").has(String.valueOf(v4)), endedC.toString());
            assertEquals(Set.of("motor-001"), commands(node.log(), null).keySet(), "no healthy motor was commanded");
            assertEquals(0, node.terminate(Duration.ofSeconds(30)), node.log());
        }
    }

    /** A one-layer model over current_rms whose score is sigmoid(bias) on every window. */
    private static byte[] always(float bias) {
        return TfliteExporter.floatModel(
                new DenseNet(List.of(new DenseNet.Layer(new float[1][1], new float[] {bias}, false))), "always");
    }

    /** Uploads a version; its number. */
    private static int upload(Api api, byte[] model, String alias) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("file", model);
        parts.put("metadata", "{\"inputSchema\":{\"features\":[\"current_rms\"]}}");
        Api.Res r = api.postMultipart(
                "/api/v1/models/" + MODEL + "/versions" + (alias == null ? "" : "?alias=" + alias),
                api.admin(), parts);
        assertEquals(201, r.status(), r.text());
        return r.json().path("version").asInt();
    }

    private static JsonNode startRollout(Api api, String body) {
        Api.Res r = api.postJson("/api/v1/models/" + MODEL + "/rollouts", api.admin(), body);
        assertEquals(201, r.status(), r.text());
        return r.json();
    }

    private static JsonNode version(Api api, int v) {
        return api.get("/api/v1/models/" + MODEL + "/versions/" + v, api.admin()).json();
    }

    private static JsonNode awaitStage(Api api, JsonNode rollout, Set<String> stages, int seconds) {
        String path = "/api/v1/models/" + MODEL + "/rollouts/" + rollout.path("id").asText();
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> stages.contains(api.get(path, api.admin()).json().path("stage").asText()));
        return api.get(path, api.admin()).json();
    }

    /** The value of an unlabelled Prometheus counter, or -1. */
    private static double meter(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** Servo commands per motor in the node's log; with {@code rolloutId}, only those carrying it. */
    private static Map<String, Integer> commands(String log, String rolloutId) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Matcher m = ACTUATOR.matcher(log);
        while (m.find()) {
            if (rolloutId == null || m.group(2).contains("\"rolloutId\":\"" + rolloutId + "\"")) {
                out.merge(m.group(1), 1, Integer::sum);
            }
        }
        return out;
    }
}
