package io.aiotedge.mlops;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * A small multilayer perceptron (ReLU hidden layers, one sigmoid output; the reference's
 * 4-50-40-1 shape with {@code hidden = [50, 40]}) trained with mini-batch Adam, binary
 * cross-entropy and L2 on standardised features ({@link Standardisation}, kept in the network
 * like the logistic model's). He-initialised from a seed, so a run is deterministic. The epoch
 * count follows the data: about {@link #SAMPLE_BUDGET} sample passes in all, between 5 and 200
 * epochs, so a pipeline run on 200k rows stays in seconds. Stateless; thread-safe.
 */
public final class MlpTrainer {
    /** Sample passes per training run (epochs = budget / rows, clamped). */
    static final long SAMPLE_BUDGET = 1_500_000;
    private static final int BATCH = 64;

    public record Result(DenseNet net, double finalLoss, int epochs) {
    }

    private final int[] hidden;
    private final double l2;
    private final double learningRate;
    private final long seed;

    public MlpTrainer(List<Integer> hidden, double l2, double learningRate, long seed) {
        if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("hidden layers need at least one unit each, got " + hidden);
        }
        this.hidden = hidden.stream().mapToInt(Integer::intValue).toArray();
        this.l2 = l2;
        this.learningRate = learningRate;
        this.seed = seed;
    }

    public MlpTrainer(List<Integer> hidden) {
        this(hidden, 1e-4, 0.005, 1);
    }

    /** @param progress called with (epoch, mean loss) about eight times; may be null */
    public Result train(Dataset d, BiConsumer<Integer, Double> progress) {
        Standardisation st = Standardisation.of(d);
        double[][] z = st.apply(d);
        int n = d.size();
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = d.features().size();
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = 1;
        Net net = new Net(sizes, new Random(seed));
        int epochs = (int) Math.max(5, Math.min(200, SAMPLE_BUDGET / n));
        int report = Math.max(1, epochs / 8);
        Random shuffle = new Random(seed + 1);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double loss = 0;
        for (int e = 1; e <= epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            loss = 0;
            for (int from = 0; from < n; from += BATCH) {
                int to = Math.min(n, from + BATCH);
                net.zeroGrad();
                for (int b = from; b < to; b++) {
                    loss += net.backprop(z[order[b]], d.y()[order[b]]) / n;
                }
                net.step(to - from, l2, learningRate);
            }
            if (progress != null && (e % report == 0 || e == epochs)) {
                progress.accept(e, loss);
            }
        }
        return new Result(net.toDenseNet(st), loss, epochs);
    }

    /** Weights, gradients and Adam moments of every layer, flat per layer ({@code w[out * in]}). */
    private static final class Net {
        final int[] sizes;
        final double[][] w;
        final double[][] b;
        final double[][] gw;
        final double[][] gb;
        final double[][] mw;
        final double[][] vw;
        final double[][] mb;
        final double[][] vb;
        final double[][] act; // per layer output (act[0] = input)
        final double[][] delta;
        int t;

        Net(int[] sizes, Random r) {
            this.sizes = sizes;
            int layers = sizes.length - 1;
            w = new double[layers][];
            b = new double[layers][];
            gw = new double[layers][];
            gb = new double[layers][];
            mw = new double[layers][];
            vw = new double[layers][];
            mb = new double[layers][];
            vb = new double[layers][];
            act = new double[sizes.length][];
            delta = new double[sizes.length][];
            for (int l = 0; l < layers; l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                w[l] = new double[out * in];
                double scale = Math.sqrt(2.0 / in);
                for (int i = 0; i < w[l].length; i++) {
                    w[l][i] = r.nextGaussian() * scale;
                }
                b[l] = new double[out];
                gw[l] = new double[out * in];
                gb[l] = new double[out];
                mw[l] = new double[out * in];
                vw[l] = new double[out * in];
                mb[l] = new double[out];
                vb[l] = new double[out];
            }
            for (int l = 0; l < sizes.length; l++) {
                act[l] = new double[sizes[l]];
                delta[l] = new double[sizes[l]];
            }
        }

        void zeroGrad() {
            for (int l = 0; l < w.length; l++) {
                java.util.Arrays.fill(gw[l], 0);
                java.util.Arrays.fill(gb[l], 0);
            }
        }

        /** Forward and backward for one row; accumulates gradients and returns its loss. */
        double backprop(double[] x, int y) {
            int last = w.length - 1;
            System.arraycopy(x, 0, act[0], 0, x.length);
            for (int l = 0; l <= last; l++) {
                int in = sizes[l];
                double[] a = act[l];
                double[] o = act[l + 1];
                for (int u = 0; u < o.length; u++) {
                    double s = b[l][u];
                    int base = u * in;
                    for (int i = 0; i < in; i++) {
                        s += w[l][base + i] * a[i];
                    }
                    o[u] = l == last ? s : Math.max(0, s);
                }
            }
            double p = 1 / (1 + Math.exp(-act[last + 1][0]));
            delta[last + 1][0] = p - y;
            for (int l = last; l >= 0; l--) {
                int in = sizes[l];
                double[] a = act[l];
                double[] dOut = delta[l + 1];
                double[] dIn = delta[l];
                java.util.Arrays.fill(dIn, 0);
                for (int u = 0; u < dOut.length; u++) {
                    double g = dOut[u];
                    if (g == 0) {
                        continue;
                    }
                    gb[l][u] += g;
                    int base = u * in;
                    for (int i = 0; i < in; i++) {
                        gw[l][base + i] += g * a[i];
                        dIn[i] += g * w[l][base + i];
                    }
                }
                if (l > 0) {
                    for (int i = 0; i < in; i++) {
                        if (a[i] <= 0) {
                            dIn[i] = 0; // ReLU
                        }
                    }
                }
            }
            return y == 1 ? -Math.log(Math.max(p, 1e-12)) : -Math.log(Math.max(1 - p, 1e-12));
        }

        void step(int batch, double l2, double lr) {
            t++;
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int l = 0; l < w.length; l++) {
                adam(w[l], gw[l], mw[l], vw[l], batch, l2, lr, c1, c2);
                adam(b[l], gb[l], mb[l], vb[l], batch, 0, lr, c1, c2);
            }
        }

        private static void adam(double[] p, double[] g, double[] m, double[] v, int batch, double l2, double lr,
                double c1, double c2) {
            for (int i = 0; i < p.length; i++) {
                double gi = g[i] / batch + l2 * p[i];
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                p[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
            }
        }

        DenseNet toDenseNet(Standardisation st) {
            List<DenseNet.Layer> layers = new ArrayList<>();
            for (int l = 0; l < w.length; l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                float[][] fw = new float[out][in];
                float[] fb = new float[out];
                for (int u = 0; u < out; u++) {
                    for (int i = 0; i < in; i++) {
                        fw[u][i] = (float) w[l][u * in + i];
                    }
                    fb[u] = (float) b[l][u];
                }
                layers.add(new DenseNet.Layer(fw, fb, l < w.length - 1));
            }
            return new DenseNet(layers, st.meanFloats(), st.stdFloats());
        }
    }
}
