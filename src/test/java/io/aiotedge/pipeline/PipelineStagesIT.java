package io.aiotedge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.support.Api;
import io.aiotedge.support.NodeProcess;
import io.aiotedge.support.PlatformNode;
import io.aiotedge.support.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each stage as its own process, the way an Argo workflow runs them as steps
 * ({@code aiot-edge pipeline run --stage NAME --work-dir DIR}), against a running platform: the
 * chain of eight ships a champion; the files between steps are where the docs say; a stage whose
 * inputs are missing fails naming them; the drift step's output parameter says false when a
 * second chain finds nothing new.
 */
class PipelineStagesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    @TempDir
    Path work;
    @TempDir
    Path other;

    @Test
    void theEightStagesAsSeparateProcesses_shipAChampion_andPassFilesBetweenThem() throws Exception {
        try (PlatformNode node = new PlatformNode(dir, "kafka.mode=off", "pipeline.minRows=100")) {
            Api api = node.api();
            PipelineIT.upload(api, PipelineIT.csv(600, 1, 0));

            Proc.Result early = stage(api, other, "train");
            assertEquals(1, early.exitCode(), early.stdout());
            assertTrue(early.stdout().contains("missing input") && early.stdout().contains("run.json"), early.stdout());

            for (String s : StageRunner.STAGES) {
                Proc.Result r = stage(api, work, s);
                assertEquals(0, r.exitCode(), s + ": " + r.stdout() + r.stderr());
                JsonNode rec = JSON.readTree(work.resolve("stage-" + s + ".json").toFile());
                assertEquals("succeeded", rec.get("status").asText(), rec.toString());
            }
            for (String f : List.of("run.json", "dataset.json", "extract.json", "drifted", "trained.json",
                    "model-int8.tflite", "quantize.json", "metrics.json", "champion.json", "registered.json",
                    "promote.json")) {
                assertTrue(Files.exists(work.resolve(f)), f);
            }
            assertEquals("true", Files.readString(work.resolve("drifted")));
            assertTrue(JSON.readTree(work.resolve("metrics.json").toFile()).get("accuracy").asDouble() >= 0.95);
            JsonNode champion = api.get("/api/v1/models/motor-condition/versions/champion", api.admin()).json();
            assertEquals(1, champion.get("version").asInt());
            assertEquals("stage", champion.get("lineage").get("trigger").asText());
            assertTrue(champion.get("lineage").has("reference"), "the next drift check has its reference");

            Files.writeString(work.resolve("trained.json"), "{\"layers\": [tru");
            Proc.Result corrupt = stage(api, work, "quantize");
            assertEquals(1, corrupt.exitCode(), corrupt.stdout());
            assertTrue(corrupt.stdout().contains("failed"), corrupt.stdout());
            assertEquals("failed", JSON.readTree(work.resolve("stage-quantize.json").toFile()).get("status").asText());

            Proc.Result extract = stage(api, other, "extract");
            assertEquals(0, extract.exitCode(), extract.stdout());
            Proc.Result drift = stage(api, other, "drift");
            assertEquals(0, drift.exitCode(), "no drift is not a failure: " + drift.stdout());
            assertTrue(drift.stdout().contains("skipped"), drift.stdout());
            assertEquals("false", Files.readString(other.resolve("drifted")));
        }
    }

    @Test
    void anUnknownStage_isAUsageError() throws Exception {
        Proc.Result r = NodeProcess.run(60, "pipeline", "run", "--stage", "deploy", "--work-dir", work.toString(),
                "--url", "http://127.0.0.1:9");
        assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("--stage must be one of"), r.stderr());
    }

    private Proc.Result stage(Api api, Path dir, String name) throws Exception {
        List<String> args = new ArrayList<>(List.of("pipeline", "run", "--stage", name, "--work-dir", dir.toString(),
                "--url", api.base(), "--token", api.admin(), "--set", "pipeline.minRows=100"));
        return NodeProcess.run(120, args.toArray(new String[0]));
    }
}
