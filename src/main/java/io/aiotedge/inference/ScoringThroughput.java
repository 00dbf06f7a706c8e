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

    /**
     * Windows/s, best of three rounds of {@code seconds}/3 each after a warm-up, of
     * {@code champion} alone ({@code candidate} null) or with {@code candidate} in shadow.
     */
    public double windowsPerSecond(byte[] champion, byte[] candidate, double seconds) throws Exception {
        LoadedModel c = new LoadedModel("bench", 1, "c", features, backend.open(champion));
        LoadedModel k = candidate == null ? null : new LoadedModel("bench", 2, "k", features, backend.open(candidate));
        CandidateSlot.Active slot = k == null ? null
                : new CandidateSlot.Active(new RolloutMessage("ro-bench", "bench", "shadow", 1, null,
                        new Targeting(Set.of(), 0, Set.of(), "ro-bench"), null, ""), k);
        Scoring s = new Scoring(config, () -> c, () -> slot, "bench", new SimpleMeterRegistry(),
                io.aiotedge.core.LiveFeed.NONE);
        Scoring.Outlet sink = new Scoring.Outlet() {
            @Override
            public void alert(String deviceId, ObjectNode alert) {
            }

            @Override
            public void command(String deviceId, ObjectNode command) {
            }
        };
        String[] ids = new String[devices];
        byte[][] payloads = payloads(ids);
        try {
            for (int i = 0; i < 20_000; i++) {
                s.accept(ids[i % devices], payloads[i % devices], sink);
            }
            double best = 0;
            for (int round = 0; round < 3; round++) {
                long end = System.nanoTime() + (long) (seconds * 1e9 / 3);
                long n = 0;
                long t0 = System.nanoTime();
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 1000; i++, n++) {
                        s.accept(ids[(int) (n % devices)], payloads[(int) (n % devices)], sink);
                    }
                }
                best = Math.max(best, n / ((System.nanoTime() - t0) / 1e9));
            }
            return best;
        } finally {
            c.close();
            if (k != null) {
                k.close();
            }
        }
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
