package io.aiotedge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.config.PipelineConfig;
import io.aiotedge.core.Rejection;
import io.aiotedge.datastore.FeatureStore;
import io.aiotedge.inference.Backend;
import io.aiotedge.inference.Inference;
import io.aiotedge.mlops.Dataset;
import io.aiotedge.mlops.DriftReference;
import io.aiotedge.mlops.DriftReport;
import io.aiotedge.mlops.Evaluation;
import io.aiotedge.mlops.LogisticTrainer;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.models.ModelMetadata;
import io.aiotedge.models.ModelRegistry;
import io.aiotedge.models.ModelVersion;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One run: extract -> validate -> drift -> train -> quantize -> evaluate -> register -> promote.
 * Each stage's status, timing, metrics and log are published through {@link #publish} as it
 * goes. A stage that finds nothing to do ends the run as skipped (no drift on a scheduled check);
 * a failing stage ends it as failed with the reason. Runs on the pipeline's one thread. Eight
 * short stage methods in run order, so the whole run reads top to bottom in one file.
 */
final class RunExecution {
    static final List<String> STAGES = List.of("extract", "validate", "drift", "train", "quantize", "evaluate",
            "register", "promote");
    private static final ObjectMapper JSON = new ObjectMapper();

    interface Publisher {
        void publish(String status, List<StageRecord> stages, Integer version, String outcome, boolean finished);
    }

    /** Ends the run early: skipped (nothing to do) or failed. */
    private static final class Stop extends Exception {
        final String status;

        Stop(String status, String why) {
            super(why);
            this.status = status;
        }
    }

    private final long runId;
    private final String trigger;
    private final boolean force;
    private final PipelineConfig config;
    private final FeatureStore store;
    private final ModelRegistry models;
    private final Clock clock;
    private final Publisher publisher;
    private final List<StageRecord> stages = new ArrayList<>();
    private StageRecord current;

    RunExecution(long runId, String trigger, boolean force, PipelineConfig config, FeatureStore store,
                 ModelRegistry models, Clock clock, Publisher publisher) {
        this.runId = runId;
        this.trigger = trigger;
        this.force = force;
        this.config = config;
        this.store = store;
        this.models = models;
        this.clock = clock;
        this.publisher = publisher;
        STAGES.forEach(s -> stages.add(new StageRecord(s)));
    }

    static List<StageRecord> pendingStages() {
        List<StageRecord> out = new ArrayList<>();
        STAGES.forEach(s -> out.add(new StageRecord(s)));
        return out;
    }

    void run() {
        Integer version = null;
        try {
            long to = clock.millis() + 1;
            Extract.Result ex = stage("extract", () -> {
                Extract.Result r = Extract.run(store, to - config.windowHours() * 3_600_000L, to);
                metric("rows", r.data().size());
                metric("scanned", r.scanned());
                metric("unlabelled", r.unlabelled());
                metric("otherSchema", r.otherSchema());
                metric("features", r.data().features().size());
                return r;
            });
            Dataset data = ex.data();
            stage("validate", () -> validate(data));
            ModelVersion champion = champion();
            stage("drift", () -> drift(champion, data));
            Dataset[] split = split(data);
            LogisticTrainer.Result trained = stage("train", () -> {
                LogisticTrainer.Result r = new LogisticTrainer().train(split[0], (e, loss) ->
                        log("epoch " + e + " loss " + String.format("%.5f", loss)));
                metric("trainRows", split[0].size());
                metric("finalLoss", r.finalLoss());
                return r;
            });
            TfliteExporter.Int8Model q = stage("quantize", () -> {
                List<float[]> cal = new ArrayList<>();
                for (int i = 0; i < Math.min(1000, split[0].size()); i++) {
                    cal.add(Dataset.floats(split[0].x()[i]));
                }
                TfliteExporter.Int8Model m = TfliteExporter.int8Model(trained.net(), cal, "aiot-edge pipeline run " + runId);
                metric("bytes", m.tflite().length);
                metric("calibrationRows", cal.size());
                metric("inputScale", m.input().scale());
                metric("inputZeroPoint", m.input().zeroPoint());
                return m;
            });
            ObjectNode metrics = stage("evaluate", () -> evaluate(trained, q, split[1], champion));
            ModelVersion registered = stage("register", () -> register(q, trained, metrics, ex, data));
            version = registered.version();
            Integer v = version;
            String outcome = stage("promote", () -> promote(registered, champion, metrics));
            publisher.publish("succeeded", stages, v, outcome, true);
        } catch (Stop s) {
            publisher.publish(s.status, stages, version, s.getMessage(), true);
        } catch (RuntimeException e) {
            publisher.publish("failed", stages, version, "unexpected: " + e, true);
        }
    }

