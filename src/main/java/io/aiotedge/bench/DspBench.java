package io.aiotedge.bench;

import io.aiotedge.config.DspConfig;
import io.aiotedge.dsp.FeatureExtractor;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Feature windows per second on one thread, against the bare FFTs of the same windows
 * ({@link BareFft}: copy each channel into a buffer and run JTransforms' real forward FFT, which
 * is the floor of any FFT-based extraction) in the same run. Each measurement is the best of
 * five rounds after a warm-up; prints a Markdown table.
 */
public final class DspBench {
    private final DspConfig base;
    private final double seconds;
    private final Consumer<String> out;

    public DspBench(DspConfig base, double seconds, Consumer<String> out) {
        this.base = base;
        this.seconds = seconds;
        this.out = out;
    }

    public void run() {
        out.accept("| window | bare FFTs windows/s | features windows/s | time ratio (features / bare FFT) |");
        out.accept("|---|---|---|---|");
        for (int n : List.of(256, 1024)) {
            DspConfig c = new DspConfig(n, base.sampleRate(), base.window(), base.channels(), base.bands());
            float[][] frames = frames(c, 64);
            FeatureExtractor fx = new FeatureExtractor(c);
            double[] features = new double[fx.schema().size()];
            BareFft bare = new BareFft(n);
            float[][][] windows = split(frames, c); // once: the harness allocates nothing per round either
            Runnable ours = () -> {
                for (float[][] f : windows) {
                    fx.extract(f, features);
                }
            };
            double bareRate = best(() -> bare.run(frames)) * 64; // 64 windows per round
            double oursRate = best(ours) * 64;
            out.accept(String.format(Locale.ROOT, "| %d x %d | %.0f | %.0f | %.2fx |", c.channels().size(), n, bareRate,
                    oursRate, bareRate / oursRate));
        }
    }

    /** Rounds per second of the best of five timed rounds of {@code seconds / 5} each, after a warm-up. */
    private double best(Runnable task) {
        long warmEnd = System.nanoTime() + (long) (seconds / 5 * 1e9);
        while (System.nanoTime() < warmEnd) {
            task.run();
        }
        double best = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            long end = t0 + (long) (seconds / 5 * 1e9);
            long count = 0;
            while (System.nanoTime() < end) {
                task.run();
                count++;
            }
            best = Math.max(best, count / ((System.nanoTime() - t0) / 1e9));
        }
        return best;
    }

    /** 64 windows of channel data, one float[] per (window, channel), noise plus a tone. */
    private static float[][] frames(DspConfig c, int windows) {
        Random r = new Random(1);
        float[][] out = new float[windows * c.channels().size()][c.windowSize()];
        for (float[] x : out) {
            double hz = 50 + r.nextDouble() * 2000;
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (Math.sin(2 * Math.PI * hz * i / c.sampleRate()) + 0.1 * r.nextGaussian());
            }
        }
        return out;
    }

    private static float[][][] split(float[][] frames, DspConfig c) {
        int ch = c.channels().size();
        float[][][] out = new float[frames.length / ch][ch][];
        for (int w = 0; w < out.length; w++) {
            for (int k = 0; k < ch; k++) {
                out[w][k] = frames[w * ch + k];
            }
        }
        return out;
    }
}
