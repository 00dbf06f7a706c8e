package io.aiotedge.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.support.Api;
import io.aiotedge.support.PlatformNode;
import io.aiotedge.support.PostgresServer;
import io.aiotedge.tflite.Backend;
import io.aiotedge.tflite.Inference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pipeline on a real platform node: labelled rows in the datastore (through the reference
 * CSV upload), a run that trains, quantizes, evaluates on the TFLite runtime, registers and
 * promotes the first champion; a second run over the same data finds no drift; after the motors
 * change regime, a run detects drift and ships the next model.
 */
class PipelineIT {
    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();

    @TempDir
    Path dir;

    /** Readings: faulty motors draw more current and vibrate more; {@code shift} moves the regime. */
    static byte[] csv(int rows, long seed, double shift) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("deviceID,timeStamp,current,temperature,vibration,sound,label\n");
        long now = System.currentTimeMillis();
        for (int i = 0; i < rows; i++) {
            boolean faulty = i % 2 == 1;
            double current = 2.0 + shift + (faulty ? 0.8 : 0) + 0.25 * r.nextGaussian();
            double temp = 40 + 3 * shift + (faulty ? 6 : 0) + 2 * r.nextGaussian();
            double vib = 0.2 + (faulty ? 0.25 : 0) + 0.06 * r.nextGaussian();
            double sound = 55 + 10 * shift + 3 * r.nextGaussian();
            b.append("m-").append(i % 8).append(',').append(now - 60_000 + i).append(',').append(current).append(',')
                    .append(temp).append(',').append(vib).append(',').append(sound).append(',')
                    .append(faulty ? "bearing-wear" : "healthy").append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void upload(Api api, byte[] csv) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("file", new Api.NamedFile("rows.csv", csv));
        Api.Res r = api.postMultipart("/upload", api.admin(), parts);
        assertEquals(200, r.status(), r.text());
    }

