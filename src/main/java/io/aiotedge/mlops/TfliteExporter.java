package io.aiotedge.mlops;

import java.util.List;

/**
 * Exports a {@link DenseNet} as {@code .tflite}: a float32 model (standardisation folded into the
 * first layer), or an int8 model by post-training quantization calibrated on a representative
 * set (float input standardised by MUL and ADD, QUANTIZE, int8
 * FULLY_CONNECTED layers with int32 biases and fused ReLU, int8 LOGISTIC with TFLite's fixed
 * output scale 1/256 and zero point -128, DEQUANTIZE to a float output). Stateless.
 */
public final class TfliteExporter {
    /** What an int8 export chose, for the registry's quantization record. */
    public record Int8Model(byte[] tflite, QuantParams input, List<QuantParams> layerOutputs) {
    }

    private TfliteExporter() {
    }

    public static byte[] floatModel(DenseNet net, String description) {
        TfliteWriter w = new TfliteWriter();
        int x = w.tensor("input", TfliteWriter.FLOAT32, new int[] {1, net.inputs()}, 0, 0);
        int input = x;
        List<DenseNet.Layer> layers = new java.util.ArrayList<>(net.layers());
        layers.set(0, net.foldedFirstLayer());
        for (int i = 0; i < layers.size(); i++) {
            DenseNet.Layer l = layers.get(i);
            int wt = w.constant("dense" + i + "/weights", TfliteWriter.FLOAT32, new int[] {l.units(), l.inputs()},
                    TfliteWriter.le(flatten(l.weights())), 0, 0);
            int bt = w.constant("dense" + i + "/bias", TfliteWriter.FLOAT32, new int[] {l.units()},
                    TfliteWriter.le(l.bias()), 0, 0);
            int y = w.tensor("dense" + i + "/out", TfliteWriter.FLOAT32, new int[] {1, l.units()}, 0, 0);
            w.op(TfliteWriter.OP_FULLY_CONNECTED, 1, new int[] {x, wt, bt}, new int[] {y}, l.relu() ? 1 : 0);
            x = y;
        }
        int out = w.tensor("probability", TfliteWriter.FLOAT32, new int[] {1, net.outputs()}, 0, 0);
        w.op(TfliteWriter.OP_LOGISTIC, 1, new int[] {x}, new int[] {out}, 0);
        return w.finish(input, out, description);
    }

    /**
     * @param calibration representative inputs (raw features): each layer's output range is taken
     *     from the float model run on them
     */
    public static Int8Model int8Model(DenseNet net, List<float[]> calibration, String description) {
        if (calibration.isEmpty()) {
            throw new IllegalArgumentException("int8 quantization needs a representative set");
        }
        List<DenseNet.Layer> layers = net.layers();
        float[] inMin = {Float.MAX_VALUE};
        float[] inMax = {-Float.MAX_VALUE};
        float[] outMin = new float[layers.size()];
        float[] outMax = new float[layers.size()];
        java.util.Arrays.fill(outMin, Float.MAX_VALUE);
        java.util.Arrays.fill(outMax, -Float.MAX_VALUE);
        for (float[] x : calibration) {
            for (float v : net.standardise(x)) {
                inMin[0] = Math.min(inMin[0], v);
                inMax[0] = Math.max(inMax[0], v);
            }
            List<float[]> acts = net.activations(x);
            for (int i = 0; i < acts.size(); i++) {
                for (float v : acts.get(i)) {
                    outMin[i] = Math.min(outMin[i], v);
                    outMax[i] = Math.max(outMax[i], v);
                }
            }
        }
        TfliteWriter w = new TfliteWriter();
        QuantParams qIn = QuantParams.asymmetric(inMin[0], inMax[0]);
        int[] shape = {1, net.inputs()};
        int input = w.tensor("input", TfliteWriter.FLOAT32, shape, 0, 0);
        float[] inv = new float[net.inputs()];
        float[] shift = new float[net.inputs()];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1f / net.std()[i];
            shift[i] = -net.mean()[i] / net.std()[i];
        }
        int scaled = w.tensor("standardise/scaled", TfliteWriter.FLOAT32, shape, 0, 0);
        w.op(TfliteWriter.OP_MUL, 1, new int[] {input, w.constant("standardise/inv_std", TfliteWriter.FLOAT32, shape,
                TfliteWriter.le(inv), 0, 0)}, new int[] {scaled}, 0);
        int standard = w.tensor("standardise/out", TfliteWriter.FLOAT32, shape, 0, 0);
        w.op(TfliteWriter.OP_ADD, 1, new int[] {scaled, w.constant("standardise/shift", TfliteWriter.FLOAT32, shape,
                TfliteWriter.le(shift), 0, 0)}, new int[] {standard}, 0);
        int x = w.tensor("input/int8", TfliteWriter.INT8, shape, qIn.scale(), qIn.zeroPoint());
        w.op(TfliteWriter.OP_QUANTIZE, 1, new int[] {standard}, new int[] {x}, 0);
        QuantParams qx = qIn;
        List<QuantParams> outs = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            DenseNet.Layer l = layers.get(i);
            float maxAbs = 0;
            for (float[] row : l.weights()) {
                for (float v : row) {
                    maxAbs = Math.max(maxAbs, Math.abs(v));
                }
            }
            QuantParams qw = QuantParams.symmetric(maxAbs);
            byte[] wq = new byte[l.units() * l.inputs()];
            for (int u = 0; u < l.units(); u++) {
                for (int d = 0; d < l.inputs(); d++) {
                    wq[u * l.inputs() + d] = (byte) qw.quantize(l.weights()[u][d], -127, 127);
                }
            }
            double biasScale = (double) qx.scale() * qw.scale();
            int[] bq = new int[l.units()];
            for (int u = 0; u < bq.length; u++) {
                double v = l.bias()[u] / biasScale;
                bq[u] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                        v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5)));
            }
            QuantParams qy = QuantParams.asymmetric(outMin[i], outMax[i]);
            outs.add(qy);
            int wt = w.constant("dense" + i + "/weights", TfliteWriter.INT8, new int[] {l.units(), l.inputs()}, wq,
                    qw.scale(), 0);
            int bt = w.constant("dense" + i + "/bias", TfliteWriter.INT32, new int[] {l.units()}, TfliteWriter.le(bq),
                    (float) biasScale, 0);
            int y = w.tensor("dense" + i + "/out", TfliteWriter.INT8, new int[] {1, l.units()}, qy.scale(),
                    qy.zeroPoint());
            w.op(TfliteWriter.OP_FULLY_CONNECTED, 4, new int[] {x, wt, bt}, new int[] {y}, l.relu() ? 1 : 0);
            x = y;
            qx = qy;
        }
        int p = w.tensor("probability/int8", TfliteWriter.INT8, new int[] {1, net.outputs()}, 1f / 256f, -128);
        w.op(TfliteWriter.OP_LOGISTIC, 2, new int[] {x}, new int[] {p}, 0);
        int out = w.tensor("probability", TfliteWriter.FLOAT32, new int[] {1, net.outputs()}, 0, 0);
        w.op(TfliteWriter.OP_DEQUANTIZE, 2, new int[] {p}, new int[] {out}, 0);
        return new Int8Model(w.finish(input, out, description), qIn, List.copyOf(outs));
    }

    private static float[] flatten(float[][] m) {
        float[] out = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
        }
        return out;
    }
}
