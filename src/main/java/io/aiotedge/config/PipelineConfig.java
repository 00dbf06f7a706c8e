package io.aiotedge.config;

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
 */
public record PipelineConfig(boolean enabled, String modelName, int scheduleMinutes, int windowHours, int minRows,
                             int minRowsPerClass, double holdoutFraction, double minAccuracy, double promoteMargin,
                             double driftPsi, double driftKs) {

    static PipelineConfig read(ConfigReader r) {
        String name = r.nonBlank("pipeline.modelName");
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            r.problem("pipeline.modelName", "must be 1-64 of a-z 0-9 . _ - starting with a letter or digit");
        }
        return new PipelineConfig(r.bool("pipeline.enabled"), name, r.integer("pipeline.scheduleMinutes", 0, 100_000),
                r.integer("pipeline.windowHours", 1, 24 * 365), r.integer("pipeline.minRows", 10, 10_000_000),
                r.integer("pipeline.minRowsPerClass", 1, 10_000_000), fraction(r, "pipeline.holdoutFraction"),
                fraction(r, "pipeline.minAccuracy"), fraction(r, "pipeline.promoteMargin"),
                positive(r, "pipeline.driftPsi"), fraction(r, "pipeline.driftKs"));
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
