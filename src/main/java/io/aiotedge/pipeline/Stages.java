package io.aiotedge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.config.PipelineConfig;
import io.aiotedge.mlops.Dataset;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.DriftReference;
import io.aiotedge.mlops.DriftReport;
import io.aiotedge.mlops.Evaluation;
import io.aiotedge.mlops.LogisticTrainer;
import io.aiotedge.mlops.MlpTrainer;
import io.aiotedge.mlops.QuantParams;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.tflite.Backend;
import io.aiotedge.tflite.Inference;
import io.aiotedge.wire.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The work of each pipeline stage, with its inputs and outputs explicit so that a stage can run
 * inside a platform run ({@link RunExecution}) or on its own over files ({@link StageRunner}).
 * Each writes its metrics and log lines into the {@link StageRecord} given; {@link Stop} ends the
 * run as skipped (nothing to do) or failed.
 */
final class Stages {
    private static final Json JSON = Json.mapper();

    /** Ends the run early: {@code skipped} (nothing to do) or {@code failed}. */
    static final class Stop extends Exception {
        final StageStatus status;

        Stop(StageStatus status, String why) {
            super(why);
            this.status = status;
        }

        /** How the run ends: skipped when the stage was, else failed. */
        RunStatus runStatus() {
            return status == StageStatus.SKIPPED ? RunStatus.SKIPPED : RunStatus.FAILED;
        }
    }

    private final PipelineConfig config;
    private final PlatformAccess platform;
    private final long runId;
    private final String trigger;

    Stages(PipelineConfig config, PlatformAccess platform, long runId, String trigger) {
        this.config = config;
        this.platform = platform;
        this.runId = runId;
        this.trigger = trigger;
    }

    Extract.Result extract(StageRecord rec, long to) throws Exception {
        Extract.Result r = Extract.run(platform, to - config.windowHours() * 3_600_000L, to);
        rec.metrics.put("rows", r.data().size());
        rec.metrics.put("scanned", r.scanned());
        rec.metrics.put("unlabelled", r.unlabelled());
        rec.metrics.put("otherSchema", r.otherSchema());
        rec.metrics.put("features", r.data().features().size());
        rec.metrics.put("trainingSetSha256", r.trainingSet().get("sha256").asText());
        return r;
    }

