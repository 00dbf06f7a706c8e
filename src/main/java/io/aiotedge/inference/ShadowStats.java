package io.aiotedge.inference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.aiotedge.inference.ConditionTracker.Band;
import io.aiotedge.wire.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a rollout candidate did beside the champion, per device, since this process started and
 * for the current rollout only (a new rollout id starts from zero): windows scored by both, windows
 * in the same band, FAILURE calls of each (and the candidate's FAILURE where the champion said OK),
 * band changes of each, alerts sent, accuracy of each where the window carried a ground-truth label,
 * and the candidate's scores in 10 buckets of width 0.1. The node report
 * ({@link NodeReporter}) carries these counts; the meters {@code aiot_inference_shadow_*} sum them.
 * Thread-safe.
 */
final class ShadowStats {
    private static final Json JSON = Json.mapper();
    /** The classifier's decision threshold for accuracy against a label. */
    static final double DECISION = 0.5;
    static final String HEALTHY = "healthy";

    /** One window scored by both models, named by role (not by which one served). */
    record Sample(String device, int servedBy, float championScore, Band championBand, boolean championChanged,
            float candidateScore, Band candidateBand, boolean candidateChanged, boolean alerted, String label) {
    }

    private static final class Device {
        int servedBy;
        long windows;
        long agree;
        long championFailure;
        long candidateFailure;
        long candidateFailureOnChampionOk;
        long championBandChanges;
        long candidateBandChanges;
        long alerts;
        long labelled;
        long championCorrect;
        long candidateCorrect;
        final long[] deciles = new long[10];
    }

    private final Counter windows;
    private final Counter disagreements;
    private final Counter falseFailures;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private volatile String rolloutId = "";

    ShadowStats(MeterRegistry meters) {
        this.windows = Counter.builder("aiot_inference_shadow_windows_total")
                .description("Windows scored by a rollout candidate beside the champion").register(meters);
        this.disagreements = Counter.builder("aiot_inference_shadow_disagreements_total")
                .description("Windows the candidate put in another band than the champion").register(meters);
        this.falseFailures = Counter.builder("aiot_inference_shadow_false_failures_total")
                .description("Windows the candidate called FAILURE where the champion called OK").register(meters);
    }

    /** Counts one window of rollout {@code rollout}. */
    void record(String rollout, Sample s) {
        if (!rollout.equals(rolloutId)) {
            reset(rollout);
        }
        Device d = devices.computeIfAbsent(s.device(), k -> new Device());
        boolean agree = s.championBand() == s.candidateBand();
        boolean falseFailure = s.candidateBand() == Band.FAILURE && s.championBand() == Band.OK;
        synchronized (d) {
            d.servedBy = s.servedBy();
            d.windows++;
            d.agree += agree ? 1 : 0;
            d.championFailure += s.championBand() == Band.FAILURE ? 1 : 0;
            d.candidateFailure += s.candidateBand() == Band.FAILURE ? 1 : 0;
            d.candidateFailureOnChampionOk += falseFailure ? 1 : 0;
            d.championBandChanges += s.championChanged() ? 1 : 0;
            d.candidateBandChanges += s.candidateChanged() ? 1 : 0;
            d.alerts += s.alerted() ? 1 : 0;
            if (s.label() != null) {
                boolean faulty = !HEALTHY.equals(s.label());
                d.labelled++;
                d.championCorrect += s.championScore() >= DECISION == faulty ? 1 : 0;
                d.candidateCorrect += s.candidateScore() >= DECISION == faulty ? 1 : 0;
            }
            d.deciles[Math.max(0, Math.min(9, (int) (s.candidateScore() * 10)))]++;
        }
        windows.increment();
        if (!agree) {
            disagreements.increment();
        }
        if (falseFailure) {
            falseFailures.increment();
        }
    }

    private synchronized void reset(String rollout) {
        if (!rollout.equals(rolloutId)) {
            devices.clear();
            rolloutId = rollout;
        }
    }

    String rolloutId() {
        return rolloutId;
    }

    /** The per-device rows of the node report (docs/platform.md, "Node reports"), by device id. */
    ArrayNode report() {
        ArrayNode out = JSON.createArrayNode();
        new TreeMap<>(devices).forEach((id, d) -> {
            synchronized (d) {
                var row = out.addObject().put("device", id).put("servedBy", d.servedBy).put("windows", d.windows)
                        .put("agree", d.agree).put("championFailure", d.championFailure)
                        .put("candidateFailure", d.candidateFailure)
                        .put("candidateFailureOnChampionOk", d.candidateFailureOnChampionOk)
                        .put("championBandChanges", d.championBandChanges)
                        .put("candidateBandChanges", d.candidateBandChanges).put("alerts", d.alerts)
                        .put("championAlerts", d.championBandChanges).put("candidateAlerts", d.candidateBandChanges)
                        .put("labelled", d.labelled).put("championCorrect", d.championCorrect)
                        .put("candidateCorrect", d.candidateCorrect);
                ArrayNode dec = row.putArray("deciles");
                for (long c : d.deciles) {
                    dec.add(c);
                }
            }
        });
        return out;
    }

    void forget(java.util.Collection<String> ids) {
        ids.forEach(devices::remove);
    }
}
