package io.aiotedge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.config.PipelineConfig;
import io.aiotedge.mlops.Dataset;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.QuantParams;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;

/**
 * Runs one pipeline stage on its own, the way an Argo workflow runs each as a step: its inputs
 * are files an earlier stage wrote into a work directory (an Argo artifact), its outputs go there
 * too, and the platform is reached through {@link PlatformAccess}. Files: {@code run.json} (run
 * id, the split seed), {@code dataset.json} and {@code extract.json} (extract), {@code drifted}
 * ({@code true}/{@code false}, an Argo output parameter), {@code trained.json} (train),
 * {@code model-int8.tflite} and {@code quantize.json} (quantize), {@code metrics.json} and
 * {@code champion.json} (evaluate), {@code registered.json} (register), {@code promote.json};
 * every stage also writes {@code stage-<name>.json}, its record. Written atomically.
 */
public final class StageRunner {
    public static final List<String> STAGES = RunExecution.STAGES;
    private static final Json JSON = Json.mapper();

    /** A trained network as {@code trained.json} holds it. */
    record TrainedFile(List<DenseNet.Layer> layers, float[] mean, float[] std, double finalLoss) {
        DenseNet net() {
            return new DenseNet(layers, mean, std);
        }
    }

    private final PipelineConfig config;
    private final PlatformAccess platform;
    private final Path work;
    private final Clock clock;

    public StageRunner(PipelineConfig config, PlatformAccess platform, Path work, Clock clock) {
        this.config = config;
        this.platform = platform;
        this.work = work;
        this.clock = clock;
    }

    /** Runs {@code stage}; the record's status is succeeded, skipped (nothing to do) or failed. */
    public StageRecord run(String stage, boolean force) throws IOException {
        if (!STAGES.contains(stage)) {
            throw new IllegalArgumentException("unknown stage '" + stage + "'; stages: " + STAGES);
        }
        Files.createDirectories(work);
        StageRecord rec = new StageRecord(stage);
        rec.status = StageStatus.RUNNING;
        rec.startedAt = clock.millis();
        try {
            execute(stage, rec, force);
            rec.status = StageStatus.SUCCEEDED;
        } catch (Stages.Stop s) {
            rec.status = s.status;
            rec.log.add(s.getMessage());
        } catch (NoSuchFileException e) {
            rec.status = StageStatus.FAILED;
            rec.log.add("missing input " + e.getFile() + ": run the earlier stages into " + work + " first");
        } catch (Exception e) {
            rec.status = StageStatus.FAILED;
            rec.log.add(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        rec.finishedAt = clock.millis();
        write("stage-" + stage + ".json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(rec));
        return rec;
    }

    private void execute(String stage, StageRecord rec, boolean force) throws Exception {
        if (stage.equals("extract")) {
            long runId = clock.millis();
            writeJson("run.json", JSON.createObjectNode().put("runId", runId).put("trigger", "stage"));
            Extract.Result r = stages(runId).extract(rec, clock.millis() + 1);
            writeJson("dataset.json", r.data());
            writeJson("extract.json", JSON.createObjectNode().put("from", r.from()).put("to", r.to())
                    .put("scanned", r.scanned()).put("unlabelled", r.unlabelled()).put("otherSchema", r.otherSchema())
                    .set("trainingSet", r.trainingSet()));
            return;
        }
        Stages s = stages(read("run.json").get("runId").asLong());
        Dataset data = JSON.readValue(work.resolve("dataset.json").toFile(), Dataset.class);
        switch (stage) {
            case "validate" -> s.validate(rec, data);
            case "drift" -> drift(s, rec, data, force);
            case "train" -> {
                Stages.Trained r = s.train(rec, s.split(data)[0]);
                writeJson("trained.json", new TrainedFile(r.net().layers(), r.net().mean(), r.net().std(),
                        r.finalLoss()));
            }
            case "quantize" -> {
                TfliteExporter.Int8Model q = s.quantize(rec, trained().net(), s.split(data)[0]);
                write("model-int8.tflite", q.tflite());
                writeJson("quantize.json", q.input());
            }
            case "evaluate" -> {
                PlatformAccess.Champion c = s.champion();
                writeJson("metrics.json", s.evaluate(rec, trained().net(), model(), s.split(data)[1], c));
                writeJson("champion.json", c == null ? JSON.createObjectNode().putNull("version")
                        : JSON.createObjectNode().put("version", c.version()).put("recordedAccuracy",
                                c.recordedAccuracy()));
            }
            case "register" -> {
                JsonNode ex = read("extract.json");
                ObjectNode meta = s.metadata(JSON.treeToValue(read("quantize.json"), QuantParams.class),
                        trained().net(),
                        (ObjectNode) read("metrics.json"), ex.get("from").asLong(), ex.get("to").asLong(), data,
                        ex.get("trainingSet"));
                PlatformAccess.Registered v = s.register(rec, model(), meta);
                writeJson("registered.json", v);
            }
            default -> {
                JsonNode c = read("champion.json");
                PlatformAccess.Champion champion = c.get("version").isNull() ? null
                        : new PlatformAccess.Champion(c.get("version").asInt(), null, null,
                                c.get("recordedAccuracy").asDouble(), null);
                String outcome = s.promote(rec, read("registered.json").get("version").asInt(), champion,
                        read("metrics.json"));
                writeJson("promote.json", JSON.createObjectNode().put("outcome", outcome));
            }
        }
    }

    private void drift(Stages s, StageRecord rec, Dataset data, boolean force) throws Exception {
        try {
            boolean drifted = s.drift(rec, s.champion(), data, force);
            write("drifted",
                    (drifted || force ? "true" : "false").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (Stages.Stop stop) {
            if (stop.status == StageStatus.SKIPPED) {
                write("drifted", "false".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            throw stop;
        }
    }

    private Stages stages(long runId) {
        return new Stages(config, platform, runId, "stage");
    }

    private TrainedFile trained() throws IOException {
        return JSON.readValue(work.resolve("trained.json").toFile(), TrainedFile.class);
    }

    private byte[] model() throws IOException {
        return Files.readAllBytes(work.resolve("model-int8.tflite"));
    }

    private JsonNode read(String name) throws IOException {
        return JSON.readTree(Files.readAllBytes(work.resolve(name)));
    }

    private void writeJson(String name, Object value) throws IOException {
        write(name, JSON.writeValueAsBytes(value));
    }

    private void write(String name, byte[] bytes) throws IOException {
        Path tmp = work.resolve(name + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, work.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
