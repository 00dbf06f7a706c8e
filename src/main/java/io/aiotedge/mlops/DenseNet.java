package io.aiotedge.mlops;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of fully connected layers ending in one sigmoid output: logistic regression is one
 * layer; the reference's 4-50-40-1 MLP is three, the hidden ones with ReLU. The layers see
 * standardised inputs {@code (x - mean) / std}; an exported model takes raw features (the float
 * export folds the standardisation into the first layer's weights, the int8 export runs it as
 * float MUL and ADD before quantizing, since raw features of very different ranges cannot share
 * one int8 scale). Immutable.
 */
public final class DenseNet {
    /** One layer: {@code out = act(W x + b)}, {@code W[out][in]}. */
    public record Layer(float[][] weights, float[] bias, boolean relu) {
        public int inputs() {
            return weights[0].length;
        }

        public int units() {
            return weights.length;
        }
    }

    private final List<Layer> layers;
    private final float[] mean;
    private final float[] std;

    /** Without standardisation (mean 0, std 1). */
    public DenseNet(List<Layer> layers) {
        this(layers, null, null);
    }

    /** @param mean per-input means, or null; @param std per-input standard deviations (> 0), or null */
    public DenseNet(List<Layer> layers, float[] mean, float[] std) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputs() != layers.get(i - 1).units()) {
                throw new IllegalArgumentException("layer " + i + " takes " + layers.get(i).inputs() + " inputs, layer "
                        + (i - 1) + " gives " + layers.get(i - 1).units());
            }
        }
        if (layers.get(layers.size() - 1).relu()) {
            throw new IllegalArgumentException("the last layer feeds the sigmoid; it has no ReLU");
        }
        this.layers = List.copyOf(layers);
        int k = layers.get(0).inputs();
        this.mean = mean == null ? new float[k] : mean.clone();
        this.std = std == null ? filled(k) : std.clone();
        if (this.mean.length != k || this.std.length != k) {
            throw new IllegalArgumentException("standardisation must have " + k + " means and deviations");
        }
        for (float v : this.std) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("standard deviations must be positive");
            }
        }
    }

    private static float[] filled(int k) {
        float[] out = new float[k];
        java.util.Arrays.fill(out, 1f);
        return out;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    /** {@code (x - mean) / std}, computed as TFLite's MUL then ADD do: {@code x * (1/std) + (-mean/std)}. */
    public float[] standardise(float[] x) {
        float[] z = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = x[i] * (1f / std[i]) + (-mean[i] / std[i]);
        }
        return z;
    }

    /** The first layer with the standardisation folded in: the same function of raw inputs. */
    public Layer foldedFirstLayer() {
        Layer l = layers.get(0);
        float[][] w = new float[l.units()][l.inputs()];
        float[] b = l.bias().clone();
        for (int u = 0; u < l.units(); u++) {
            double bias = l.bias()[u];
            for (int d = 0; d < l.inputs(); d++) {
                w[u][d] = l.weights()[u][d] / std[d];
                bias -= (double) l.weights()[u][d] * mean[d] / std[d];
            }
            b[u] = (float) bias;
        }
        return new Layer(w, b, l.relu());
    }

    public List<Layer> layers() {
        return layers;
    }

    public int inputs() {
        return layers.get(0).inputs();
    }

    public int outputs() {
        return layers.get(layers.size() - 1).units();
    }

    /** Every layer's output for one input (the last before the sigmoid), in float32 like TFLite. */
    public List<float[]> activations(float[] x) {
        List<float[]> out = new ArrayList<>();
        float[] cur = standardise(x);
        for (Layer l : layers) {
            float[] y = new float[l.units()];
            for (int u = 0; u < y.length; u++) {
                float acc = 0f;
                for (int d = 0; d < cur.length; d++) {
                    acc += cur[d] * l.weights()[u][d];
                }
                acc += l.bias()[u];
                y[u] = l.relu() ? Math.max(0f, acc) : acc;
            }
            out.add(y);
            cur = y;
        }
        return out;
    }

    /** The sigmoid outputs for one input. */
    public float[] predict(float[] x) {
        List<float[]> a = activations(x);
        float[] logits = a.get(a.size() - 1);
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (1.0 / (1.0 + Math.exp(-logits[i])));
        }
        return p;
    }
}
