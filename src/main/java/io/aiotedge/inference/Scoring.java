package io.aiotedge.inference;

import io.aiotedge.config.InferenceConfig;
import io.aiotedge.wire.FrameException;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one telemetry window, whichever source it came from: decodes it, picks the model's
 * features by name, scores, keeps the device's band ({@link ConditionTracker}) and aggregates
 * ({@link ConditionWindows}); a band change becomes one alert, and entering FAILURE one servo
 * command ({@link ConditionAlerts}), handed to the {@link Outlet}. Windows that cannot be scored
 * are counted, never fatal. While a rollout candidate is loaded ({@link CandidateSlot}), every
 * window is scored by both models: the one serving the device (the candidate for a canary-targeted
 * device, else the champion) keeps the band, alerts and commands; the other is only counted
 * ({@link ShadowStats}). Without a candidate the path is the single-model one. One device's windows
 * must arrive in order (one thread per MQTT subscription or Kafka partition).
 */
final class Scoring {
    private static final Logger log = LoggerFactory.getLogger(Scoring.class);

    private final Supplier<LoadedModel> model;
    private final Supplier<CandidateSlot.Active> candidate;
    private final String nodeId;
    private final ConditionTracker tracker;
    private final SlotBands bands;
    private final ShadowStats shadow;
    private final ConditionWindows windows;
    private final TelemetryCodec codec = new TelemetryCodec();
    private final Counter scored;
    private final Counter undecodable;
    private final Counter noModel;
    private final Counter missingFeature;
    private final Counter overloaded;
    private final Counter impostor;
    private final ConditionAlerts alerts;
    private final Timer latency;
    private volatile InputIndex lastIndex;
    private volatile InputIndex candidateIndex;
    private final io.aiotedge.core.LiveFeed live;

    Scoring(InferenceConfig config, Supplier<LoadedModel> model, MeterRegistry meters) {
        this(config, model, () -> null, "local", meters, io.aiotedge.core.LiveFeed.NONE);
    }

    /**
     * @param candidate the rollout candidate slot's content, or null when none
     * @param nodeId this node's id in alerts ({@code node}), {@code local} on a platform node
     * @param live the console's live feed (each served score), {@code LiveFeed.NONE} without one
     */
    Scoring(InferenceConfig config, Supplier<LoadedModel> model, Supplier<CandidateSlot.Active> candidate,
            String nodeId, MeterRegistry meters, io.aiotedge.core.LiveFeed live) {
        this.live = live;
        this.model = model;
        this.candidate = candidate;
        this.nodeId = nodeId;
        this.tracker = new ConditionTracker(config.warning(), config.failure(), config.hysteresis(),
                config.confirmWindows());
        this.bands = new SlotBands(new ConditionTracker(config.warning(), config.failure(), config.hysteresis(),
                config.confirmWindows()));
        this.shadow = new ShadowStats(meters);
        this.windows = new ConditionWindows(config.statsWindowSeconds() * 1000L, config.warning(), config.failure());
        String d = "Telemetry windows by outcome: scored, or skipped as undecodable, before a first model, "
                + "lacking a model feature, or with scoring behind";
        this.scored = Counter.builder("aiot_inference_windows_total").tag("outcome", "scored").description(d)
                .register(meters);
        this.undecodable = Counter.builder("aiot_inference_windows_total").tag("outcome", "undecodable")
                .description(d).register(meters);
        this.noModel = Counter.builder("aiot_inference_windows_total").tag("outcome", "no-model").description(d)
                .register(meters);
        this.missingFeature = Counter.builder("aiot_inference_windows_total").tag("outcome", "missing-feature")
                .description(d).register(meters);
        this.overloaded = Counter.builder("aiot_inference_windows_total").tag("outcome", "overloaded")
                .description(d).register(meters);
        this.impostor = Counter.builder("aiot_inference_windows_total").tag("outcome", "impostor")
                .description(d).register(meters);
        this.alerts = new ConditionAlerts(config.servoAngle(), nodeId, meters);
        this.latency = Timer.builder("aiot_inference_latency_seconds")
                .description("Telemetry window timestamp to score (includes the gateway, broker and bridge)")
                .publishPercentiles(0.5, 0.99).register(meters);
        for (ConditionTracker.Band b : ConditionTracker.Band.values()) {
            Gauge.builder("aiot_inference_devices", tracker, t -> t.census().get(b)).tag("band", b.name())
                    .description("Devices per condition band").register(meters);
        }
    }

    /**
     * Scores one window published for {@code device} (the topic's id, or the Kafka record key the
     * bridge set from it); a window whose payload names another device is skipped (and counted):
     * the payload's id never decides whose band moves or who gets a servo command. False when skipped.
     */
    boolean accept(String device, byte[] payload, Outlet outlet) {
        Telemetry t;
        try {
            t = codec.decode(payload);
        } catch (FrameException e) {
            undecodable.increment();
            log.debug("Undecodable telemetry: {}", e.getMessage());
            return false;
        }
        if (device == null || !device.equals(t.deviceId())) {
            impostor.increment();
            log.debug("Telemetry for '{}' names device '{}'; skipped", device, t.deviceId());
            return false;
        }
        return accept(t, outlet);
    }