    static JsonNode runToEnd(Api api, String body) {
        Api.Res started = api.postJson("/api/v1/pipeline/runs", api.admin(), body);
        assertEquals(202, started.status(), started.text());
        long id = started.json().get("id").asLong();
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            last[0] = api.get("/api/v1/pipeline/runs/" + id, api.admin()).json();
            String s = last[0].get("status").asText();
            return !s.equals("queued") && !s.equals("running");
        });
        return last[0];
    }

    static JsonNode stage(JsonNode run, String name) {
        for (JsonNode s : run.get("stages")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no stage " + name + " in " + run);
    }

    /** On both databases: the datastore extract, the run records and the registry all go through SQL. */
    @ParameterizedTest
    @EnumSource(io.aiotedge.support.Backend.class)
    void firstRunShipsAChampion_sameDataIsNoDrift_aRegimeChangeRetrainsAndShipsTheNext(
            io.aiotedge.support.Backend database) throws Exception {
        String[] sets = Stream.concat(Stream.of("kafka.mode=off", "pipeline.minRows=100"),
                Stream.of(database.sets(PG))).toArray(String[]::new);
        try (PlatformNode node = new PlatformNode(dir, sets)) {
            Api api = node.api();
            JsonNode tooFew = runToEnd(api, "");
            assertEquals("failed", tooFew.get("status").asText());
            assertTrue(tooFew.get("outcome").asText().contains("pipeline.minRows"), tooFew.toString());

            upload(api, csv(600, 1, 0));
            JsonNode first = runToEnd(api, "");
            assertEquals("succeeded", first.get("status").asText(), first.toString());
            assertEquals(1, first.get("modelVersion").asInt());
            JsonNode eval = stage(first, "evaluate").get("metrics");
            assertTrue(eval.get("accuracy").asDouble() >= 0.95, eval.toString());
            assertTrue(eval.get("int8Agreement").asDouble() >= 0.97, eval.toString());
            assertEquals("tflite", eval.get("runtime").asText());
            assertEquals("champion", stage(first, "promote").get("metrics").get("alias").asText());
            for (JsonNode s : first.get("stages")) {
                assertEquals("succeeded", s.get("status").asText(), s.toString());
                assertTrue(s.get("finishedAt").asLong() >= s.get("startedAt").asLong());
            }

            JsonNode v1 = api.get("/api/v1/models/motor-condition/versions/champion", api.admin()).json();
            assertEquals(first.get("id").asLong(), v1.get("lineage").get("pipelineRun").asLong());
            assertEquals("[\"current\",\"temperature\",\"vibration\",\"sound\"]",
                    v1.get("inputSchema").get("features").toString());
            byte[] model = api.get("/api/v1/models/motor-condition/versions/1/download", api.admin()).body();
            try (Inference m = Backend.TFLITE.open(model)) {
                assertTrue(m.predict(new float[] {2.0f, 40f, 0.2f, 55f})[0] < 0.5, "a healthy reading");
                assertTrue(m.predict(new float[] {2.8f, 46f, 0.45f, 55f})[0] > 0.5, "a faulty reading");
            }

            JsonNode again = runToEnd(api, "");
            assertEquals("skipped", again.get("status").asText(), again.toString());
            assertTrue(again.get("outcome").asText().startsWith("no drift"), again.toString());

            upload(api, csv(1500, 2, 1.5)); // the motors change regime
            JsonNode drifted = runToEnd(api, "");
            assertEquals("succeeded", drifted.get("status").asText(), drifted.toString());
            assertTrue(stage(drifted, "drift").get("metrics").get("drifted").asBoolean());
            JsonNode driftMetrics = stage(drifted, "drift").get("metrics");
            assertEquals(4, driftMetrics.get("psi").size(), "PSI per feature: " + driftMetrics);
            assertEquals(4, driftMetrics.get("ks").size(), "KS per feature: " + driftMetrics);
            assertTrue(driftMetrics.get("psiThreshold").isNumber() && driftMetrics.get("ksThreshold").isNumber());
            assertEquals(driftMetrics.get("maxPsi").asDouble(), java.util.stream.StreamSupport
                    .stream(driftMetrics.get("psi").spliterator(), false).mapToDouble(JsonNode::asDouble).max()
                    .orElseThrow(), 1e-12);
            assertEquals(2, drifted.get("modelVersion").asInt());
            assertNotNull(api.get("/api/v1/pipeline/runs", api.admin()).json().get("runs").get(3));
        }
    }

    @Test
    void theMlpTrainer_shipsAnInt8Mlp_thatBothBackendsScoreAlike() throws Exception {
        try (PlatformNode node = new PlatformNode(dir, "kafka.mode=off", "pipeline.minRows=100",
                "pipeline.trainer=mlp", "pipeline.hiddenLayers=[50, 40]")) {
            Api api = node.api();
            upload(api, csv(600, 3, 0));
            JsonNode run = runToEnd(api, "");
            assertEquals("succeeded", run.get("status").asText(), run.toString());
            assertEquals("mlp-50-40", stage(run, "train").get("metrics").get("trainer").asText());
            JsonNode eval = stage(run, "evaluate").get("metrics");
            assertTrue(eval.get("accuracy").asDouble() >= 0.95, eval.toString());
            JsonNode v1 = api.get("/api/v1/models/motor-condition/versions/1", api.admin()).json();
            assertEquals("mlp-50-40", v1.get("lineage").get("trainer").asText());
            byte[] model = api.get("/api/v1/models/motor-condition/versions/1/download", api.admin()).body();
            try (Inference t = Backend.TFLITE.open(model); Inference j = Backend.JAVA.open(model)) {
                for (float[] x : new float[][] {{2.0f, 40f, 0.2f, 55f}, {2.8f, 46f, 0.45f, 55f},
                        {2.4f, 43f, 0.3f, 60f}}) {
                    assertEquals(t.predict(x)[0], j.predict(x)[0], 1f / 256 + 1e-6);
                }
                assertTrue(t.predict(new float[] {2.0f, 40f, 0.2f, 55f})[0] < 0.5, "a healthy reading");
                assertTrue(t.predict(new float[] {2.8f, 46f, 0.45f, 55f})[0] > 0.5, "a faulty reading");
            }
        }
    }

    @Test
    void pipelineEndpoints_needTheAdminToken_andNameBadInput() throws Exception {
        try (PlatformNode node = new PlatformNode(dir, "kafka.mode=off")) {
            Api api = node.api();
            assertEquals(401, api.postJson("/api/v1/pipeline/runs", null, "").status());
            assertEquals(403, api.get("/api/v1/pipeline/runs", "x".repeat(20)).status());
            assertTrue(api.postJson("/api/v1/pipeline/runs", api.admin(), "{\"force\":\"yes\"}").json().get("message")
                    .asText().startsWith("force"));
            assertEquals(404, api.get("/api/v1/pipeline/runs/999", api.admin()).status());
            assertEquals(400, api.get("/api/v1/pipeline/runs/abc", api.admin()).status());
        }
    }
}