    void validate(StageRecord rec, Dataset d) throws Stop {
        int faulty = 0;
        for (int y : d.y()) {
            faulty += y;
        }
        int healthy = d.size() - faulty;
        rec.metrics.put("healthy", healthy);
        rec.metrics.put("faulty", faulty);
        for (double[] row : d.x()) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new Stop(StageStatus.FAILED, "a row holds a non-finite value");
                }
            }
        }
        if (d.size() < config.minRows()) {
            throw new Stop(StageStatus.FAILED,
                    d.size() + " labelled rows, fewer than pipeline.minRows " + config.minRows());
        }
        if (healthy < config.minRowsPerClass() || faulty < config.minRowsPerClass()) {
            throw new Stop(StageStatus.FAILED,
                    healthy + " healthy and " + faulty + " faulty rows; pipeline.minRowsPerClass is "
                            + config.minRowsPerClass());
        }
    }

    PlatformAccess.Champion champion() throws Exception {
        return platform.champion(config.modelName());
    }

    /** Returns whether the data drifted; throws skipped when it did not and the run is not forced. */
    boolean drift(StageRecord rec, PlatformAccess.Champion champion, Dataset d, boolean force) throws Stop {
        if (champion == null || champion.reference() == null) {
            rec.log.add(champion == null ? "no champion yet: training the first model"
                    : "the champion has no drift reference");
            rec.metrics.put("drifted", true);
            return true;
        }
        DriftReference reference;
        try {
            reference = JSON.treeToValue(champion.reference(), DriftReference.class);
        } catch (Exception e) {
            throw new Stop(StageStatus.FAILED, "the champion's drift reference is unreadable: " + e.getMessage());
        }
        if (!reference.features().equals(d.features())) {
            rec.log.add("the feature schema changed since the champion was trained");
            rec.metrics.put("drifted", true);
            return true;
        }
        DriftReport r = DriftReport.compare(reference, d);
        boolean drifted = r.drifted(config.driftPsi(), config.driftKs());
        rec.metrics.put("maxPsi", r.maxPsi());
        rec.metrics.put("maxKs", r.maxKs());
        rec.metrics.put("worstFeature", r.worstFeature());
        // per feature, with the thresholds: the console draws them as bars against the limits
        rec.metrics.put("psi", r.psi());
        rec.metrics.put("ks", r.ks());
        rec.metrics.put("psiThreshold", config.driftPsi());
        rec.metrics.put("ksThreshold", config.driftKs());
        rec.metrics.put("drifted", drifted);
        if (!drifted && !force) {
            throw new Stop(StageStatus.SKIPPED,
                    String.format(Locale.ROOT, "no drift (max PSI %.3f <= %.2f, max KS %.3f <= %.2f)", r.maxPsi(),
                            config.driftPsi(), r.maxKs(), config.driftKs()));
        }
        rec.log.add(drifted ? "drift on " + r.worstFeature() : "no drift, retraining because the run was forced");
        return drifted;
    }

    /** Training and holdout rows, shuffled with the run id as seed (the same split in every stage). */
    Dataset[] split(Dataset d) {
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

    /** A trained network and its final training loss. */
    record Trained(DenseNet net, double finalLoss) {
    }

    Trained train(StageRecord rec, Dataset train) {
        java.util.function.BiConsumer<Integer, Double> progress = (e, loss) -> rec.log
                .add("epoch " + e + " loss " + String.format(Locale.ROOT, "%.5f", loss));
        Trained t;
        if (config.trainer() == PipelineConfig.Trainer.MLP) {
            MlpTrainer.Result r = new MlpTrainer(config.hiddenLayers(), 1e-4, 0.005, runId).train(train, progress);
            t = new Trained(r.net(), r.finalLoss());
            rec.metrics.put("epochs", r.epochs());
        } else {
            LogisticTrainer.Result r = new LogisticTrainer().train(train, progress);
            t = new Trained(r.net(), r.finalLoss());
            rec.metrics.put("epochs", r.epochs());
        }
        rec.metrics.put("trainer", trainerName());
        rec.metrics.put("trainRows", train.size());
        rec.metrics.put("finalLoss", t.finalLoss());
        return t;
    }

    /** {@code logistic-l2}, or {@code mlp-50-40} for an MLP with those hidden layers. */
    String trainerName() {
        if (config.trainer() == PipelineConfig.Trainer.MLP) {
            StringBuilder b = new StringBuilder("mlp");
            config.hiddenLayers().forEach(h -> b.append('-').append(h));
            return b.toString();
        }
        return "logistic-l2";
    }

    TfliteExporter.Int8Model quantize(StageRecord rec, DenseNet net, Dataset train) {
        List<float[]> cal = new ArrayList<>();
        for (int i = 0; i < Math.min(1000, train.size()); i++) {
            cal.add(Dataset.floats(train.x()[i]));
        }
        TfliteExporter.Int8Model m = TfliteExporter.int8Model(net, cal, "aiot-edge pipeline run " + runId);
        rec.metrics.put("bytes", m.tflite().length);
        rec.metrics.put("calibrationRows", cal.size());
        rec.metrics.put("inputScale", m.input().scale());
        rec.metrics.put("inputZeroPoint", m.input().zeroPoint());
        return m;
    }

    ObjectNode evaluate(StageRecord rec, DenseNet net, byte[] int8, Dataset holdout, PlatformAccess.Champion champion)
            throws Exception {
        Evaluation fl = Evaluation.of(holdout, x -> (double) net.predict(Dataset.floats(x))[0]);
        ObjectNode m = JSON.createObjectNode();
        try (Inference runtime = Backend.AUTO.open(int8)) {
            Evaluation i8 = Evaluation.of(holdout, x -> (double) runtime.predict(Dataset.floats(x))[0]);
            int agree = 0;
            for (double[] x : holdout.x()) {
                float[] in = Dataset.floats(x);
                agree += runtime.predict(in)[0] >= 0.5 == net.predict(in)[0] >= 0.5 ? 1 : 0;
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
        Double championNow = championOn(rec, champion, holdout);
        if (championNow != null) {
            m.put("championAccuracyNow", championNow); // the champion on today's holdout, the fair comparison
        }
        m.properties().forEach(e -> rec.metrics.put(e.getKey(), e.getValue().isNumber()
                ? e.getValue().asDouble() : e.getValue().asText()));
        return m;
    }

    /** The champion's accuracy on this run's holdout, or null when it cannot score these features. */
    private Double championOn(StageRecord rec, PlatformAccess.Champion champion, Dataset holdout) {
        if (champion == null
                || !champion.features().toString().equals(JSON.valueToTree(holdout.features()).toString())) {
            return null;
        }
        try (Inference old = Backend.AUTO.open(champion.content().read())) {
            return Evaluation.of(holdout, x -> (double) old.predict(Dataset.floats(x))[0]).accuracy();
        } catch (Exception e) {
            rec.log.add("the champion could not be scored on this holdout: " + e.getMessage());
            return null;
        }
    }

    /** The registry metadata of a trained, quantized and evaluated model. */
    ObjectNode metadata(QuantParams input, DenseNet net, ObjectNode metrics, long from, long to, Dataset data,
            JsonNode trainingSet) {
        ObjectNode meta = JSON.createObjectNode();
        meta.set("inputSchema", JSON.createObjectNode().set("features", JSON.valueToTree(data.features())));
        ObjectNode quant = JSON.createObjectNode().put("type", "int8").put("inputScale", input.scale())
                .put("inputZeroPoint", input.zeroPoint()).put("outputScale", 1.0 / 256).put("outputZeroPoint", -128);
        ObjectNode standard = JSON.createObjectNode();
        standard.set("mean", JSON.valueToTree(net.mean()));
        standard.set("std", JSON.valueToTree(net.std()));
        quant.set("standardisation", standard);
        meta.set("quantization", quant);
        meta.set("metrics", metrics);
        ObjectNode lineage = JSON.createObjectNode().put("pipelineRun", runId).put("trigger", trigger)
                .put("dataFrom", from).put("dataTo", to).put("rows", data.size()).put("trainer", trainerName());
        if (trainingSet != null) {
            lineage.set("trainingSet", trainingSet);
        }
        lineage.set("reference", JSON.valueToTree(DriftReference.of(data)));
        meta.set("lineage", lineage);
        meta.set("tags", JSON.createObjectNode().put("source", "pipeline"));
        return meta;
    }

    PlatformAccess.Registered register(StageRecord rec, byte[] int8, JsonNode metadata) throws Exception {
        PlatformAccess.Registered v = platform.register(config.modelName(), int8, metadata);
        rec.metrics.put("version", v.version());
        rec.metrics.put("sha256", v.sha256());
        return v;
    }

    String promote(StageRecord rec, int version, PlatformAccess.Champion champion, JsonNode metrics) throws Exception {
        double acc = metrics.get("accuracy").asDouble();
        // compare on this run's holdout when the champion could be scored there, else on its own record
        double championAcc = champion == null ? -1 : metrics.has("championAccuracyNow")
                ? metrics.get("championAccuracyNow").asDouble() : champion.recordedAccuracy();
        rec.metrics.put("accuracy", acc);
        rec.metrics.put("championAccuracy", championAcc);
        String why;
        String alias;
        if (acc < config.minAccuracy()) {
            alias = "candidate";
            why = String.format(Locale.ROOT, "accuracy %.4f below pipeline.minAccuracy %.2f", acc,
                    config.minAccuracy());
        } else if (champion != null && acc < championAcc + config.promoteMargin()) {
            alias = "candidate";
            why = String.format(Locale.ROOT, "accuracy %.4f does not beat the champion's %.4f (same holdout) by %.3f",
                    acc, championAcc,
                    config.promoteMargin());
        } else {
            alias = "champion";
            why = champion == null ? String.format(Locale.ROOT, "first champion, accuracy %.4f", acc)
                    : String.format(Locale.ROOT, "accuracy %.4f beats the champion's %.4f on the same holdout", acc,
                            championAcc);
        }
        if (alias.equals("champion") && champion != null && platform.staged(config.modelName())) {
            String stage = platform.startRollout(config.modelName(), version, "run " + runId + ": " + why);
            rec.metrics.put("alias", "rollout");
            rec.metrics.put("rolloutStage", stage);
            rec.log.add(why + "; staged rollout started in " + stage);
            return config.modelName() + " v" + version + " in " + stage + ": " + why;
        }
        platform.setAlias(config.modelName(), alias, version, "run " + runId + ": " + why);
        rec.metrics.put("alias", alias);
        rec.log.add(why);
        return config.modelName() + " v" + version + " is " + alias + ": " + why;
    }
}
