package io.aiotedge.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.config.RolloutConfig;
import io.aiotedge.wire.Json;
import java.util.List;
import java.util.Locale;

/**
 * The bounds of a rollout's stages, judged on summed node reports (docs/platform.md, "Bounds").
 * Pure: the same rollout, reports and instant give the same decision, which is what lets a
 * restarted platform continue a canary as it would have. Stateless.
 */
final class RolloutJudge {
    private static final Json JSON = Json.mapper();
    private static final int MIN_LABELLED = 100;

    /** Where a rollout goes next ({@code to} null = it stays), why, and on what evidence. */
    record Decision(String to, String reason, ObjectNode evidence) {
    }

    private RolloutJudge() {
    }

    static ObjectNode shadowEvidence(ObjectNode sums) {
        long windows = sums.path("windows").asLong();
        ObjectNode e = JSON.createObjectNode().put("windows", windows).put("agree", sums.path("agree").asLong());
        e.put("disagreement", windows == 0 ? 0 : 1 - sums.path("agree").asLong() / (double) windows);
        e.put("falseFailureRate",
                windows == 0 ? 0 : sums.path("candidateFailureOnChampionOk").asLong() / (double) windows);
        long labelled = sums.path("labelled").asLong();
        e.put("labelled", labelled);
        e.put("championAccuracy", labelled == 0 ? 0 : sums.path("championCorrect").asLong() / (double) labelled);
        e.put("candidateAccuracy", labelled == 0 ? 0 : sums.path("candidateCorrect").asLong() / (double) labelled);
        return e;
    }

    static Decision shadow(Rollout r, ObjectNode sums) {
        JsonNode b = r.bounds();
        ObjectNode e = shadowEvidence(sums);
        long windows = e.get("windows").asLong();
        if (windows < b.path("shadowMinWindows").asLong()) {
            return new Decision(null, "shadow: " + windows + " of " + b.path("shadowMinWindows").asLong() + " windows",
                    e);
        }
        String broken = broken(e, b);
        if (broken != null) {
            return new Decision(Rollout.ROLLED_BACK, broken, e);
        }
        String next = canaryTargeted(r.targeting()) ? Rollout.CANARY : Rollout.FULL;
        return new Decision(next, "shadow bounds held over " + windows + " windows", e);
    }

    private static String broken(ObjectNode e, JsonNode b) {
        if (e.get("disagreement").asDouble() > b.path("maxDisagreement").asDouble()) {
            return fmt("shadow bound rollout.shadow.maxDisagreement broken: disagreement %.4f > %s over %d windows",
                    e.get("disagreement").asDouble(), b.path("maxDisagreement").asText(), e.get("windows").asLong());
        }
        if (e.get("falseFailureRate").asDouble() > b.path("maxFalseFailureRate").asDouble()) {
            return fmt("shadow bound rollout.shadow.maxFalseFailureRate broken: FAILURE where the champion says OK "
                    + "on %.4f of windows > %s", e.get("falseFailureRate").asDouble(),
                    b.path("maxFalseFailureRate").asText());
        }
        if (e.get("labelled").asLong() >= MIN_LABELLED && e.get("candidateAccuracy").asDouble() < e
                .get("championAccuracy").asDouble() - b.path("maxAccuracyDrop").asDouble()) {
            return fmt("shadow bound rollout.shadow.maxAccuracyDrop broken: accuracy %.4f vs the champion's %.4f",
                    e.get("candidateAccuracy").asDouble(), e.get("championAccuracy").asDouble());
        }
        return null;
    }

    /**
     * The canary's rates: alerts per device-hour of the candidate and of the champion on the same
     * devices, both counted from the canary stage's start ({@code from}; {@code sums} from
     * {@link CanaryCounts}) to {@code to}, so a long shadow before it does not dilute them.
     */
    static ObjectNode canaryEvidence(Rollout r, ObjectNode sums, List<NodeReports.Serving> nodes, long from,
            long to) {
        int devices = sums.path("devices").asInt();
        double hours = Math.max(1e-6, (to - from) / 3_600_000.0) * devices;
        ObjectNode e = JSON.createObjectNode().put("devices", devices).put("deviceHours", hours);
        long cand = sums.path("candidateAlerts").asLong();
        long champ = sums.path("championAlerts").asLong();
        e.put("candidateAlerts", cand).put("championAlerts", champ);
        e.put("candidateRate", devices == 0 ? 0 : cand / hours).put("championRate", devices == 0 ? 0 : champ / hours);
        int failures = 0;
        var failed = e.putArray("failedNodes");
        for (NodeReports.Serving s : nodes) {
            if (r.id().equals(s.rolloutId()) && ("failed".equals(s.candidateState()) || s.loadFailures() > 0)) {
                failures += Math.max(1, s.loadFailures());
                failed.add(s.node());
            }
        }
        e.put("loadFailures", failures);
        return e;
    }

