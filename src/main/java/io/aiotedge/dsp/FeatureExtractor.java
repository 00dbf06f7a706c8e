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
        // four accumulators per sum: a single chain of dependent double additions is bound by the
        // adder's latency, four interleaved chains keep it busy (n is a power of two >= 16)
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int i = 0; i < n; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        double mean = (s0 + s1 + s2 + s3) / n;
        double a2 = 0;
        double b2 = 0;
        double a4 = 0;
        double b4 = 0;
        float maxA = 0;
        float maxB = 0;
        for (int i = 0; i < n; i += 2) {
            double d = x[i] - mean;
            double e = x[i + 1] - mean;
            maxA = Math.max(maxA, Math.abs(x[i]));
            maxB = Math.max(maxB, Math.abs(x[i + 1]));
            double d2 = d * d;
            double e2 = e * e;
            a2 += d2;
            b2 += e2;
            a4 += d2 * d2;
            b4 += e2 * e2;
            buf[i] = d * window[i];
            buf[i + 1] = e * window[i + 1];
        }
        double m2 = a2 + b2;
        double m4 = a4 + b4;
        float maxAbs = Math.max(maxA, maxB);
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
            out[bandsAt + b] = sum(power, bandBins[b][0], bandBins[b][1]);
        }
    }

    /** Sum of {@code v[from..to)} in four interleaved chains (see {@link #channel}). */
    private static double sum(double[] v, int from, int to) {
        double a = 0;
        double b = 0;
        double c = 0;
        double d = 0;
        int k = from;
        for (; k + 3 < to; k += 4) {
            a += v[k];
            b += v[k + 1];
            c += v[k + 2];
            d += v[k + 3];
        }
        for (; k < to; k++) {
            a += v[k];
        }
        return (a + b) + (c + d);
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
            // log magnitudes a, b, c of bins best-1, best, best+1; only a - c and a - 2b + c are
            // needed, two logs of ratios instead of three logs
            double lo = Math.max(power[best - 1], Double.MIN_NORMAL);
            double hi = Math.max(power[best + 1], Double.MIN_NORMAL);
            double la = Math.log(lo / power[best]); // 2 (a - b)
            double lc = Math.log(hi / power[best]); // 2 (c - b)
            double aMinusC = (la - lc) / 2;
            double denom = (la + lc) / 2;
            if (denom < 0) {
                delta = Math.max(-0.5, Math.min(0.5, 0.5 * aMinusC / denom));
                peakMag = mag * Math.exp(-0.25 * aMinusC * delta); // the parabola's vertex
            }
        }
        out[at] = (best + delta) * config.sampleRate() / n;
        out[at + 1] = power[best] > 0 ? 2 * peakMag / windowSum : 0;
    }
}