    /** Scores one decoded window (the gateway's in-process hook); false when it was skipped. */
    boolean accept(Telemetry t, Outlet outlet) {
        LoadedModel m = model.get();
        if (m == null) {
            noModel.increment();
            return false;
        }
        CandidateSlot.Active slot = candidate.get();
        if (slot != null && slot.model().version() <= m.version()) {
            slot = null; // the candidate became champion
        }
        if (slot == null && bands.idle()) {
            return single(t, m, outlet);
        }
        return beside(t, m, slot, outlet);
    }

    /** No rollout: the champion scores, keeps the band and alerts. */
    private boolean single(Telemetry t, LoadedModel m, Outlet outlet) {
        int[] at = inputIndex(m, t.names(), false);
        if (at == null) {
            missingFeature.increment();
            return false;
        }
        float score = m.score(inputs(t, at));
        ConditionTracker.Change c = served(t, m, score);
        if (c != null) {
            alerts.send(t, m, c, at, outlet, null);
        }
        return true;
    }

    /**
     * A candidate is loaded (or was, and a device still has to switch back): the model serving the
     * device keeps the band and alerts, the other is scored beside it and counted.
     */
    private boolean beside(Telemetry t, LoadedModel champion, CandidateSlot.Active slot, Outlet outlet) {
        String device = t.deviceId();
        boolean canary = slot != null && slot.serves(device, nodeId);
        LoadedModel serving = canary ? slot.model() : champion;
        LoadedModel other = slot == null ? null : canary ? champion : slot.model();
        int[] at = inputIndex(serving, t.names(), canary);
        if (at == null) {
            missingFeature.increment();
            return false;
        }
        int[] otherAt = other == null ? null : inputIndex(other, t.names(), !canary);
        bands.prepare(device, serving.version(), otherAt == null ? 0 : other.version(), tracker);
        float score = serving.score(inputs(t, at));
        ConditionTracker.Change c = served(t, serving, score);
        if (c != null) {
            alerts.send(t, serving, c, at, outlet, canary ? slot.rolloutId() : null);
        }
        if (otherAt != null) {
            float otherScore = other.score(inputs(t, otherAt));
            ConditionTracker.Change oc = bands.compare().update(device, otherScore);
            ConditionTracker.Band band = tracker.band(device);
            ConditionTracker.Band otherBand = bands.compare().band(device);
            shadow.record(slot.rolloutId(), canary
                    ? new ShadowStats.Sample(device, serving.version(), otherScore, otherBand, oc != null, score, band,
                            c != null, c != null, t.label())
                    : new ShadowStats.Sample(device, serving.version(), score, band, c != null, otherScore, otherBand,
                            oc != null, c != null, t.label()));
        }
        return true;
    }

    /** Counts a window scored by the serving model and moves its band; the change, if any. */
    private ConditionTracker.Change served(Telemetry t, LoadedModel m, float score) {
        scored.increment();
        latency.record(Math.max(0, System.currentTimeMillis() - t.timestampMillis()), TimeUnit.MILLISECONDS);
        ConditionTracker.Change c = tracker.update(t.deviceId(), score);
        windows.record(t.deviceId(), t.timestampMillis(), score, tracker.band(t.deviceId()), m.version());
        live.score(t.deviceId(), t.timestampMillis(), score, tracker.band(t.deviceId()).name(), m.name(), m.version());
        return c;
    }

    private static float[] inputs(Telemetry t, int[] at) {
        float[] x = new float[at.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) t.values()[at[i]];
        }
        return x;
    }

    /** Where the model's inputs stand in a window's names: computed once per model and schema. */
    private record InputIndex(LoadedModel model, List<String> names, int[] at) {
    }

    /**
     * The position of each model feature among {@code names}, or null when one is missing. Every
     * window of a fleet carries the same names, so the last answer is kept: a list comparison per
     * window instead of a search per feature. The candidate slot has its own entry.
     */
    private int[] inputIndex(LoadedModel m, List<String> names, boolean candidateSlot) {
        InputIndex last = candidateSlot ? candidateIndex : lastIndex;
        if (last != null && last.model() == m && last.names().equals(names)) {
            return last.at();
        }
        int[] at = new int[m.features().size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = names.indexOf(m.features().get(i));
            if (at[i] < 0) {
                return null;
            }
        }
        InputIndex next = new InputIndex(m, List.copyOf(names), at);
        if (candidateSlot) {
            candidateIndex = next;
        } else {
            lastIndex = next;
        }
        return at;
    }

    /** Counts a window dropped because scoring is behind (the gateway hook's bounded queue is full). */
    void overloaded() {
        overloaded.increment();
    }

    /** Forgets devices whose windows now go to another node. */
    void forget(java.util.Collection<String> deviceIds) {
        tracker.forget(deviceIds);
        windows.forget(deviceIds);
        bands.forget(deviceIds);
        shadow.forget(deviceIds);
    }

    ConditionTracker tracker() {
        return tracker;
    }

    ConditionWindows windows() {
        return windows;
    }

    ShadowStats shadow() {
        return shadow;
    }

    long scoredCount() {
        return (long) scored.count();
    }
}
