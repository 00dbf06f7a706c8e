package io.aiotedge.dsp;

import io.aiotedge.config.DspConfig;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Computes the feature vector ({@link FeatureSchema}) of one window of samples per channel.
 *
 * <p>Per channel: mean; RMS; crest factor (peak |x| / RMS); kurtosis (4th standardised moment,
 * 3 for Gaussian noise, 1.5 for a sine); then, on the mean-removed, windowed signal, the real
 * FFT: the major peak's frequency, refined by parabolic interpolation of the log magnitudes of
 * the peak bin and its neighbours, and its amplitude (corrected for the window's coherent gain,
 * so a sine of amplitude A reads about A); and the power in each band, scaled so that all bins
 * together sum to the mean square of the windowed signal (Parseval).
 *
 * <p>Not thread-safe: an instance owns its FFT plan and scratch buffers, so {@link #extract}
 * allocates nothing. Use one per thread. JTransforms itself stays single-threaded below 8192
 * points, so windows up to 4096 never start its thread pool.
 */
public final class FeatureExtractor {
    private final DspConfig config;
    private final FeatureSchema schema;
    private final int n;
    private final double[] window;
    private final double windowSum;
    private final DoubleFFT_1D fft;
    private final double[] buf;
    private final double[] power;
    private final int[][] bandBins;

    public FeatureExtractor(DspConfig config) {
        this.config = config;
        this.schema = new FeatureSchema(config);
        this.n = config.windowSize();
        this.window = Windows.coefficients(config.window(), n);
        double s = 0;
        for (double w : window) {
            s += w;
        }
        this.windowSum = s;
        this.fft = new DoubleFFT_1D(n);
        this.buf = new double[n];
        this.power = new double[n / 2 + 1];
        this.bandBins = new int[config.bands().size()][2];
        for (int b = 0; b < bandBins.length; b++) {
            DspConfig.Band band = config.bands().get(b);
            bandBins[b][0] = (int) Math.ceil(band.lowHz() * (double) n / config.sampleRate());
            bandBins[b][1] = Math.min(n / 2 + 1, (int) Math.ceil(band.highHz() * (double) n / config.sampleRate()));
        }
    }

    public FeatureSchema schema() {
        return schema;
    }

    /**
     * @param samples one array per channel, in config order, each at least {@code windowSize}
     *     long (the first {@code windowSize} samples are used)
     * @param out receives {@link FeatureSchema#size()} values
     */
    public void extract(float[][] samples, double[] out) {
        if (samples.length != config.channels().size()) {
            throw new IllegalArgumentException("expected " + config.channels().size() + " channels, got "
                    + samples.length);
        }
        if (out.length < schema.size()) {
            throw new IllegalArgumentException("output holds " + out.length + " values, needs " + schema.size());
        }
        for (int c = 0; c < samples.length; c++) {
            if (samples[c].length < n) {
                throw new IllegalArgumentException("channel " + config.channels().get(c) + " has " + samples[c].length
                        + " samples, needs " + n);
            }
            channel(samples[c], out, c * schema.perChannel());
        }
    }

    private void channel(float[] x, double[] out, int at) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[i];
        }
        double mean = sum / n;
        double m2 = 0;
        double m4 = 0;
        float maxAbs = 0;
        for (int i = 0; i < n; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(x[i]));
            double d = x[i] - mean;
            double d2 = d * d;
            m2 += d2;
            m4 += d2 * d2;
            buf[i] = d * window[i];
        }
        m2 /= n;
        m4 /= n;
        double rms = Math.sqrt(m2 + mean * mean);
        out[at] = mean;
        out[at + 1] = rms;
        out[at + 2] = rms > 0 ? maxAbs / rms : 0;
        out[at + 3] = m2 > 0 ? m4 / (m2 * m2) : 0;
        fft.realForward(buf);
        int best = spectrum();
        peak(best, out, at + 4);
        int bandsAt = at + FeatureSchema.PER_CHANNEL.size();
        for (int b = 0; b < bandBins.length; b++) {
            double e = 0;
            for (int k = bandBins[b][0]; k < bandBins[b][1]; k++) {
                e += power[k];
            }
            out[bandsAt + b] = e;
        }
    }

    /**
     * buf (FFT of the mean-removed, windowed signal) -> power[k], one-sided, summing to the
     * windowed signal's mean square (Parseval). Returns the strongest bin in 1..n/2-1.
     */
    private int spectrum() {
        double scale = 1.0 / ((double) n * n);
        power[0] = buf[0] * buf[0] * scale;
        power[n / 2] = buf[1] * buf[1] * scale;
        int best = 1;
        double bestPower = -1;
        for (int k = 1; k < n / 2; k++) {
            double re = buf[2 * k];
            double im = buf[2 * k + 1];
            double p = 2 * (re * re + im * im) * scale;
            power[k] = p;
            if (p > bestPower) {
                bestPower = p;
                best = k;
            }
        }
        return best;
    }

    /** Major peak among bins 1..n/2-1, interpolated on log magnitude; writes Hz and amplitude. */
    private void peak(int best, double[] out, int at) {
        double mag = Math.sqrt(power[best] / 2) * n; // |X_k|
        double delta = 0;
        double peakMag = mag;
        if (best > 1 && best < n / 2 - 1 && power[best] > 0) {
            double a = Math.log(Math.max(power[best - 1], Double.MIN_NORMAL)) / 2;
            double b = Math.log(power[best]) / 2;
            double c = Math.log(Math.max(power[best + 1], Double.MIN_NORMAL)) / 2;
            double denom = a - 2 * b + c;
            if (denom < 0) {
                delta = Math.max(-0.5, Math.min(0.5, 0.5 * (a - c) / denom));
                peakMag = mag * Math.exp(-0.25 * (a - c) * delta); // the parabola's vertex
            }
        }
        out[at] = (best + delta) * config.sampleRate() / n;
        out[at + 1] = power[best] > 0 ? 2 * peakMag / windowSum : 0;
    }
}
