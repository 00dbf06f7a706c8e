package io.aiotedge.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The MLOps pipeline on the platform ({@code pipeline.*}): extract -> validate -> drift -> train
 * -> quantize -> evaluate -> register -> promote.
 *
 * @param modelName the registry model it trains
 * @param scheduleMinutes a drift check every N minutes, retraining when the data drifted or there
 *     is no champion; 0 = only manual runs
 * @param windowHours the datastore range a run extracts: the last N hours
 * @param minRows fewer labelled rows fail validation
 * @param minRowsPerClass fewer healthy or faulty rows fail validation
 * @param holdoutFraction share of rows held out for evaluation
 * @param minAccuracy a model below this holdout accuracy is never promoted
 * @param promoteMargin a new model must beat the champion's holdout accuracy by this much
 * @param driftPsi PSI above this on any feature is drift
 * @param driftKs KS above this on any feature is drift
 * @param trainer {@code logistic} (L2 logistic regression) or {@code mlp}
 * @param hiddenLayers the MLP's hidden layer sizes (the reference's 4-50-40-1 is [50, 40])
 * @param keepRuns finished runs kept (with their logs); older ones are deleted after each run
 */
public record PipelineConfig(boolean enabled, String modelName, int scheduleMinutes, int windowHours, int minRows,
        int minRowsPerClass, double holdoutFraction, double minAccuracy, double promoteMargin,
        double driftPsi, double driftKs, Trainer trainer, List<Integer> hiddenLayers, int keepRuns) {

    public enum Trainer { LOGISTIC, MLP }

    public PipelineConfig {
        hiddenLayers = List.copyOf(hiddenLayers);
    }

    static PipelineConfig read(ConfigReader r) {
        String name = r.nonBlank("pipeline.modelName");
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            r.problem("pipeline.modelName", "must be 1-64 of a-z 0-9 . _ - starting with a letter or digit");
        }
        return new PipelineConfig(r.bool("pipeline.enabled"), name, r.integer("pipeline.scheduleMinutes", 0, 100_000),
                r.integer("pipeline.windowHours", 1, 24 * 365), r.integer("pipeline.minRows", 10, 10_000_000),
                r.integer("pipeline.minRowsPerClass", 1, 10_000_000), fraction(r, "pipeline.holdoutFraction"),
                fraction(r, "pipeline.minAccuracy"), fraction(r, "pipeline.promoteMargin"),
                positive(r, "pipeline.driftPsi"), fraction(r, "pipeline.driftKs"),
                r.enumValue("pipeline.trainer", Trainer.class), hidden(r),
                r.integer("pipeline.keepRuns", 1, 10_000_000));
    }

    private static List<Integer> hidden(ConfigReader r) {
        List<Integer> out = new ArrayList<>();
        List<String> raw = r.stringList("pipeline.hiddenLayers");
        for (String s : raw) {
            try {
                int units = Integer.parseInt(s.trim());
                if (units < 1 || units > 4096) {
                    throw new NumberFormatException();
                }
                out.add(units);
            } catch (NumberFormatException e) {
                r.problem("pipeline.hiddenLayers", "must be 1-4096 units per layer, got '" + s + "'");
            }
        }
        if (raw.isEmpty() || raw.size() > 8) {
            r.problem("pipeline.hiddenLayers", "needs 1-8 layers, got " + raw.size());
        }
        return out;
    }

    private static double fraction(ConfigReader r, String key) {
        double v = r.decimal(key);
        if (v < 0 || v > 1) {
            r.problem(key, "must be between 0 and 1, got " + v);
        }
        return v;
    }

    private static double positive(ConfigReader r, String key) {
        double v = r.decimal(key);
        if (!(v > 0)) {
            r.problem(key, "must be positive, got " + v);
        }
        return v;
    }
}
