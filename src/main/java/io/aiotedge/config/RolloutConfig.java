package io.aiotedge.config;

import java.util.List;

/**
 * Staged rollouts and registry retention on the platform ({@code rollout.*}, {@code models.keep*}).
 * With the defaults (no shadow windows, no canary devices, share or nodes) a promotion is one
 * step, as before rollouts existed; the pipeline starts a rollout only when {@link #staged}.
 *
 * @param shadowMinWindows windows both models must score before the shadow stage is judged; 0 = no shadow stage
 * @param maxDisagreement the largest share of shadow windows in another band than the champion's
 * @param maxFalseFailureRate the largest share of windows the candidate calls FAILURE where the champion says OK
 * @param maxAccuracyDrop how much the candidate's accuracy on labelled windows may trail the champion's
 * @param canaryDevices device ids served by the candidate first
 * @param canaryPercent share of devices (0-100, by a hash of the id) served by the candidate first
 * @param canaryNodes inference nodes whose every device is in the canary
 * @param canaryMinutes healthy canary time before the whole fleet gets it (decimals allowed)
 * @param maxAlertRateFactor the canary's alerts per device-hour may be this many times the champion's
 * @param minAlertRatePerDeviceHour the champion's rate is taken as at least this
 * @param checkSeconds how often the controller evaluates active rollouts
 * @param keepCandidates versions kept besides the aliased, rolling-out and young ones
 * @param keepMinAgeHours versions younger than this are never deleted by retention
 */
public record RolloutConfig(int shadowMinWindows, double maxDisagreement, double maxFalseFailureRate,
        double maxAccuracyDrop, List<String> canaryDevices, double canaryPercent, List<String> canaryNodes,
        double canaryMinutes, double maxAlertRateFactor, double minAlertRatePerDeviceHour, int checkSeconds,
        int keepCandidates, int keepMinAgeHours) {

    public RolloutConfig {
        canaryDevices = List.copyOf(canaryDevices);
        canaryNodes = List.copyOf(canaryNodes);
    }

    /** A canary stage is configured: devices, a share or nodes. */
    public boolean canary() {
        return !canaryDevices.isEmpty() || canaryPercent > 0 || !canaryNodes.isEmpty();
    }

    /** Promotion goes through a rollout (shadow or canary) rather than straight to champion. */
    public boolean staged() {
        return shadowMinWindows > 0 || canary();
    }

    static RolloutConfig read(ConfigReader r) {
        double percent = r.decimal("rollout.canary.percent");
        if (percent < 0 || percent > 100) {
            r.problem("rollout.canary.percent", "must be between 0 and 100, got " + percent);
        }
        return new RolloutConfig(r.integer("rollout.shadow.minWindows", 0, 100_000_000),
                fraction(r, "rollout.shadow.maxDisagreement"), fraction(r, "rollout.shadow.maxFalseFailureRate"),
                fraction(r, "rollout.shadow.maxAccuracyDrop"), r.stringList("rollout.canary.devices"), percent,
                r.stringList("rollout.canary.nodes"), atLeast(r, "rollout.canary.minutes", 0),
                atLeast(r, "rollout.canary.maxAlertRateFactor", 1),
                atLeast(r, "rollout.canary.minAlertRatePerDeviceHour", 0),
                r.integer("rollout.checkSeconds", 1, 3600), r.integer("models.keepCandidates", 0, 1_000_000),
                r.integer("models.keepMinAgeHours", 0, 24 * 365 * 10));
    }

    private static double fraction(ConfigReader r, String key) {
        double v = r.decimal(key);
        if (v < 0 || v > 1) {
            r.problem(key, "must be between 0 and 1, got " + v);
        }
        return v;
    }

    private static double atLeast(ConfigReader r, String key, double min) {
        double v = r.decimal(key);
        if (!(v >= min) || Double.isInfinite(v)) {
            r.problem(key, "must be at least " + min + ", got " + v);
        }
        return v;
    }
}