    private interface Body<T> {
        T run() throws Exception;
    }

    private <T> T stage(String name, Body<T> body) throws Stop {
        current = stages.get(STAGES.indexOf(name));
        current.status = "running";
        current.startedAt = clock.millis();
        publisher.publish("running", stages, null, "stage " + name, false);
        try {
            T out = body.run();
            current.status = "succeeded";
            return out;
        } catch (Stop s) {
            current.status = s.status;
            log(s.getMessage());
            throw s;
        } catch (Exception e) {
            current.status = "failed";
            log(e.getMessage() == null ? e.toString() : e.getMessage());
            throw new Stop("failed", name + " failed: " + (e.getMessage() == null ? e : e.getMessage()));
        } finally {
            current.finishedAt = clock.millis();
        }
    }

    private Void validate(Dataset d) throws Stop {
        int faulty = 0;
        for (int y : d.y()) {
            faulty += y;
        }
        int healthy = d.size() - faulty;
        metric("healthy", healthy);
        metric("faulty", faulty);
        for (double[] row : d.x()) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new Stop("failed", "a row holds a non-finite value");
                }
            }
        }
        if (d.size() < config.minRows()) {
            throw new Stop("failed", d.size() + " labelled rows, fewer than pipeline.minRows " + config.minRows());
        }
        if (healthy < config.minRowsPerClass() || faulty < config.minRowsPerClass()) {
            throw new Stop("failed", healthy + " healthy and " + faulty + " faulty rows; pipeline.minRowsPerClass is "
                    + config.minRowsPerClass());
        }
        return null;
    }

    private ModelVersion champion() {
        try {
            return models.resolve(config.modelName(), "champion");
        } catch (Rejection e) {
            return null;
        }
    }

    private Void drift(ModelVersion champion, Dataset d) throws Stop {
        JsonNode ref = champion == null ? null : champion.lineage().get("reference");
        if (ref == null || ref.isNull()) {
            log(champion == null ? "no champion yet: training the first model" : "the champion has no drift reference");
            metric("drifted", true);
            return null;
        }
        DriftReference reference;
        try {
            reference = JSON.treeToValue(ref, DriftReference.class);
        } catch (Exception e) {
            throw new Stop("failed", "the champion's drift reference is unreadable: " + e.getMessage());
        }
        if (!reference.features().equals(d.features())) {
            log("the feature schema changed since the champion was trained");
            metric("drifted", true);
            return null;
        }
        DriftReport r = DriftReport.compare(reference, d);
        boolean drifted = r.drifted(config.driftPsi(), config.driftKs());
        metric("maxPsi", r.maxPsi());
        metric("maxKs", r.maxKs());
        metric("worstFeature", r.worstFeature());
        metric("drifted", drifted);
        if (!drifted && !force) {
            throw new Stop("skipped", String.format("no drift (max PSI %.3f <= %.2f, max KS %.3f <= %.2f)", r.maxPsi(),
                    config.driftPsi(), r.maxKs(), config.driftKs()));
        }
        log(drifted ? "drift on " + r.worstFeature() : "no drift, retraining because the run was forced");
        return null;
    }

    private Dataset[] split(Dataset d) {
        int n = d.size();
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        java.util.Collections.shuffle(java.util.Arrays.asList(idx), new Random(runId));
        int hold = (int) Math.max(1, Math.round(n * config.holdoutFraction()));
        double[][] trX = new double[n - hold][];
        int[] trY = new int[n - hold];
        double[][] hoX = new double[hold][];
        int[] hoY = new int[hold];
        for (int i = 0; i < n; i++) {
            if (i < hold) {
                hoX[i] = d.x()[idx[i]];
                hoY[i] = d.y()[idx[i]];
            } else {
                trX[i - hold] = d.x()[idx[i]];
                trY[i - hold] = d.y()[idx[i]];
            }
        }
        return new Dataset[] {new Dataset(d.features(), trX, trY), new Dataset(d.features(), hoX, hoY)};
    }

    private ObjectNode evaluate(LogisticTrainer.Result trained, TfliteExporter.Int8Model q, Dataset holdout,
                                ModelVersion champion) throws Exception {
        Evaluation fl = Evaluation.of(holdout, x -> (double) trained.net().predict(Dataset.floats(x))[0]);
        ObjectNode m = JSON.createObjectNode();
        try (Inference runtime = Backend.AUTO.open(q.tflite())) {
            Evaluation i8 = Evaluation.of(holdout, x -> (double) runtime.predict(Dataset.floats(x))[0]);
            int agree = 0;
            for (double[] x : holdout.x()) {
                float[] in = Dataset.floats(x);
                agree += runtime.predict(in)[0] >= 0.5 == trained.net().predict(in)[0] >= 0.5 ? 1 : 0;
            }
            m.put("accuracy", i8.accuracy());
            m.put("precision", i8.precision());
            m.put("recall", i8.recall());
            m.put("rocAuc", i8.rocAuc());
            m.put("floatAccuracy", fl.accuracy());
            m.put("int8Agreement", agree / (double) holdout.size());
            m.put("holdoutRows", holdout.size());
            m.put("runtime", runtime.backend());
        }
        Double championNow = championOn(champion, holdout);
        if (championNow != null) {
            m.put("championAccuracyNow", championNow); // the champion on today's holdout, the fair comparison
        }
        m.fields().forEachRemaining(e -> metric(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble()
                : e.getValue().asText()));
        return m;
    }

    /** The champion's accuracy on this run's holdout, or null when it cannot score these features. */
    private Double championOn(ModelVersion champion, Dataset holdout) {
        if (champion == null || !champion.inputSchema().path("features").toString()
                .equals(JSON.valueToTree(holdout.features()).toString())) {
            return null;
        }
        try (Inference old = Backend.AUTO.open(java.nio.file.Files.readAllBytes(models.content(champion)))) {
            return Evaluation.of(holdout, x -> (double) old.predict(Dataset.floats(x))[0]).accuracy();
        } catch (Exception e) {
            log("the champion could not be scored on this holdout: " + e.getMessage());
            return null;
        }
    }

    private ModelVersion register(TfliteExporter.Int8Model q, LogisticTrainer.Result trained, ObjectNode metrics,
                                  Extract.Result ex, Dataset data) throws Exception {
        ObjectNode meta = JSON.createObjectNode();
        meta.set("inputSchema", JSON.createObjectNode().set("features", JSON.valueToTree(data.features())));
        ObjectNode quant = JSON.createObjectNode().put("type", "int8").put("inputScale", q.input().scale())
                .put("inputZeroPoint", q.input().zeroPoint()).put("outputScale", 1.0 / 256).put("outputZeroPoint", -128);
        ObjectNode standard = JSON.createObjectNode();
        standard.set("mean", JSON.valueToTree(trained.net().mean()));
        standard.set("std", JSON.valueToTree(trained.net().std()));
        quant.set("standardisation", standard);
        meta.set("quantization", quant);
        meta.set("metrics", metrics);
        ObjectNode lineage = JSON.createObjectNode().put("pipelineRun", runId).put("trigger", trigger)
                .put("dataFrom", ex.from()).put("dataTo", ex.to()).put("rows", data.size())
                .put("trainer", "logistic-l2");
        lineage.set("reference", JSON.valueToTree(DriftReference.of(data)));
        meta.set("lineage", lineage);
        meta.set("tags", JSON.createObjectNode().put("source", "pipeline"));
        ModelVersion v = models.register(config.modelName(), new ByteArrayInputStream(q.tflite()),
                ModelMetadata.fromJson(meta), "pipeline");
        metric("version", v.version());
        metric("sha256", v.sha256());
        return v;
    }

    private String promote(ModelVersion v, ModelVersion champion, ObjectNode metrics) throws Exception {
        double acc = metrics.get("accuracy").asDouble();
        // compare on this run's holdout when the champion could be scored there, else on its own record
        double championAcc = champion == null ? -1 : metrics.has("championAccuracyNow")
                ? metrics.get("championAccuracyNow").asDouble() : champion.metrics().path("accuracy").asDouble(-1);
        metric("accuracy", acc);
        metric("championAccuracy", championAcc);
        String why;
        String alias;
        if (acc < config.minAccuracy()) {
            alias = "candidate";
            why = String.format("accuracy %.4f below pipeline.minAccuracy %.2f", acc, config.minAccuracy());
        } else if (champion != null && acc < championAcc + config.promoteMargin()) {
            alias = "candidate";
            why = String.format("accuracy %.4f does not beat the champion's %.4f (same holdout) by %.3f", acc, championAcc,
                    config.promoteMargin());
        } else {
            alias = "champion";
            why = champion == null ? String.format("first champion, accuracy %.4f", acc)
                    : String.format("accuracy %.4f beats the champion's %.4f on the same holdout", acc, championAcc);
        }
        models.setAlias(config.modelName(), alias, v.version(), "pipeline", "run " + runId + ": " + why)
                .get(30, TimeUnit.SECONDS);
        metric("alias", alias);
        log(why);
        return config.modelName() + " v" + v.version() + " is " + alias + ": " + why;
    }

    private void metric(String name, Object value) {
        current.metrics.put(name, value);
    }

    private void log(String line) {
        current.log.add(line);
    }

}
