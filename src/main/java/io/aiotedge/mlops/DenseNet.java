package io.aiotedge.mlops;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of fully connected layers ending in one sigmoid output: logistic regression is one
 * layer; the reference's 4-50-40-1 MLP is three, the hidden ones with ReLU. Normalisation is
 * folded into the first layer's weights, so the model takes raw features. Immutable.
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

    public DenseNet(List<Layer> layers) {
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
        float[] cur = x;
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