    /** {@code r} is in {@code canary}: its stage clock is the canary's start (kept in the database). */
    static Decision canary(Rollout r, ObjectNode sums, List<NodeReports.Serving> nodes, long now) {
        JsonNode b = r.bounds();
        ObjectNode e = canaryEvidence(r, sums, nodes, r.stageStartedAt(), now);
        if (e.get("loadFailures").asInt() > 0) {
            NodeReports.Serving s = nodes.stream().filter(n -> n.node().equals(e.get("failedNodes").get(0).asText()))
                    .findFirst().orElseThrow();
            return new Decision(Rollout.ROLLED_BACK, "canary: node " + s.node() + " failed to load v" + r.version()
                    + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")"), e);
        }
        double limit = b.path("maxAlertRateFactor").asDouble()
                * Math.max(e.get("championRate").asDouble(), b.path("minAlertRatePerDeviceHour").asDouble());
        if (e.get("candidateRate").asDouble() > limit) {
            return new Decision(Rollout.ROLLED_BACK, fmt("canary bound rollout.canary.maxAlertRateFactor broken: "
                    + "%.2f alerts per device-hour > %s x max(champion %.2f, %s) on %d devices",
                    e.get("candidateRate").asDouble(), b.path("maxAlertRateFactor").asText(),
                    e.get("championRate").asDouble(), b.path("minAlertRatePerDeviceHour").asText(),
                    e.get("devices").asInt()), e);
        }
        long needMs = (long) (b.path("canaryMinutes").asDouble() * 60_000);
        // healthy only once every node reporting this model has the candidate loaded: a node that could
        // not load it would otherwise quietly serve the champion to its canary devices
        List<NodeReports.Serving> reporting = nodes;
        boolean loaded = !reporting.isEmpty() && reporting.stream()
                .allMatch(n -> r.id().equals(n.rolloutId()) && "loaded".equals(n.candidateState()));
        if (r.elapsedMs(now) >= needMs && loaded) {
            return new Decision(Rollout.FULL, fmt("canary healthy for %.1f min on %d devices, loaded on %d nodes",
                    r.elapsedMs(now) / 60_000.0, e.get("devices").asInt(), reporting.size()), e);
        }
        return new Decision(null, loaded ? "canary running" : "canary: waiting for every node to load the candidate",
                e);
    }

    /** {@code full} ends when every node that reported since it began serves the version. */
    static Decision full(Rollout r, List<NodeReports.Serving> nodes) {
        List<NodeReports.Serving> recent = nodes.stream().filter(n -> n.updatedAt() >= r.stageStartedAt()).toList();
        ObjectNode e = JSON.createObjectNode().put("nodes", nodes.size()).put("reportedSinceFull", recent.size());
        boolean none = nodes.isEmpty();
        boolean all = !recent.isEmpty() && recent.size() == nodes.size()
                && recent.stream().allMatch(n -> Integer.valueOf(r.version()).equals(n.version()));
        if (none || all) {
            return new Decision(Rollout.COMPLETED, none ? "no inference node reports: nothing to wait for"
                    : "every reporting node serves v" + r.version(), e);
        }
        return new Decision(null, "full: waiting for every node to serve v" + r.version(), e);
    }

    /** The bounds a new rollout keeps (the config now), so a later config change does not move them. */
    static ObjectNode bounds(RolloutConfig config) {
        return JSON.createObjectNode().put("shadowMinWindows", config.shadowMinWindows())
                .put("maxDisagreement", config.maxDisagreement()).put("maxFalseFailureRate",
                        config.maxFalseFailureRate())
                .put("maxAccuracyDrop", config.maxAccuracyDrop()).put("canaryMinutes", config.canaryMinutes())
                .put("maxAlertRateFactor", config.maxAlertRateFactor())
                .put("minAlertRatePerDeviceHour", config.minAlertRatePerDeviceHour());
    }

    /** When the canary stage began and ended (now while it runs; both now when there was none). */
    static long[] canaryWindow(List<Rollout.Event> history, long now) {
        long from = -1;
        for (Rollout.Event e : history) {
            if (from < 0 && Rollout.CANARY.equals(e.to())) {
                from = e.at();
            } else if (from >= 0 && Rollout.CANARY.equals(e.from()) && !Rollout.CANARY.equals(e.to())) {
                return new long[] {from, e.at()};
            }
        }
        return from < 0 ? new long[] {now, now} : new long[] {from, now};
    }

    static boolean canaryTargeted(JsonNode targeting) {
        return targeting.path("devices").size() > 0 || targeting.path("percent").asDouble() > 0
                || targeting.path("nodes").size() > 0;
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
