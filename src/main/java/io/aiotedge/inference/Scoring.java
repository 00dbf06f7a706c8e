package io.aiotedge.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.wire.FrameException;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one telemetry window, whichever source it came from: decodes it, picks the model's
 * features by name, scores, keeps the device's band ({@link ConditionTracker}) and aggregates
 * ({@link ConditionWindows}); a band change becomes one alert, and entering FAILURE one servo
 * command, handed to the {@link Outlet}. Windows that cannot be scored are counted, never fatal.
 * One device's windows must arrive in order (one thread per MQTT subscription or Kafka partition).
 */
final class Scoring {
    private static final Logger log = LoggerFactory.getLogger(Scoring.class);
    private static final Json JSON = Json.mapper();

    /** Where alerts and commands go: MQTT topics, or Kafka {@code aiot.control} for commands. */
    interface Outlet {
        void alert(String deviceId, ObjectNode alert);

        void command(String deviceId, ObjectNode command);
    }

    private final InferenceConfig config;
    private final Supplier<LoadedModel> model;
    private final ConditionTracker tracker;
    private final ConditionWindows windows;
    private final TelemetryCodec codec = new TelemetryCodec();
    private final Counter scored;
    private final Counter undecodable;
    private final Counter noModel;
    private final Counter missingFeature;
    private final Counter overloaded;
    private final Counter impostor;
    private final Counter alerts;
    private final Counter commands;
    private final Timer latency;
    private volatile InputIndex lastIndex;
    private final io.aiotedge.core.LiveFeed live;

    Scoring(InferenceConfig config, Supplier<LoadedModel> model, MeterRegistry meters) {
        this(config, model, meters, io.aiotedge.core.LiveFeed.NONE);
    }

    Scoring(InferenceConfig config, Supplier<LoadedModel> model, MeterRegistry meters,
            io.aiotedge.core.LiveFeed live) {
        this.live = live;
        this.config = config;
        this.model = model;
        this.tracker = new ConditionTracker(config.warning(), config.failure(), config.hysteresis(),
                config.confirmWindows());
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
        this.alerts = Counter.builder("aiot_inference_alerts_total").description("Condition band changes alerted")
                .register(meters);
        this.commands = Counter.builder("aiot_inference_commands_total").description("Servo commands sent")
                .register(meters);
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
        int[] at = inputIndex(m, t.names());
        if (at == null) {
            missingFeature.increment();
            return false;
        }
        float[] x = new float[at.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) t.values()[at[i]];
        }
        float score = m.score(x);
        scored.increment();
        latency.record(Math.max(0, System.currentTimeMillis() - t.timestampMillis()), TimeUnit.MILLISECONDS);
        ConditionTracker.Change c = tracker.update(t.deviceId(), score);
        windows.record(t.deviceId(), t.timestampMillis(), score, tracker.band(t.deviceId()), m.version());
        live.score(t.deviceId(), t.timestampMillis(), score, tracker.band(t.deviceId()).name(), m.name(), m.version());
        if (c != null) {
            alert(t, m, c, at, outlet);
        }
        return true;
    }

    /** Where the model's inputs stand in a window's names: computed once per model and schema. */
    private record InputIndex(LoadedModel model, List<String> names, int[] at) {
    }

    /**
     * The position of each model feature among {@code names}, or null when one is missing. Every
     * window of a fleet carries the same names, so the last answer is kept: a list comparison per
     * window instead of a search per feature.
     */
    private int[] inputIndex(LoadedModel m, List<String> names) {
        InputIndex last = lastIndex;
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
        lastIndex = new InputIndex(m, List.copyOf(names), at);
        return at;
    }

    private void alert(Telemetry t, LoadedModel model, ConditionTracker.Change c, int[] at, Outlet outlet) {
        alerts.increment();
        ObjectNode a = JSON.createObjectNode().put("schemaVersion", 1).put("type", "condition")
                .put("deviceId", t.deviceId()).put("band", c.to().name()).put("previousBand", c.from().name())
                .put("score", c.score()).put("model", model.name()).put("modelVersion", model.version())
                .put("timestamp", t.timestampMillis()).put("sequence", t.sequence());
        ObjectNode snapshot = a.putObject("features");
        for (int i = 0; i < at.length; i++) {
            snapshot.put(model.features().get(i), t.values()[at[i]]);
        }
        if (t.label() != null) {
            a.put("label", t.label());
        }
        outlet.alert(t.deviceId(), a);
        log.info("Device {}: {} -> {} (score {})", t.deviceId(), c.from(), c.to(),
                String.format(Locale.ROOT, "%.3f", c.score()));
        if (c.to() == ConditionTracker.Band.FAILURE) {
            commands.increment();
            ObjectNode cmd = JSON.createObjectNode().put("schemaVersion", 1).put("command", "servo")
                    .put("angle", config.servoAngle()).put("deviceId", t.deviceId())
                    .put("reason",
                            String.format(Locale.ROOT, "FAILURE: score %.3f from %s v%d", c.score(), model.name(),
                                    model.version()))
                    .put("timestamp", System.currentTimeMillis());
            outlet.command(t.deviceId(), cmd);
        }
    }

    /** Counts a window dropped because scoring is behind (the gateway hook's bounded queue is full). */
    void overloaded() {
        overloaded.increment();
    }

    /** Forgets devices whose windows now go to another node. */
    void forget(java.util.Collection<String> deviceIds) {
        tracker.forget(deviceIds);
        windows.forget(deviceIds);
    }

    ConditionTracker tracker() {
        return tracker;
    }

    ConditionWindows windows() {
        return windows;
    }

    long scoredCount() {
        return (long) scored.count();
    }
}
