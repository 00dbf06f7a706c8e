package io.aiotedge.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.tflite.Backend;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The measuring side of {@code aiot-edge bench inference --shadow}: windows/s through the real
 * scoring path (decode, feature lookup, score, bands, aggregates, alerts to a sink) of one thread,
 * with the champion alone or with a rollout candidate in {@code shadow} beside it. Not used by the
 * roles.
 */
public final class ScoringThroughput {
    private static final int ROUNDS = 6;
    private final InferenceConfig config;
    private final Backend backend;
    private final List<String> features;
    private final int devices;

    public ScoringThroughput(InferenceConfig config, Backend backend, List<String> features, int devices) {
        this.config = config;
        this.backend = backend;
        this.features = List.copyOf(features);
        this.devices = devices;
    }

    /** Windows/s of the champion alone and with the candidate in shadow beside it. */
    public record Rates(double alone, double beside) {
        public double ratio() {
            return beside / alone;
        }
    }

    /**
     * Windows/s of {@code champion} alone and with {@code candidate} in shadow, each the best of
     * {@link #ROUNDS} rounds of {@code seconds}/{@link #ROUNDS} after a warm-up. The two
     * configurations take turns round by round, so a neighbour's load that slows one slows the
     * other too, and the ratio stays fair.
     */
    public Rates measure(byte[] champion, byte[] candidate, double seconds) throws Exception {
        LoadedModel c = new LoadedModel("bench", 1, "c", features, backend.open(champion));
        LoadedModel k = new LoadedModel("bench", 2, "k", features, backend.open(candidate));
        CandidateSlot.Active slot = new CandidateSlot.Active(new RolloutMessage("ro-bench", "bench", "shadow", 1, null,
                new Targeting(Set.of(), 0, Set.of(), "ro-bench"), null, ""), k);
        Scoring alone = new Scoring(config, () -> c, () -> null, "bench", new SimpleMeterRegistry(),
                io.aiotedge.core.LiveFeed.NONE);
        Scoring beside = new Scoring(config, () -> c, () -> slot, "bench", new SimpleMeterRegistry(),
                io.aiotedge.core.LiveFeed.NONE);
        String[] ids = new String[devices];
        byte[][] payloads = payloads(ids);
        try {
            run(alone, ids, payloads, 20_000);
            run(beside, ids, payloads, 20_000);
            double bestAlone = 0;
            double bestBeside = 0;
            long roundNanos = (long) (seconds * 1e9 / ROUNDS);
            for (int round = 0; round < ROUNDS; round++) {
                bestAlone = Math.max(bestAlone, rate(alone, ids, payloads, roundNanos));
                bestBeside = Math.max(bestBeside, rate(beside, ids, payloads, roundNanos));
            }
            return new Rates(bestAlone, bestBeside);
        } finally {
            c.close();
            k.close();
        }
    }

    private static final Outlet SINK = new Outlet() {
        @Override
        public void alert(String deviceId, ObjectNode alert) {
        }

        @Override
        public void command(String deviceId, ObjectNode command) {
        }
    };

    private static void run(Scoring s, String[] ids, byte[][] payloads, int windows) {
        for (int i = 0; i < windows; i++) {
            s.accept(ids[i % ids.length], payloads[i % ids.length], SINK);
        }
    }

    private static double rate(Scoring s, String[] ids, byte[][] payloads, long nanos) {
        long t0 = System.nanoTime();
        long end = t0 + nanos;
        long n = 0;
        while (System.nanoTime() < end) {
            run(s, ids, payloads, 1000);
            n += 1000;
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private byte[][] payloads(String[] ids) {
        TelemetryCodec codec = new TelemetryCodec();
        Random r = new Random(11);
        byte[][] out = new byte[devices][];
        long now = System.currentTimeMillis();
        for (int d = 0; d < devices; d++) {
            ids[d] = String.format(java.util.Locale.ROOT, "motor-%04d", d);
            double[] v = new double[features.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextGaussian();
            }
            out[d] = codec.encode(new Telemetry(ids[d], now, d, features, v, d % 4 == 0 ? "bearing-wear" : "healthy"));
        }
        return out;
    }
}
