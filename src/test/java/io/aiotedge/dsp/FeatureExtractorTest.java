package io.aiotedge.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.DspConfig;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeatureExtractorTest {
    private static DspConfig config(String... sets) {
        return new ConfigLoader(k -> null).load(null, List.of(sets)).config().dsp();
    }

    private static float[] sine(int n, double fs, double hz, double amplitude, double offset, double phase) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (offset + amplitude * Math.sin(2 * Math.PI * hz * i / fs + phase));
        }
        return x;
    }

    private static double feature(FeatureExtractor fx, double[] out, String name) {
        return out[fx.schema().names().indexOf(name)];
    }

    private static double[] run(FeatureExtractor fx, float[]... channels) {
        double[] out = new double[fx.schema().size()];
        fx.extract(channels, out);
        return out;
    }

    @ParameterizedTest(name = "{0} window, n={1}")
    @CsvSource({"hamming,256", "hann,256", "hamming,1024", "hann,1024", "hamming,64"})
    void sine_peaksAtItsFrequency_withinATenthOfABin(String window, int n) {
        FeatureExtractor fx = new FeatureExtractor(config("dsp.window=" + window, "dsp.windowSize=" + n,
                "dsp.channels=[vibration]"));
        double fs = 13095;
        double bin = fs / n;
        Random r = new Random(7);
        double worst = 0;
        for (int t = 0; t < 200; t++) {
            double hz = bin * (3 + r.nextDouble() * (n / 2.0 - 6));
            double[] out = run(fx, sine(n, fs, hz, 2.0, 0, r.nextDouble() * 6.28));
            worst = Math.max(worst, Math.abs(feature(fx, out, "vibration_peak_hz") - hz) / bin);
        }
        assertTrue(worst < 0.1, "worst peak error " + worst + " bins");
    }

    @Test
    void sine_rmsIsAmplitudeOverRoot2_crestRoot2_kurtosis1point5() {
        FeatureExtractor fx = new FeatureExtractor(config("dsp.windowSize=1024", "dsp.channels=[current]"));
        // a whole number of periods, so the window's statistics are the sine's
        double[] out = run(fx, sine(1024, 13095, 13095.0 * 16 / 1024, 3.0, 0, 0.3));
        assertEquals(3.0 / Math.sqrt(2), feature(fx, out, "current_rms"), 1e-4);
        assertEquals(0.0, feature(fx, out, "current_mean"), 1e-4);
        assertEquals(Math.sqrt(2), feature(fx, out, "current_crest"), 2e-3);
        assertEquals(1.5, feature(fx, out, "current_kurtosis"), 1e-3);
        assertEquals(3.0, feature(fx, out, "current_peak_mag"), 0.03, "amplitude estimate, window gain corrected");
    }

    @Test
    void parseval_bandsCoveringAllBinsSumToTheWindowedSignalsMeanSquare() {
        DspConfig c = config("dsp.windowSize=256", "dsp.channels=[sound]",
                "dsp.bands=[{lowHz: 0, highHz: 3000}, {lowHz: 3000, highHz: 6548}]");
        FeatureExtractor fx = new FeatureExtractor(c);
        Random r = new Random(3);
        float[] x = new float[256];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() + 0.5 * Math.sin(i * 0.7));
        }
        double[] out = run(fx, x);
        double mean = feature(fx, out, "sound_mean");
        double[] w = Windows.coefficients(c.window(), 256);
        double ms = 0;
        for (int i = 0; i < 256; i++) {
            double v = (x[i] - mean) * w[i];
            ms += v * v;
        }
        ms /= 256;
        double bands = feature(fx, out, "sound_band_0_3000") + feature(fx, out, "sound_band_3000_6548");
        assertEquals(ms, bands, ms * 1e-9);
    }

    @Test
    void bandEnergy_isWhereTheToneIs() {
        FeatureExtractor fx = new FeatureExtractor(config("dsp.channels=[vibration]"));
        double[] out = run(fx, sine(256, 13095, 2200, 1.0, 0.2, 0));
        assertTrue(feature(fx, out, "vibration_band_1500_3000") > 100 * feature(fx, out, "vibration_band_0_500"));
        assertTrue(feature(fx, out, "vibration_band_1500_3000") > 100 * feature(fx, out, "vibration_band_3000_6548"));
    }

    @Test
    void gaussianNoise_hasKurtosisNear3() {
        FeatureExtractor fx = new FeatureExtractor(config("dsp.windowSize=65536", "dsp.channels=[sound]"));
        Random r = new Random(11);
        float[] x = new float[65536];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        assertEquals(3.0, feature(fx, run(fx, x), "sound_kurtosis"), 0.1);
    }

    @Test
    void silence_givesZerosNotNaN() {
        FeatureExtractor fx = new FeatureExtractor(config());
        float[] zero = new float[256];
        double[] out = run(fx, zero, zero, zero, zero);
        for (int i = 0; i < out.length; i++) {
            assertTrue(Double.isFinite(out[i]), fx.schema().names().get(i) + " = " + out[i]);
        }
    }

    @Test
    void wrongShapes_areRefusedWithTheReason() {
        FeatureExtractor fx = new FeatureExtractor(config());
        double[] out = new double[fx.schema().size()];
        assertEquals("expected 4 channels, got 1", assertThrows(IllegalArgumentException.class,
                () -> fx.extract(new float[1][256], out)).getMessage());
        assertEquals("channel temperature has 10 samples, needs 256", assertThrows(IllegalArgumentException.class,
                () -> fx.extract(new float[][] {new float[256], new float[10], new float[256], new float[256]}, out))
                .getMessage());
    }

    @Test
    void windows_matchTheirDefinitions() {
        double[] hamming = Windows.coefficients(DspConfig.Window.HAMMING, 5);
        assertEquals(0.08, hamming[0], 1e-12);
        assertEquals(1.0, hamming[2], 1e-12);
        assertEquals(0.54, hamming[1], 1e-12);
        double[] hann = Windows.coefficients(DspConfig.Window.HANN, 5);
        assertEquals(0.0, hann[0], 1e-12);
        assertEquals(0.5, hann[1], 1e-12);
        assertEquals(1.0, hann[2], 1e-12);
        assertEquals(hann[1], hann[3], 1e-12);
    }

    @Test
    void schema_namesAreStableAndInOrder() {
        FeatureSchema s = new FeatureExtractor(config()).schema();
        assertEquals(40, s.size());
        assertEquals(List.of("current_mean", "current_rms", "current_crest", "current_kurtosis", "current_peak_hz",
                "current_peak_mag", "current_band_0_500", "current_band_500_1500", "current_band_1500_3000",
                "current_band_3000_6548", "temperature_mean"), s.names().subList(0, 11));
    }
}
